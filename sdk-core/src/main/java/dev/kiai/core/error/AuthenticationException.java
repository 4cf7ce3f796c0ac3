package dev.kiai.core.error;

/** The provider rejected the credentials (HTTP 401) or the key lacks permission (HTTP 403). */
public final class AuthenticationException extends ProviderException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(
      String provider, String model, int httpStatus, String errorType, String message) {
    super(provider, model, httpStatus, errorType, message, null);
  }
}
