package dev.kiai.router;

import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.error.KiaiException;
import dev.kiai.core.error.ProviderTimeoutException;
import dev.kiai.core.error.RateLimitedException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The resilience4j machinery per model and provider: circuit breakers and bulkheads per model, rate
 * limiters per provider (shared across requests), retries and time limiters per call (they depend on
 * the request's deadline). Decoration order, outermost first: retry, circuit breaker, rate limiter,
 * time limiter, bulkhead, call.
 */
final class Guards {
  /** Receives retry events for the trace. */
  interface RetryListener {
    void onRetry(int attempt, Throwable error, Duration wait);
  }

  private final ResilienceConfig defaults;
  private final Map<String, ResilienceConfig> perModel;
  private final Map<String, RateLimiterConfig> rateLimits;
  private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
  private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
  private final RateLimiterRegistry rateLimiters = RateLimiterRegistry.ofDefaults();
  private final ExecutorService executor;
  private final Clock clock;

  Guards(ResilienceConfig defaults, Map<String, ResilienceConfig> perModel,
      Map<String, RateLimiterConfig> rateLimits, ExecutorService executor, Clock clock) {
    this.defaults = defaults;
    this.perModel = Map.copyOf(perModel);
    this.rateLimits = Map.copyOf(rateLimits);
    this.executor = executor;
    this.clock = clock;
  }

  ResilienceConfig config(String model) {
    return perModel.getOrDefault(model, defaults);
  }

  CircuitBreaker breaker(String model) {
    return breakers.circuitBreaker(model, config(model).circuitBreaker());
  }

  Bulkhead bulkhead(String model) {
    ResilienceConfig c = config(model);
    return c.bulkhead() == null ? null : bulkheads.bulkhead(model, c.bulkhead());
  }

  RateLimiter rateLimiter(String provider) {
    RateLimiterConfig c = provider == null ? null : rateLimits.get(provider);
    return c == null ? null : rateLimiters.rateLimiter(provider, c);
  }

  /**
   * Calls {@code call} for {@code model} under all guards.
   *
   * @throws RuntimeException the last failure, unwrapped
   */
  ChatResponse call(String model, String provider, Instant deadline, Supplier<ChatResponse> call,
      RetryListener listener) {
    ResilienceConfig c = config(model);
    Bulkhead bulkhead = bulkhead(model);
    Supplier<ChatResponse> guarded = bulkhead == null ? call : Bulkhead.decorateSupplier(bulkhead, call);
    Supplier<ChatResponse> inner = guarded;
    Supplier<ChatResponse> timed = () -> timeLimited(model, provider, c.timeout(), deadline, inner);
    RateLimiter limiter = rateLimiter(provider);
    Supplier<ChatResponse> limited = limiter == null ? timed : RateLimiter.decorateSupplier(limiter, timed);
    Supplier<ChatResponse> broken = CircuitBreaker.decorateSupplier(breaker(model), limited);
    if (c.maxAttempts() == 1) {
      return broken.get();
    }
    Retry retry = Retry.of(model, retryConfig(c, deadline));
    retry.getEventPublisher().onRetry(e -> listener.onRetry(e.getNumberOfRetryAttempts(), e.getLastThrowable(),
        e.getWaitInterval()));
    return Retry.decorateSupplier(retry, broken).get();
  }

  private RetryConfig retryConfig(ResilienceConfig c, Instant deadline) {
    IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(c.initialBackoff(),
        c.backoffMultiplier(), c.jitter());
    IntervalBiFunction<Object> interval = (attempt, either) -> {
      long base = backoff.apply(attempt);
      if (either.isLeft() && either.getLeft() instanceof RateLimitedException r && r.retryAfter().isPresent()) {
        return Math.max(base, r.retryAfter().get().toMillis());
      }
      return base;
    };
    return RetryConfig.custom()
        .maxAttempts(c.maxAttempts())
        .intervalBiFunction(interval)
        .retryOnException(e -> shouldRetry(c, deadline, e))
        .failAfterMaxAttempts(false)
        .build();
  }

  private boolean shouldRetry(ResilienceConfig c, Instant deadline, Throwable e) {
    if (!(e instanceof KiaiException k) || !k.retryable()) {
      return false;
    }
    Duration wait = c.initialBackoff();
    if (e instanceof RateLimitedException r && r.retryAfter().isPresent()) {
      wait = r.retryAfter().get();
      if (wait.compareTo(c.maxRetryAfter()) > 0) {
        return false;
      }
    }
    return deadline == null || clock.instant().plus(wait).isBefore(deadline);
  }

  private ChatResponse timeLimited(String model, String provider, Duration timeout, Instant deadline,
      Supplier<ChatResponse> call) {
    Duration limit = timeout;
    if (deadline != null) {
      Duration left = Duration.between(clock.instant(), deadline);
      limit = limit == null || left.compareTo(limit) < 0 ? left : limit;
    }
    if (limit == null) {
      return call.get();
    }
    if (limit.isNegative() || limit.isZero()) {
      throw new ProviderTimeoutException(provider, model, "the request's deadline passed before the call",
          Duration.ZERO, "", null);
    }
    TimeLimiter limiter = TimeLimiter.of(model, TimeLimiterConfig.custom().timeoutDuration(limit)
        .cancelRunningFuture(true).build());
    try {
      return limiter.executeFutureSupplier(() -> executor.submit(call::get));
    } catch (TimeoutException e) {
      throw new ProviderTimeoutException(provider, model, "no answer within " + limit.toMillis() + " ms",
          limit, "", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("call to " + model + " failed", e);
    }
  }
}
