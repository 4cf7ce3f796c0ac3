package dev.kiai.core.provider;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * The settings every HTTP provider of Kiai shares — where the API is, the key, extra headers, the name
 * used in traces and errors, timeouts and an optional shared {@link OkHttpClient} — as the common base
 * of the providers' builders ({@link OpenAiCompatibleChatModel.Builder},
 * {@link AnthropicChatModel.Builder}, {@link OpenAiCompatibleEmbeddingModel.Builder}). Every setter
 * checks its argument at once and returns the concrete builder, so calls chain across both levels.
 *
 * @param <B> the concrete builder type
 */
public abstract class HttpProviderBuilder<B extends HttpProviderBuilder<B>> {
  String baseUrl;
  String apiKey;
  final Map<String, String> headers = new LinkedHashMap<>();
  String provider;
  Duration connectTimeout = Duration.ofSeconds(10);
  Duration readTimeout;
  Duration callTimeout;
  OkHttpClient httpClient;

  HttpProviderBuilder(String baseUrl, String provider, Duration readTimeout, Duration callTimeout) {
    this.baseUrl = baseUrl;
    this.provider = provider;
    this.readTimeout = readTimeout;
    this.callTimeout = callTimeout;
  }

  /** @return this builder as its concrete type */
  abstract B self();

  /**
   * The request headers a provider sends: its auth header (only when an API key is set), then its
   * fixed headers, then the user's {@link #header extra headers}, which may override both.
   *
   * @param authName the auth header's name, e.g. {@code Authorization}
   * @param authPrefix put before the key, e.g. {@code "Bearer "}
   * @param fixed the provider's own headers, e.g. {@code anthropic-version}
   * @return an immutable copy
   */
  Map<String, String> requestHeaders(String authName, String authPrefix, Map<String, String> fixed) {
    Map<String, String> h = new LinkedHashMap<>();
    if (apiKey != null && !apiKey.isBlank()) {
      h.put(authName, authPrefix + apiKey);
    }
    h.putAll(fixed);
    h.putAll(headers);
    return Map.copyOf(h);
  }

  /** @return the HTTP transport with this builder's client, provider name and timeouts */
  ProviderHttp http() {
    return new ProviderHttp(provider, httpClient, connectTimeout, readTimeout, callTimeout);
  }

  /**
   * @param baseUrl the API root that the provider's endpoint path ({@code /chat/completions},
   *     {@code /v1/messages}, {@code /embeddings}) is appended to; each provider documents its default
   * @return this
   */
  public B baseUrl(String baseUrl) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    return self();
  }

  /**
   * @param apiKey the key sent in the provider's auth header, or null for servers (or proxies) that
   *     need none or add it themselves
   * @return this
   */
  public B apiKey(String apiKey) {
    this.apiKey = apiKey;
    return self();
  }

  /**
   * @param name header sent with every request (e.g. {@code OpenAI-Organization},
   *     {@code anthropic-beta}); replaces an earlier value of the same name, including the auth header
   * @param value its value
   * @return this
   */
  public B header(String name, String value) {
    headers.put(ProviderHttp.requireText(name, "name"), Objects.requireNonNull(value, "value"));
    return self();
  }

  /**
   * @param provider name used in traces, meters and errors; each provider documents its default
   * @return this
   */
  public B provider(String provider) {
    this.provider = ProviderHttp.requireText(provider, "provider");
    return self();
  }

  /**
   * @param timeout limit for opening a connection; default 10 s
   * @return this
   */
  public B connectTimeout(Duration timeout) {
    this.connectTimeout = ProviderHttp.positive(timeout, "connectTimeout");
    return self();
  }

  /**
   * @param timeout limit for any wait for the next bytes: the first byte of a non-streamed answer, or
   *     the next event of a stream; default 5 min for chat models, 60 s for embeddings
   * @return this
   */
  public B readTimeout(Duration timeout) {
    this.readTimeout = ProviderHttp.positive(timeout, "readTimeout");
    return self();
  }

  /**
   * @param timeout limit for a whole call, streamed body included; shortened per call to the request's
   *     {@link dev.kiai.core.RequestContext#deadline()}; default 10 min for chat models, 2 min for
   *     embeddings
   * @return this
   */
  public B callTimeout(Duration timeout) {
    this.callTimeout = ProviderHttp.positive(timeout, "callTimeout");
    return self();
  }

  /**
   * Shares an existing client's connection pool and dispatcher; the model then applies its own
   * timeouts on top and does not shut the shared pool down when it is closed.
   *
   * @param client the client to share
   * @return this
   */
  public B httpClient(OkHttpClient client) {
    this.httpClient = Objects.requireNonNull(client, "client");
    return self();
  }
}
