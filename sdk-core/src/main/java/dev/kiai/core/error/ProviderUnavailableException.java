package dev.kiai.core.error;

/**
 * The provider could not serve the request right now: an HTTP 5xx answer (including Anthropic's 529
 * "overloaded"), a refused or reset connection, or an unknown host. Retrying or falling back to
 * another provider is appropriate.
 */
public final class ProviderUnavailableException extends ProviderException {
  private static final long serialVersionUID = 1L;

  public ProviderUnavailableException(
      String provider, String model, int httpStatus, String errorType, String message, Throwable cause) {
    super(provider, model, httpStatus, errorType, message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
