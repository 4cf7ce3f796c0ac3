package dev.kiai.cli;

import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.StreamListener;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiai chat}: one request to a provider through {@link Kiai}; the answer to stdout. */
@Command(name = "chat", description = {
    "Send one message to a model and print the answer; tokens and cost go to stderr.",
    "API keys come from OPENAI_API_KEY / ANTHROPIC_API_KEY, or the variable named by --api-key-env."})
final class ChatCommand implements Callable<Integer> {
  private final Io io;

  @Option(names = "--provider", defaultValue = "openai", converter = ProviderModels.ProviderConverter.class,
      description = "openai | anthropic | openai-compatible (default: ${DEFAULT-VALUE}).")
  ProviderModels.Provider provider;

  @Option(names = "--base-url", description = "Server base URL; required for openai-compatible, "
      + "e.g. http://localhost:11434/v1 (Ollama), http://localhost:8000/v1 (vLLM).")
  String baseUrl;

  @Option(names = "--model", required = true, description = "Model id.")
  String model;

  @Option(names = "--api-key-env", description = "Environment variable holding the API key.")
  String apiKeyEnv;

  @Option(names = "--system", description = "System prompt.")
  String system;

  @Option(names = "--max-tokens", description = "Upper bound on generated tokens.")
  Integer maxTokens;

  @Option(names = "--temperature", description = "Sampling temperature 0..2.")
  Double temperature;

  @Option(names = "--stream", description = "Print the answer as it arrives.")
  boolean stream;

  @Option(names = "--prices", description = "JSON price table whose entries override the bundled ones.")
  Path prices;

  @Parameters(arity = "1", paramLabel = "TEXT", description = "The user message.")
  String text;

  ChatCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    ChatRequest request;
    try {
      ChatRequest.Builder b = ChatRequest.builder().model(model).maxTokens(maxTokens).temperature(temperature);
      if (system != null) {
        b.addSystem(system);
      }
      request = b.addUser(text).build();
    } catch (IllegalArgumentException e) {
      throw new Cli.UsageError(e.getMessage());
    }
    ChatModel chatModel = ProviderModels.create(io, provider, model, baseUrl, apiKeyEnv, "--");
    try (Kiai kiai = Kiai.builder().model(chatModel).prices(Cli.prices(prices)).build()) {
      ChatResponse response = stream ? stream(kiai, request) : kiai.chat(request);
      if (!stream) {
        io.out.println(response.text());
      }
      response.toolCalls().forEach(c -> io.out.println("tool call " + c.name() + " " + c.arguments()));
      io.err.println("kiai chat: " + response.provider() + "/" + response.model() + ", "
          + response.usage().inputTokens() + " input + " + response.usage().outputTokens() + " output tokens, "
          + (response.cost().known() ? response.cost().total().stripTrailingZeros().toPlainString() + " USD" : "cost unknown")
          + ", finish " + response.finishReason().name().toLowerCase(Locale.ROOT)
          + ", " + response.latency().toMillis() + " ms");
      return 0;
    } finally {
      if (chatModel instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  private ChatResponse stream(Kiai kiai, ChatRequest request) {
    AtomicReference<ChatResponse> done = new AtomicReference<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    kiai.stream(request, new StreamListener() {
      @Override
      public void onText(String delta) {
        io.out.print(delta);
        io.out.flush();
      }

      @Override
      public void onComplete(ChatResponse response) {
        io.out.println();
        done.set(response);
      }

      @Override
      public void onError(Throwable error) {
        io.out.println();
        failed.set(error);
      }
    });
    Throwable error = failed.get();
    if (error instanceof RuntimeException re) {
      throw re;
    }
    if (error != null) {
      throw new IllegalStateException(error);
    }
    return done.get();
  }
}
