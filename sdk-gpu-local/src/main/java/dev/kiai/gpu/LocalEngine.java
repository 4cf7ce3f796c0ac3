package dev.kiai.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.error.MalformedResponseException;
import dev.kiai.core.error.ProviderException;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A connection to one inference server (vLLM, llama.cpp's {@code llama-server}, Ollama or another
 * OpenAI-compatible engine): its health, the models it serves, exact token counts where it offers
 * {@code /tokenize}, its current load from {@code /metrics}, and {@link OpenAiCompatibleChatModel}s that
 * send each engine the structured-output request it understands.
 *
 * <pre>{@code
 * try (LocalEngine vllm = LocalEngine.vllm("http://gpu-box:8000")) {
 *   if (vllm.health().ready()) {
 *     OpenAiCompatibleChatModel model = vllm.chatModel("meta-llama/Llama-3.1-8B-Instruct");
 *   }
 * }
 * }</pre>
 *
 * <p>The base URL is the server's root, without {@code /v1}. Probing calls use short timeouts (default
 * 2 s) and never throw for an unreachable engine: health says {@link EngineHealth.State#DOWN}. Immutable
 * and thread-safe; close it to release its connection pool.
 */
public final class LocalEngine implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

  private final EngineKind kind;
  private final HttpUrl root;
  private final String baseUrl;
  private final OkHttpClient http;
  private final Clock clock;

  private LocalEngine(Builder b) {
    this.kind = b.kind;
    HttpUrl parsed = HttpUrl.parse(b.baseUrl.replaceAll("/+$", ""));
    if (parsed == null) {
      throw new IllegalArgumentException("baseUrl must be an http(s) URL, was " + b.baseUrl);
    }
    this.root = parsed;
    this.baseUrl = b.baseUrl.replaceAll("/+$", "");
    this.http = new OkHttpClient.Builder()
        .connectTimeout(b.probeTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(b.probeTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .callTimeout(b.probeTimeout.toMillis() * 2, TimeUnit.MILLISECONDS)
        .build();
    this.clock = b.clock;
  }

  /** @param baseUrl e.g. {@code http://localhost:8000} @return a vLLM connection with default settings */
  public static LocalEngine vllm(String baseUrl) {
    return builder(EngineKind.VLLM, baseUrl).build();
  }

  /** @param baseUrl e.g. {@code http://localhost:8080} @return a llama.cpp server connection */
  public static LocalEngine llamaCpp(String baseUrl) {
    return builder(EngineKind.LLAMA_CPP, baseUrl).build();
  }

  /** @param baseUrl e.g. {@code http://localhost:11434} @return an Ollama connection */
  public static LocalEngine ollama(String baseUrl) {
    return builder(EngineKind.OLLAMA, baseUrl).build();
  }

  /**
   * @param kind the engine
   * @param baseUrl the server root, without {@code /v1}
   * @return a builder
   */
  public static Builder builder(EngineKind kind, String baseUrl) {
    return new Builder(kind, baseUrl);
  }

  /** @return the engine kind */
  public EngineKind kind() {
    return kind;
  }

  /** @return the server root, without a trailing slash */
  public String baseUrl() {
    return baseUrl;
  }

  /**
   * Asks the engine whether it can serve: vLLM {@code GET /health} (200 ready, else down); llama.cpp
   * {@code GET /health} (200 ready, 503 loading); Ollama {@code GET /api/version}; other engines
   * {@code GET /v1/models}.
   *
   * @return the state; {@link EngineHealth.State#DOWN} with status 0 when unreachable
   */
  public EngineHealth health() {
    String path = switch (kind) {
      case VLLM, LLAMA_CPP -> "health";
      case OLLAMA -> "api/version";
      case OPENAI_COMPATIBLE -> "v1/models";
    };
    try (Response r = http.newCall(get(path)).execute()) {
      String body = r.body().string();
      if (r.isSuccessful()) {
        return new EngineHealth(EngineHealth.State.READY, r.code(), "ok");
      }
      if (kind == EngineKind.LLAMA_CPP && r.code() == 503 && body.toLowerCase(java.util.Locale.ROOT).contains("loading")) {
        return new EngineHealth(EngineHealth.State.LOADING, r.code(), "loading model");
      }
      return new EngineHealth(EngineHealth.State.DOWN, r.code(), "HTTP " + r.code());
    } catch (IOException e) {
      return new EngineHealth(EngineHealth.State.DOWN, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * Lists the model ids {@code GET /v1/models} reports; on vLLM this includes each LoRA adapter, which is
   * selected by sending its name as the model.
   *
   * @return model ids in the engine's order
   * @throws ProviderUnavailableException when the engine cannot be reached or answers an error status
   * @throws MalformedResponseException when the answer is not JSON
   */
  public List<String> models() {
    JsonNode root = getJson("v1/models");
    List<String> ids = new ArrayList<>();
    for (JsonNode m : root.path("data")) {
      if (m.path("id").isTextual()) {
        ids.add(m.path("id").asText());
      }
    }
    return List.copyOf(ids);
  }

  /**
   * Counts tokens exactly with the engine's own tokenizer: vLLM {@code POST /tokenize}
   * ({@code {"model","prompt"}}), llama.cpp {@code POST /tokenize} ({@code {"content"}}).
   *
   * @param model the model whose tokenizer counts (vLLM); ignored by llama.cpp
   * @param text the text
   * @return the count, or empty for engines without a tokenize endpoint (Ollama, generic)
   * @throws ProviderUnavailableException when the engine cannot be reached or answers an error status
   * @throws MalformedResponseException when the answer is not JSON
   */
  public OptionalInt countTokens(String model, String text) {
    Objects.requireNonNull(text, "text");
    ObjectNode body = JSON.createObjectNode();
    switch (kind) {
      case VLLM -> body.put("model", Objects.requireNonNull(model, "model")).put("prompt", text)
          .put("add_special_tokens", false);
      case LLAMA_CPP -> body.put("content", text).put("add_special", false);
      default -> {
        return OptionalInt.empty();
      }
    }
    JsonNode answer = postJson("tokenize", body);
    if (answer.has("count")) {
      return OptionalInt.of(answer.path("count").asInt());
    }
    return OptionalInt.of(answer.path("tokens").size());
  }

  /**
   * The models Ollama holds in memory, with their VRAM, from {@code GET /api/ps}.
   *
   * @return the loaded models; empty for engines other than Ollama
   * @throws ProviderUnavailableException when Ollama cannot be reached or answers an error status
   */
  public List<LoadedModel> loadedModels() {
    if (kind != EngineKind.OLLAMA) {
      return List.of();
    }
    List<LoadedModel> out = new ArrayList<>();
    for (JsonNode m : getJson("api/ps").path("models")) {
      out.add(new LoadedModel(m.path("name").asText(m.path("model").asText()), m.path("size").asLong(),
          m.path("size_vram").asLong()));
    }
    return List.copyOf(out);
  }

  /**
   * A chat model for one of this engine's models, through its OpenAI-compatible {@code /v1} API, with the
   * provider name of the engine ({@link EngineKind#providerName()}) and the engine's structured-output
   * field (llama.cpp: top-level {@code json_schema}; others: {@code response_format}). For a vLLM LoRA
   * adapter pass the adapter's name.
   *
   * @param model the model as the engine names it
   * @return a new chat model; close it when done
   */
  public OpenAiCompatibleChatModel chatModel(String model) {
    return chatModelBuilder(model).build();
  }

  /**
   * @param model the model as the engine names it
   * @return a builder prefilled as {@link #chatModel(String)} does, to change timeouts or headers
   */
  public OpenAiCompatibleChatModel.Builder chatModelBuilder(String model) {
    OpenAiCompatibleChatModel.Builder b = OpenAiCompatibleChatModel.builder().baseUrl(baseUrl + "/v1")
        .defaultModel(Objects.requireNonNull(model, "model")).provider(kind.providerName())
        .maxTokensField("max_tokens");
    if (kind == EngineKind.LLAMA_CPP) {
      b.jsonSchemaField("json_schema");
    }
    return b;
  }

  /**
   * Reads the engine's load counters once. Rates and recent percentiles need two readings; see
   * {@link EngineLoadSignal}.
   *
   * @return the reading; {@code healthy} false when the engine could not be read
   */
  EngineReading read() {
    long at = clock.millis();
    EngineHealth health = health();
    if (!health.ready()) {
      return EngineReading.down(at);
    }
    try {
      return switch (kind) {
        case VLLM -> EngineReading.fromVllm(at, PrometheusText.parse(getText("metrics")));
        case LLAMA_CPP -> EngineReading.fromLlamaCpp(at, PrometheusText.parse(getText("metrics")), slots());
        case OLLAMA -> EngineReading.unknownLoad(at);
        case OPENAI_COMPATIBLE -> EngineReading.unknownLoad(at);
      };
    } catch (ProviderException e) {
      return EngineReading.down(at);
    }
  }

  /** @return llama.cpp slot count, or -1 when {@code /slots} is disabled */
  private int slots() {
    try {
      JsonNode slots = getJson("slots");
      return slots.isArray() ? slots.size() : -1;
    } catch (ProviderException e) {
      return -1;
    }
  }

  // ------------------------------------------------------------------- http

  private Request get(String path) {
    return new Request.Builder().url(root.newBuilder().addPathSegments(path).build()).get().build();
  }

  private String getText(String path) {
    return execute(get(path));
  }

  private JsonNode getJson(String path) {
    return parse(getText(path), path);
  }

  private JsonNode postJson(String path, JsonNode body) {
    Request r = new Request.Builder().url(root.newBuilder().addPathSegments(path).build())
        .post(RequestBody.create(body.toString(), APPLICATION_JSON)).build();
    return parse(execute(r), path);
  }

  private String execute(Request request) {
    try (Response r = http.newCall(request).execute()) {
      String body = r.body().string();
      if (!r.isSuccessful()) {
        throw new ProviderUnavailableException(kind.providerName(), null, r.code(), "engine_http_error",
            request.url().encodedPath() + " answered HTTP " + r.code(), null);
      }
      return body;
    } catch (IOException e) {
      throw new ProviderUnavailableException(kind.providerName(), null, 0, "engine_unreachable",
          request.url().encodedPath() + " unreachable: " + e.getMessage(), e);
    }
  }

  private JsonNode parse(String text, String path) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new MalformedResponseException(kind.providerName(), null, 200, "/" + path + " answered something that is not JSON",
          "", false, e);
    }
  }

  /** Releases the connection pool. */
  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** @return kind and base URL */
  @Override
  public String toString() {
    return "LocalEngine[" + kind.providerName() + " " + baseUrl + "]";
  }

  /** Configures a {@link LocalEngine}. */
  public static final class Builder {
    private final EngineKind kind;
    private final String baseUrl;
    private Duration probeTimeout = Duration.ofSeconds(2);
    private Clock clock = Clock.systemUTC();

    private Builder(EngineKind kind, String baseUrl) {
      this.kind = Objects.requireNonNull(kind, "kind");
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    /** @param timeout connect and read timeout of health, metrics and tokenize calls; default 2 s @return this */
    public Builder probeTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("probeTimeout must be > 0, was " + timeout);
      }
      this.probeTimeout = timeout;
      return this;
    }

    /** @param clock the clock readings are stamped with; default UTC system clock @return this */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** @return the connection */
    public LocalEngine build() {
      return new LocalEngine(this);
    }
  }
}
