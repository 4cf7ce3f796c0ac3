package dev.kiai.core.error;

import java.time.Duration;
import java.util.Optional;

/**
 * No complete answer arrived in time: the connect, read or whole-call timeout fired, or the request's
 * deadline passed. Any text streamed before the timeout is kept in {@link #partialText()}.
 */
public final class ProviderTimeoutException extends ProviderException {
  private static final long serialVersionUID = 1L;

  private final Duration timeout;
  private final String partialText;

  public ProviderTimeoutException(
      String provider, String model, String message, Duration timeout, String partialText, Throwable cause) {
    super(provider, model, 0, "timeout", message, cause);
    this.timeout = timeout;
    this.partialText = partialText == null ? "" : partialText;
  }

  /** @return the limit that fired, when known */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** @return text received before the timeout, empty when none */
  public String partialText() {
    return partialText;
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
