package dev.kiai.core.error;

/**
 * The provider rejected the request as malformed or unsupported (HTTP 400, 404 for an unknown model,
 * 422), or Kiai refused it before sending because a field is missing or inconsistent.
 */
public final class InvalidRequestException extends ProviderException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(
      String provider, String model, int httpStatus, String errorType, String message) {
    super(provider, model, httpStatus, errorType, message, null);
  }
}
