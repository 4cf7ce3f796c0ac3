package dev.kiai.gpu;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import dev.kiai.core.StreamListener;
import dev.kiai.core.StreamingChatModel;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.chat.Role;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.ContextLengthExceededException;
import dev.kiai.core.error.InvalidRequestException;
import dev.kiai.core.error.ProviderUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link StreamingChatModel} that runs a GGUF model in this process with llama.cpp, through the
 * {@code de.kherud:llama} JNI binding (an optional dependency: add it to use this class). The binding's
 * jar carries CPU builds of llama.cpp for Linux, macOS and Windows, so nothing is downloaded. To offload
 * layers to a GPU, build llama.cpp's Java binding with CUDA and point the JVM at it with
 * {@code -Dde.kherud.llama.lib.path=/folder/with/libjllama.so}; then {@link Builder#gpuLayers(int)} takes
 * effect (the CPU build ignores it).
 *
 * <pre>{@code
 * try (LlamaCppChatModel local = LlamaCppChatModel.builder(Path.of("qwen2.5-7b-instruct-q4_k_m.gguf"))
 *     .modelName("qwen2.5-7b").contextSize(8192).gpuLayers(99).build()) {
 *   ChatResponse r = local.chat(ChatRequest.of("Say hello"));
 * }
 * }</pre>
 *
 * <p>The prompt is built with the model's own chat template (from the GGUF). Supported request
 * parameters: temperature, top-p, max tokens, stop sequences, seed, and response formats: a JSON Schema
 * is compiled to a llama.cpp grammar, so the output always parses; JSON object uses a grammar for any
 * object. Tools are not supported: such requests fail with {@link InvalidRequestException}. Usage counts
 * the prompt exactly with the model's tokenizer (BOS included) and the output as the streamed pieces,
 * one per generated token (pieces held back while a stop sequence partly matched arrive together).
 *
 * <p>Thread-safe: requests are queued to llama.cpp's slots ({@link Builder#parallel(int)}, default 1).
 * {@link #close()} waits for running requests, then frees the model; later calls fail with
 * {@link IllegalStateException}. The binding leaves a native thread attached to the JVM after closing,
 * so applications end with {@code System.exit}.
 */
public final class LlamaCppChatModel implements StreamingChatModel, AutoCloseable {
  /** Provider name this model reports. */
  public static final String PROVIDER = "llama.cpp-inprocess";
  private static final String ANY_OBJECT_SCHEMA = "{\"type\":\"object\"}";

  private final LlamaModel model;
  private final String modelName;
  private final int contextSize;
  private final int slotContext;
  private final int defaultMaxTokens;
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final AtomicLong ids = new AtomicLong();
  private boolean closed;

  private LlamaCppChatModel(Builder b) {
    if (!Files.isRegularFile(b.file)) {
      throw new ConfigurationException("gguf file does not exist: " + b.file);
    }
    ModelParameters p = new ModelParameters().setModel(b.file.toString()).setCtxSize(b.contextSize)
        .setParallel(b.parallel).setSeed(b.seed);
    if (b.gpuLayers > 0) {
      p.setGpuLayers(b.gpuLayers);
    }
    if (!b.nativeLogging) {
      p.disableLog();
    }
    if (b.threads > 0) {
      p.setThreads(b.threads);
    }
    if (b.chatTemplate != null) {
      p.setChatTemplate(b.chatTemplate);
    }
    try {
      this.model = new LlamaModel(p);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new ConfigurationException("llama.cpp could not load " + b.file + ": " + e.getMessage(), e);
    }
    this.modelName = b.modelName != null ? b.modelName : b.file.getFileName().toString().replaceAll("\\.gguf$", "");
    this.contextSize = b.contextSize;
    this.slotContext = b.contextSize / b.parallel;
    this.defaultMaxTokens = b.defaultMaxTokens;
  }

  /**
   * @param gguf the model file
   * @return a builder
   */
  public static Builder builder(Path gguf) {
    return new Builder(gguf);
  }

  /** {@inheritDoc} */
  @Override
  public String provider() {
    return PROVIDER;
  }

  /** @return the model name responses carry: the builder's, or the file name without {@code .gguf} */
  @Override
  public String defaultModel() {
    return modelName;
  }

  /** @return the context size in tokens, shared by the {@link Builder#parallel(int) slots} */
  public int contextSize() {
    return contextSize;
  }

  /** @return the tokens prompt plus output of one request must fit in: context size / slots */
  public int requestContext() {
    return slotContext;
  }

  /**
   * Counts tokens with the model's own tokenizer.
   *
   * @param text any text
   * @return the number of tokens, without BOS
   */
  public int countTokens(String text) {
    Objects.requireNonNull(text, "text");
    return open(() -> model.encode(text).length);
  }

  /** {@inheritDoc} */
  @Override
  public ChatResponse chat(ChatRequest request) {
    return generate(request, null);
  }

  /**
   * Streams the answer: each generated piece to {@link StreamListener#onText}, then {@code onComplete}
   * or {@code onError}. An exception from {@code onText} stops generation and goes to {@code onError}.
   *
   * @param request the request
   * @param listener receives the answer
   */
  @Override
  public void stream(ChatRequest request, StreamListener listener) {
    Objects.requireNonNull(listener, "listener");
    ChatResponse response;
    try {
      response = generate(request, listener);
    } catch (RuntimeException e) {
      listener.onError(e);
      return;
    }
    listener.onComplete(response);
  }

  private ChatResponse generate(ChatRequest request, StreamListener listener) {
    Objects.requireNonNull(request, "request");
    String name = request.model() == null ? modelName : request.model();
    if (!request.tools().isEmpty()) {
      throw new InvalidRequestException(PROVIDER, name, 0, "unsupported", "tools are not supported in-process");
    }
    return open(() -> {
      long start = System.nanoTime();
      String prompt = prompt(request, name);
      int promptTokens = model.encode(prompt).length + 1;
      int maxTokens = request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens;
      if (promptTokens + 1 > slotContext) {
        throw new ContextLengthExceededException(PROVIDER, name, 0, "context_length_exceeded",
            "the prompt has " + promptTokens + " tokens; a request's context holds " + slotContext);
      }
      int budget = Math.min(maxTokens, slotContext - promptTokens);
      InferenceParameters ip = new InferenceParameters(prompt).setNPredict(budget).setCachePrompt(false);
      if (request.temperature() != null) {
        ip.setTemperature(request.temperature().floatValue());
      }
      if (request.topP() != null) {
        ip.setTopP(request.topP().floatValue());
      }
      if (request.seed() != null) {
        ip.setSeed((int) (long) request.seed());
      }
      if (!request.stop().isEmpty()) {
        ip.setStopStrings(request.stop().toArray(String[]::new));
      }
      ResponseFormat format = request.responseFormat();
      if (format != null && format.type() != ResponseFormat.Type.TEXT) {
        String schema = format.type() == ResponseFormat.Type.JSON_SCHEMA ? format.schema() : ANY_OBJECT_SCHEMA;
        ip.setGrammar(LlamaModel.jsonSchemaToGrammar(schema));
      }
      StringBuilder text = new StringBuilder();
      int pieces = 0;
      var iterator = model.generate(ip).iterator();
      try {
        while (iterator.hasNext()) {
          LlamaOutput out = iterator.next();
          if (!out.text.isEmpty()) {
            pieces++;
            text.append(out.text);
            if (listener != null) {
              listener.onText(out.text);
            }
          }
        }
      } catch (RuntimeException e) {
        iterator.cancel();
        if (e.getClass().getName().startsWith("de.kherud.llama")) {
          throw new ProviderUnavailableException(PROVIDER, name, 0, "engine_error", e.getMessage(), e);
        }
        throw e;
      }
      String answer = trimStop(text.toString(), request.stop());
      FinishReason finish = pieces >= budget ? FinishReason.LENGTH : FinishReason.STOP;
      return new ChatResponse("llamacpp-" + ids.incrementAndGet(), ChatMessage.assistant(answer), finish,
          Usage.of(promptTokens, pieces), Cost.UNKNOWN, name, PROVIDER, Duration.ofNanos(System.nanoTime() - start),
          null, null);
    });
  }

  /** llama.cpp leaves the stop sequence out of streamed text; this also removes one at the very end. */
  private static String trimStop(String text, List<String> stops) {
    for (String s : stops) {
      if (!s.isEmpty() && text.endsWith(s)) {
        return text.substring(0, text.length() - s.length());
      }
    }
    return text;
  }

  private String prompt(ChatRequest request, String name) {
    List<Pair<String, String>> turns = new ArrayList<>();
    for (ChatMessage m : request.messages()) {
      if (m.role() == Role.SYSTEM) {
        continue;
      }
      if (m.role() == Role.TOOL || !m.toolCalls().isEmpty()) {
        throw new InvalidRequestException(PROVIDER, name, 0, "unsupported",
            "tool calls and tool results are not supported in-process");
      }
      turns.add(new Pair<>(m.role() == Role.USER ? "user" : "assistant", m.content()));
    }
    String system = request.systemText();
    InferenceParameters template = new InferenceParameters("").setMessages(system, turns);
    return model.applyTemplate(template);
  }

  private <T> T open(java.util.function.Supplier<T> action) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("this LlamaCppChatModel is closed");
      }
      return action.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Waits for running requests, then frees the model's memory. A second call has no effect. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        model.close();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** Configures a {@link LlamaCppChatModel}. */
  public static final class Builder {
    private final Path file;
    private String modelName;
    private int contextSize = 2048;
    private int gpuLayers = 0;
    private int threads = 0;
    private int parallel = 1;
    private int seed = 42;
    private int defaultMaxTokens = 256;
    private String chatTemplate;
    private boolean nativeLogging;

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "gguf");
    }

    /** @param name the model name responses report; default the file name @return this */
    public Builder modelName(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("modelName must not be blank");
      }
      this.modelName = name;
      return this;
    }

    /** @param tokens context size, shared by the slots (see {@link #parallel(int)}), default 2048 @return this */
    public Builder contextSize(int tokens) {
      if (tokens < 16) {
        throw new IllegalArgumentException("contextSize must be >= 16, was " + tokens);
      }
      this.contextSize = tokens;
      return this;
    }

    /**
     * @param layers transformer layers to offload to the GPU (99 for all); needs a GPU build of the
     *     native library, see the class documentation; default 0 (CPU)
     * @return this
     */
    public Builder gpuLayers(int layers) {
      if (layers < 0) {
        throw new IllegalArgumentException("gpuLayers must be >= 0, was " + layers);
      }
      this.gpuLayers = layers;
      return this;
    }

    /** @param threads CPU threads for generation; default llama.cpp's choice @return this */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** @param slots requests generated at once (each gets contextSize / slots tokens); default 1 @return this */
    public Builder parallel(int slots) {
      if (slots < 1) {
        throw new IllegalArgumentException("parallel must be >= 1, was " + slots);
      }
      this.parallel = slots;
      return this;
    }

    /** @param seed default sampling seed, used when a request sets none; default 42 @return this */
    public Builder seed(int seed) {
      this.seed = seed;
      return this;
    }

    /** @param tokens output limit for requests that set none; default 256 @return this */
    public Builder defaultMaxTokens(int tokens) {
      if (tokens < 1) {
        throw new IllegalArgumentException("defaultMaxTokens must be >= 1, was " + tokens);
      }
      this.defaultMaxTokens = tokens;
      return this;
    }

    /** @param template a chat template replacing the GGUF's own (a llama.cpp template name or Jinja) @return this */
    public Builder chatTemplate(String template) {
      this.chatTemplate = Objects.requireNonNull(template, "template");
      return this;
    }

    /**
     * @param on whether llama.cpp's own log lines (model loading, slots, timings) go to stderr; default
     *     off
     * @return this
     */
    public Builder nativeLogging(boolean on) {
      this.nativeLogging = on;
      return this;
    }

    /**
     * Loads the model.
     *
     * @return the model
     * @throws ConfigurationException when the file is missing or llama.cpp cannot load it
     */
    public LlamaCppChatModel build() {
      if (contextSize / parallel < 16) {
        throw new IllegalArgumentException("contextSize / parallel must be >= 16 tokens per request, was "
            + contextSize + " / " + parallel);
      }
      return new LlamaCppChatModel(this);
    }
  }
}
