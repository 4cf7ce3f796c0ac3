package dev.kiai.router;

import dev.kiai.core.error.AuthenticationException;
import dev.kiai.core.error.MalformedResponseException;
import dev.kiai.core.error.ProviderTimeoutException;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.error.RateLimitedException;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How the router protects calls to one model, with resilience4j: a circuit breaker, retries with
 * exponential backoff and jitter that honour {@code Retry-After}, an optional bulkhead (maximum
 * concurrent calls, e.g. for a local GPU) and an optional timeout (the request's deadline always
 * applies). Per-provider rate limiters are configured on the router. Immutable; build with
 * {@link #builder()}.
 *
 * @param circuitBreaker the circuit breaker's configuration
 * @param maxAttempts attempts per model including the first, at least 1 (1 = no retry)
 * @param initialBackoff wait before the first retry
 * @param backoffMultiplier factor between consecutive waits, at least 1
 * @param jitter randomisation factor of each wait, 0..1
 * @param maxRetryAfter the longest {@code Retry-After} the router waits for; a longer one falls back at once
 * @param bulkhead the bulkhead's configuration, or null for unlimited concurrency
 * @param timeout the longest a call may take, or null to rely on the request's deadline only
 */
public record ResilienceConfig(
    CircuitBreakerConfig circuitBreaker, int maxAttempts, Duration initialBackoff, double backoffMultiplier,
    double jitter, Duration maxRetryAfter, BulkheadConfig bulkhead, Duration timeout) {

  public ResilienceConfig {
    Objects.requireNonNull(circuitBreaker, "circuitBreaker");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    requirePositive(initialBackoff, "initialBackoff");
    if (!(backoffMultiplier >= 1)) {
      throw new IllegalArgumentException("backoffMultiplier must be >= 1, was " + backoffMultiplier);
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter must be within 0..1 (exclusive), was " + jitter);
    }
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    if (maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("maxRetryAfter must be >= 0, was " + maxRetryAfter);
    }
    if (timeout != null) {
      requirePositive(timeout, "timeout");
    }
  }

  private static void requirePositive(Duration d, String field) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be > 0, was " + d);
    }
  }

  /** @return the defaults: see {@link Builder} */
  public static ResilienceConfig defaults() {
    return builder().build();
  }

  /** @return a builder with the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The failures a circuit breaker counts: outages, timeouts, rate limits, malformed answers and rejected
   * credentials. Invalid requests, context-length and content-policy errors say nothing about the
   * model's health and are not counted.
   *
   * @param error a failure
   * @return whether it counts against the model's health
   */
  public static boolean countsAsFailure(Throwable error) {
    return error instanceof ProviderUnavailableException || error instanceof ProviderTimeoutException
        || error instanceof RateLimitedException || error instanceof MalformedResponseException
        || error instanceof AuthenticationException;
  }

  /**
   * Builds a {@link ResilienceConfig}. Defaults: circuit breaker opening at 50 % failures of the last 20
   * calls (at least 10), open for 30 s, 2 trial calls half-open; 3 attempts, backoff 200 ms × 2 with
   * 50 % jitter; Retry-After honoured up to 20 s; no bulkhead; no timeout beyond the deadline.
   */
  public static final class Builder {
    private CircuitBreakerConfig circuitBreaker = CircuitBreakerConfig.custom()
        .failureRateThreshold(50)
        .slidingWindowSize(20)
        .minimumNumberOfCalls(10)
        .waitDurationInOpenState(Duration.ofSeconds(30))
        .permittedNumberOfCallsInHalfOpenState(2)
        .recordException(ResilienceConfig::countsAsFailure)
        .build();
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(200);
    private double backoffMultiplier = 2;
    private double jitter = 0.5;
    private Duration maxRetryAfter = Duration.ofSeconds(20);
    private BulkheadConfig bulkhead;
    private Duration timeout;

    private Builder() {}

    /** @param circuitBreaker the circuit breaker's configuration @return this */
    public Builder circuitBreaker(CircuitBreakerConfig circuitBreaker) {
      this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker");
      return this;
    }

    /** @param maxAttempts attempts per model including the first @return this */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * @param initialBackoff wait before the first retry
     * @param multiplier factor between consecutive waits
     * @param jitter randomisation factor 0..1
     * @return this
     */
    public Builder backoff(Duration initialBackoff, double multiplier, double jitter) {
      this.initialBackoff = initialBackoff;
      this.backoffMultiplier = multiplier;
      this.jitter = jitter;
      return this;
    }

    /** @param maxRetryAfter the longest Retry-After honoured by waiting @return this */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    /**
     * @param maxConcurrentCalls calls allowed at once; more fail fast as {@link ErrorKind#BULKHEAD_FULL}
     * @return this
     */
    public Builder maxConcurrentCalls(int maxConcurrentCalls) {
      if (maxConcurrentCalls < 1) {
        throw new IllegalArgumentException("maxConcurrentCalls must be >= 1, was " + maxConcurrentCalls);
      }
      this.bulkhead = BulkheadConfig.custom().maxConcurrentCalls(maxConcurrentCalls)
          .maxWaitDuration(Duration.ZERO).build();
      return this;
    }

    /** @param bulkhead the bulkhead's configuration, or null for none @return this */
    public Builder bulkhead(BulkheadConfig bulkhead) {
      this.bulkhead = bulkhead;
      return this;
    }

    /** @param timeout the longest one call may take, or null @return this */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** @return the configuration */
    public ResilienceConfig build() {
      return new ResilienceConfig(circuitBreaker, maxAttempts, initialBackoff, backoffMultiplier, jitter,
          maxRetryAfter, bulkhead, timeout);
    }
  }

  /**
   * A rate limiter configuration for {@code permits} calls per {@code period}, failing fast (as
   * {@link ErrorKind#THROTTLED}) instead of waiting when none is left.
   *
   * @param permits calls per period
   * @param period the refresh period
   * @return the configuration, for {@code RouterInterceptor.Builder#rateLimit}
   */
  public static RateLimiterConfig rateLimit(int permits, Duration period) {
    return RateLimiterConfig.custom().limitForPeriod(permits).limitRefreshPeriod(period)
        .timeoutDuration(Duration.ZERO).build();
  }
}
