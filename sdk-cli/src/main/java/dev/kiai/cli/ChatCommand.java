package dev.kiai.cli;

import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.StreamListener;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.provider.AnthropicChatModel;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
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
  /** Which wire protocol to speak. */
  enum Provider { OPENAI, ANTHROPIC, OPENAI_COMPATIBLE }

  private final Io io;

  @Option(names = "--provider", defaultValue = "openai", converter = ProviderConverter.class,
      description = "openai | anthropic | openai-compatible (default: ${DEFAULT-VALUE}).")
  Provider provider;

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
    ChatModel chatModel = createModel();
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

  private ChatModel createModel() {
    String key = apiKey();
    switch (provider) {
      case OPENAI: {
        require(key, "OPENAI_API_KEY");
        OpenAiCompatibleChatModel.Builder b = OpenAiCompatibleChatModel.builder().apiKey(key).defaultModel(model)
            .maxTokensField("max_completion_tokens");
        if (baseUrl != null) {
          b.baseUrl(baseUrl);
        }
        return b.build();
      }
      case ANTHROPIC: {
        require(key, "ANTHROPIC_API_KEY");
        AnthropicChatModel.Builder b = AnthropicChatModel.builder().apiKey(key).defaultModel(model);
        if (baseUrl != null) {
          b.baseUrl(baseUrl);
        }
        return b.build();
      }
      default: {
        if (baseUrl == null) {
          throw new Cli.UsageError("--base-url is required for --provider openai-compatible");
        }
        return OpenAiCompatibleChatModel.builder().baseUrl(baseUrl).apiKey(key).defaultModel(model)
            .provider("openai-compatible").build();
      }
    }
  }

  private String apiKey() {
    String variable = apiKeyEnv != null ? apiKeyEnv
        : provider == Provider.ANTHROPIC ? "ANTHROPIC_API_KEY"
        : provider == Provider.OPENAI ? "OPENAI_API_KEY" : null;
    if (variable == null) {
      return io.env.get("KIAI_API_KEY");
    }
    String value = io.env.get(variable);
    if (apiKeyEnv != null && (value == null || value.isBlank())) {
      throw new Cli.UsageError("environment variable " + apiKeyEnv + " (--api-key-env) is not set");
    }
    return value;
  }

  private static void require(String key, String variable) {
    if (key == null || key.isBlank()) {
      throw new Cli.UsageError("no API key: set " + variable + " or name a variable with --api-key-env");
    }
  }

  /** Accepts {@code openai}, {@code anthropic}, {@code openai-compatible}. */
  static final class ProviderConverter implements picocli.CommandLine.ITypeConverter<Provider> {
    @Override
    public Provider convert(String value) {
      try {
        return Provider.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "expected openai, anthropic or openai-compatible, was '" + value + "'");
      }
    }
  }
}
