package dev.kiai.core.error;

/**
 * The provider's answer could not be understood: invalid JSON, a missing required field, an
 * unexpected event, or a stream that ended before its terminal event (truncated). Text received before
 * the failure is kept in {@link #partialText()} so nothing is lost.
 */
public final class MalformedResponseException extends ProviderException {
  private static final long serialVersionUID = 1L;

  private final String partialText;
  private final boolean truncated;

  public MalformedResponseException(
      String provider, String model, int httpStatus, String message, String partialText,
      boolean truncated, Throwable cause) {
    super(provider, model, httpStatus, truncated ? "truncated_stream" : "malformed_response", message, cause);
    this.partialText = partialText == null ? "" : partialText;
    this.truncated = truncated;
  }

  /** @return text received before the failure, empty when none */
  public String partialText() {
    return partialText;
  }

  /** @return true when a stream ended before its terminal event */
  public boolean truncated() {
    return truncated;
  }

  @Override
  public boolean retryable() {
    return truncated;
  }
}
