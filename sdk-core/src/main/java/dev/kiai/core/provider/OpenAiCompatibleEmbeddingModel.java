package dev.kiai.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.RequestContext;
import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.MalformedResponseException;
import dev.kiai.core.error.ProviderException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * An {@link EmbeddingModel} for the OpenAI Embeddings API ({@code POST {baseUrl}/embeddings}) and the
 * servers that speak it (Azure OpenAI, vLLM, llama.cpp server, Ollama {@code /v1}, LM Studio, Mistral).
 *
 * <pre>{@code
 * try (OpenAiCompatibleEmbeddingModel e = OpenAiCompatibleEmbeddingModel.builder()
 *     .apiKey(System.getenv("OPENAI_API_KEY")).model("text-embedding-3-small").dimensions(1536).build()) {
 *   float[] v = e.embed("How do I reset my password?");
 * }
 * }</pre>
 *
 * <p>Texts are sent in batches of up to {@code maxBatchSize} inputs with {@code encoding_format: float};
 * answers are put back in input order by their {@code index}. Every vector is checked to have
 * {@link #dimensions()} entries and is L2-normalised here, so {@link #normalized()} holds whatever the
 * server does. Failures map to the same {@link ProviderException}s as the chat providers (429 to
 * {@link dev.kiai.core.error.RateLimitedException} with the server's retry-after, 401/403 to
 * {@link dev.kiai.core.error.AuthenticationException}, other 4xx to
 * {@link dev.kiai.core.error.InvalidRequestException}, 5xx and connection failures to
 * {@link dev.kiai.core.error.ProviderUnavailableException}, unreadable answers to
 * {@link MalformedResponseException}). Thread-safe; close it to release its connection pool.
 */
public final class OpenAiCompatibleEmbeddingModel implements EmbeddingModel, AutoCloseable {
  private final String provider;
  private final String model;
  private final int dimensions;
  private final boolean sendDimensions;
  private final int maxBatchSize;
  private final HttpUrl endpoint;
  private final Map<String, String> headers;
  private final ProviderHttp http;

  private OpenAiCompatibleEmbeddingModel(Builder b) {
    this.provider = b.provider;
    this.model = b.model;
    this.dimensions = b.dimensions;
    this.sendDimensions = b.sendDimensions;
    this.maxBatchSize = b.maxBatchSize;
    this.endpoint = ProviderHttp.endpoint(b.baseUrl, "embeddings", Map.of());
    this.headers = b.requestHeaders("Authorization", "Bearer ", Map.of());
    this.http = b.http();
  }

  /** @return a builder; {@code model} and {@code dimensions} are required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param text the text
   * @return its L2-normalised vector
   * @throws ProviderException on any failure
   */
  @Override
  public float[] embed(String text) {
    Objects.requireNonNull(text, "text");
    return embedAll(List.of(text)).get(0);
  }

  /**
   * @param texts the texts, sent in batches of at most {@code maxBatchSize}
   * @return one vector per text, in order
   * @throws ProviderException on any failure
   */
  @Override
  public List<float[]> embedAll(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    List<float[]> out = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += maxBatchSize) {
      out.addAll(call(texts.subList(from, Math.min(texts.size(), from + maxBatchSize))));
    }
    return out;
  }

  private List<float[]> call(List<String> batch) {
    ObjectNode body = ProviderJson.object();
    body.put("model", model);
    ArrayNode input = body.putArray("input");
    for (int i = 0; i < batch.size(); i++) {
      input.add(Objects.requireNonNull(batch.get(i), "texts contains null"));
    }
    body.put("encoding_format", "float");
    if (sendDimensions) {
      body.put("dimensions", dimensions);
    }
    ProviderHttp.CallTimeout timeout = http.timeoutFor(RequestContext.empty(), model);
    Call call = http.newCall(endpoint, headers, body, timeout);
    try (Response response = http.execute(call, model, timeout)) {
      if (!response.isSuccessful()) {
        ProviderErrors.ErrorBody error = ProviderErrors.parse(ProviderErrors.readBody(response),
            "HTTP " + response.code());
        java.time.Duration retryAfter = response.code() == 429
            ? ProviderErrors.retryAfter(response.headers(), http.clock().instant()) : null;
        throw ProviderErrors.classify(provider, model, response.code(), response.code(), error, retryAfter,
            error.is("insufficient_quota"), false);
      }
      String text;
      try {
        text = response.body().string();
      } catch (IOException e) {
        throw http.ioFailure(call, e, model, timeout, "", response.code());
      }
      return parse(ProviderJson.parseAnswer(text, provider, model, response.code(), ""), batch.size(),
          response.code());
    }
  }

  private List<float[]> parse(JsonNode root, int expected, int status) {
    JsonNode data = root.get("data");
    if (data == null || !data.isArray() || data.size() != expected) {
      throw malformed(status, "expected " + expected + " embeddings in \"data\", got "
          + (data == null || !data.isArray() ? "none" : data.size()));
    }
    float[][] vectors = new float[expected][];
    for (JsonNode item : data) {
      JsonNode idx = item.get("index");
      JsonNode emb = item.get("embedding");
      if (idx == null || !idx.canConvertToInt() || idx.asInt() < 0 || idx.asInt() >= expected
          || vectors[idx.asInt()] != null) {
        throw malformed(status, "an embedding has a missing, repeated or out-of-range \"index\"");
      }
      if (emb == null || !emb.isArray() || emb.size() != dimensions) {
        throw malformed(status, "expected " + dimensions + " dimensions, got "
            + (emb == null || !emb.isArray() ? "no array" : emb.size()));
      }
      float[] v = new float[dimensions];
      double norm = 0;
      for (int i = 0; i < dimensions; i++) {
        JsonNode x = emb.get(i);
        if (!x.isNumber()) {
          throw malformed(status, "an embedding holds a non-number");
        }
        v[i] = (float) x.asDouble();
        norm += (double) v[i] * v[i];
      }
      norm = Math.sqrt(norm);
      if (norm > 0) {
        for (int i = 0; i < dimensions; i++) {
          v[i] = (float) (v[i] / norm);
        }
      }
      vectors[idx.asInt()] = v;
    }
    return List.of(vectors);
  }

  private MalformedResponseException malformed(int status, String message) {
    return new MalformedResponseException(provider, model, status, message, "", false, null);
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  /** @return {@code provider/model}, e.g. {@code openai/text-embedding-3-small} */
  @Override
  public String modelId() {
    return provider + "/" + model;
  }

  /** @return true: vectors are normalised here */
  @Override
  public boolean normalized() {
    return true;
  }

  /** Releases the connection pool if this model created its HTTP client. */
  @Override
  public void close() {
    http.close();
  }

  /**
   * Configures an {@link OpenAiCompatibleEmbeddingModel}; every setter checks its argument at once.
   * Defaults: OpenAI's base URL ({@code /embeddings} is appended), provider name {@code openai}, the key
   * sent as {@code Authorization: Bearer KEY}, read timeout 60 s, call timeout 2 min.
   */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private String model;
    private int dimensions;
    private boolean sendDimensions;
    private int maxBatchSize = 256;

    private Builder() {
      super(OpenAiCompatibleChatModel.OPENAI_BASE_URL, "openai", Duration.ofSeconds(60), Duration.ofMinutes(2));
    }

    @Override
    Builder self() {
      return this;
    }

    /** @param model the embedding model, e.g. {@code text-embedding-3-small} @return this */
    public Builder model(String model) {
      this.model = ProviderHttp.requireText(model, "model");
      return this;
    }

    /**
     * @param dimensions the vector length the model returns, >= 1 (1536 for text-embedding-3-small)
     * @return this
     */
    public Builder dimensions(int dimensions) {
      if (dimensions < 1) {
        throw new IllegalArgumentException("dimensions must be >= 1, was " + dimensions);
      }
      this.dimensions = dimensions;
      return this;
    }

    /**
     * @param send whether to send {@code dimensions} in the request, asking the model to shorten its
     *     vectors (text-embedding-3 models support it); default false
     * @return this
     */
    public Builder sendDimensions(boolean send) {
      this.sendDimensions = send;
      return this;
    }

    /** @param maxBatchSize inputs per request, 1..2048; default 256 @return this */
    public Builder maxBatchSize(int maxBatchSize) {
      if (maxBatchSize < 1 || maxBatchSize > 2048) {
        throw new IllegalArgumentException("maxBatchSize must be within 1..2048, was " + maxBatchSize);
      }
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /**
     * @return the model
     * @throws ConfigurationException when model or dimensions are missing, or the base URL is not a URL
     */
    public OpenAiCompatibleEmbeddingModel build() {
      if (model == null) {
        throw new ConfigurationException("model is required (e.g. text-embedding-3-small)");
      }
      if (dimensions == 0) {
        throw new ConfigurationException("dimensions is required (e.g. 1536 for text-embedding-3-small)");
      }
      return new OpenAiCompatibleEmbeddingModel(this);
    }
  }
}
