package dev.kiai.router;

import dev.kiai.core.error.AuthenticationException;
import dev.kiai.core.error.ContextLengthExceededException;
import dev.kiai.core.error.InvalidRequestException;
import dev.kiai.core.error.MalformedResponseException;
import dev.kiai.core.error.ProviderTimeoutException;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.error.RateLimitedException;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.util.Locale;

/** Kinds of failure the router reacts to, each with its own {@link Fallback} in a {@link FallbackPolicy}. */
public enum ErrorKind {
  /** The provider answered 429 (retries honouring {@code Retry-After} were exhausted or too long). */
  RATE_LIMITED,
  /** The provider failed (5xx, 529, connection refused or reset). */
  UNAVAILABLE,
  /** No answer before the request's deadline or the configured timeout. */
  TIMEOUT,
  /** The prompt plus output does not fit the model's context window. */
  CONTEXT_LENGTH,
  /** The provider filtered the request or the answer (content policy). */
  CONTENT_POLICY,
  /** The credentials were rejected or are missing. */
  AUTHENTICATION,
  /** The request was rejected as invalid. */
  INVALID_REQUEST,
  /** The answer could not be understood or was truncated. */
  MALFORMED_RESPONSE,
  /** The model's circuit breaker is open: recent calls failed too often. */
  CIRCUIT_OPEN,
  /** The model's bulkhead is full: too many concurrent calls (e.g. a local GPU). */
  BULKHEAD_FULL,
  /** The provider's client-side rate limiter refused the call. */
  THROTTLED,
  /** Anything else. */
  OTHER;

  /**
   * @param error a failure of one attempt
   * @return its kind
   */
  public static ErrorKind of(Throwable error) {
    if (error instanceof RateLimitedException) {
      return RATE_LIMITED;
    }
    if (error instanceof ProviderUnavailableException) {
      return UNAVAILABLE;
    }
    if (error instanceof ProviderTimeoutException) {
      return TIMEOUT;
    }
    if (error instanceof ContextLengthExceededException) {
      return CONTEXT_LENGTH;
    }
    if (error instanceof AuthenticationException) {
      return AUTHENTICATION;
    }
    if (error instanceof InvalidRequestException e) {
      String type = e.errorType().orElse("").toLowerCase(Locale.ROOT);
      return type.contains("content") || type.contains("safety") || type.contains("policy")
          ? CONTENT_POLICY : INVALID_REQUEST;
    }
    if (error instanceof MalformedResponseException) {
      return MALFORMED_RESPONSE;
    }
    if (error instanceof CallNotPermittedException) {
      return CIRCUIT_OPEN;
    }
    if (error instanceof BulkheadFullException) {
      return BULKHEAD_FULL;
    }
    if (error instanceof RequestNotPermitted) {
      return THROTTLED;
    }
    return OTHER;
  }

  /** @return the lower-case name used in traces and meters, e.g. {@code rate_limited} */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
