package dev.kiai.core.error;

import java.time.Duration;
import java.util.Optional;

/**
 * The provider answered 429: too many requests or tokens per interval, or an exhausted quota. The
 * {@link #retryAfter()} value comes from the {@code Retry-After} header (seconds or HTTP date) or the
 * provider's own reset headers when present.
 */
public final class RateLimitedException extends ProviderException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;
  private final boolean quotaExhausted;

  public RateLimitedException(
      String provider, String model, int httpStatus, String errorType, String message,
      Duration retryAfter, boolean quotaExhausted) {
    super(provider, model, httpStatus, errorType, message, null);
    this.retryAfter = retryAfter;
    this.quotaExhausted = quotaExhausted;
  }

  /** @return how long the provider asked the caller to wait, if it said */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * @return true when the account's quota or credit is exhausted (OpenAI {@code insufficient_quota}):
   *     waiting will not help, so such an error is not {@link #retryable()}
   */
  public boolean quotaExhausted() {
    return quotaExhausted;
  }

  @Override
  public boolean retryable() {
    return !quotaExhausted;
  }
}
