package dev.kiai.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiai.core.RequestContext;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.InvalidRequestException;
import dev.kiai.core.error.MalformedResponseException;
import dev.kiai.core.error.ProviderException;
import dev.kiai.core.error.ProviderTimeoutException;
import dev.kiai.core.error.ProviderUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The HTTP side shared by the providers: one {@link OkHttpClient} per model (its connection pool and
 * timeouts), per-call timeouts derived from the request's deadline, and the mapping of I/O failures to
 * {@link ProviderException}s. Thread-safe.
 */
final class ProviderHttp implements AutoCloseable {
  static final MediaType JSON = MediaType.get("application/json");

  /** The timeout of one call and whether the request's deadline (rather than the configured limit) set it. */
  record CallTimeout(Duration value, boolean fromDeadline) {}

  private final String provider;
  private final OkHttpClient client;
  private final boolean ownsClient;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration callTimeout;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  ProviderHttp(String provider, OkHttpClient shared, Duration connectTimeout, Duration readTimeout,
      Duration callTimeout) {
    this.provider = provider;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.callTimeout = callTimeout;
    this.clock = Clock.systemUTC();
    OkHttpClient.Builder b = shared == null ? new OkHttpClient.Builder() : shared.newBuilder();
    this.client = b.connectTimeout(connectTimeout).readTimeout(readTimeout).callTimeout(callTimeout).build();
    this.ownsClient = shared == null;
  }

  /** @return the configured timeouts checked: present and positive */
  static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }

  /** @return the value, checked to be present and not blank */
  static String requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  /**
   * @return the model the request names, else the default
   * @throws InvalidRequestException when there is neither; nothing is sent then
   */
  String modelFor(ChatRequest request, String defaultModel) {
    String model = request.model() != null ? request.model() : defaultModel;
    if (model == null || model.isBlank()) {
      throw new InvalidRequestException(provider, null, 0, "missing_model",
          "the request names no model and no default model is configured");
    }
    return model;
  }

  /**
   * @param baseUrl the configured base URL
   * @param path path segments to append, e.g. {@code chat/completions}
   * @param query query parameters to add
   * @return the endpoint
   * @throws ConfigurationException when the base URL is not an http(s) URL
   */
  static HttpUrl endpoint(String baseUrl, String path, Map<String, String> query) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    HttpUrl url = HttpUrl.parse(base);
    if (url == null) {
      throw new ConfigurationException("baseUrl is not an http or https URL: " + baseUrl);
    }
    HttpUrl.Builder b = url.newBuilder().addPathSegments(path);
    query.forEach(b::addQueryParameter);
    return b.build();
  }

  Clock clock() {
    return clock;
  }

  Duration readTimeout() {
    return readTimeout;
  }

  /**
   * @return the timeout for a call that starts now: the configured call timeout, shortened to the time
   *     left before the request's deadline
   * @throws ProviderTimeoutException when the deadline has already passed; nothing is sent then
   */
  CallTimeout timeoutFor(RequestContext context, String model) {
    Instant deadline = context.deadline();
    if (deadline == null) {
      return new CallTimeout(callTimeout, false);
    }
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw new ProviderTimeoutException(provider, model,
          "the request deadline " + deadline + " passed before the call was sent", Duration.ZERO, "", null);
    }
    return left.compareTo(callTimeout) < 0 ? new CallTimeout(left, true) : new CallTimeout(callTimeout, false);
  }

  /**
   * @param url endpoint
   * @param headers headers to send, in order
   * @param body JSON body
   * @param timeout limit for the whole call, body reading included
   * @return the call, not yet executed
   */
  Call newCall(HttpUrl url, Map<String, String> headers, JsonNode body, CallTimeout timeout) {
    if (closed.get()) {
      throw new IllegalStateException(provider + " model is closed");
    }
    Request.Builder request = new Request.Builder().url(url)
        .post(RequestBody.create(ProviderJson.writeBytes(body), JSON));
    headers.forEach(request::header);
    Call call = client.newCall(request.build());
    call.timeout().timeout(timeout.value().toNanos(), TimeUnit.NANOSECONDS);
    return call;
  }

  /**
   * Executes a call up to the arrival of the response headers.
   *
   * @throws ProviderException when no answer arrives
   */
  Response execute(Call call, String model, CallTimeout timeout) {
    try {
      return call.execute();
    } catch (IOException e) {
      throw ioFailure(call, e, model, timeout, "", 0);
    }
  }

  /**
   * Maps an I/O failure. Timeouts become {@link ProviderTimeoutException}; failures before any answer
   * (refused, reset, unknown host) {@link ProviderUnavailableException} with status 0; failures while
   * reading an answer's body a truncated {@link MalformedResponseException}.
   *
   * @param partialText text received before the failure
   * @param status the answer's HTTP status when its body was being read, 0 when no answer arrived
   */
  ProviderException ioFailure(
      Call call, IOException e, String model, CallTimeout timeout, String partialText, int status) {
    if (e instanceof InterruptedIOException || call.isCanceled()) {
      Duration limit;
      String what;
      if (e instanceof SocketTimeoutException) {
        boolean connect = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect");
        limit = connect ? connectTimeout : readTimeout;
        what = connect ? "connect timeout" : "read timeout";
      } else {
        limit = timeout.value();
        what = timeout.fromDeadline() ? "request deadline" : "call timeout";
      }
      return new ProviderTimeoutException(provider, model,
          "no complete answer within the " + what + " of " + limit.toMillis() + " ms"
              + (partialText.isEmpty() ? "" : " (" + partialText.length() + " characters received)"),
          limit, partialText, e);
    }
    if (status > 0) {
      return new MalformedResponseException(provider, model, status,
          "the answer broke off: " + describe(e), partialText, true, e);
    }
    return new ProviderUnavailableException(provider, model, 0, "connection_failed", describe(e), e);
  }

  private static String describe(IOException e) {
    if (e instanceof UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    if (e instanceof ConnectException) {
      return "connection refused: " + e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Releases the connection pool and dispatcher threads, when this instance created the client. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsClient) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
