package dev.kiai.core.error;

/**
 * The prompt plus the requested output does not fit the model's context window. Retrying the same
 * request is pointless; shrink it or fall back to a model with a larger window.
 */
public final class ContextLengthExceededException extends ProviderException {
  private static final long serialVersionUID = 1L;

  public ContextLengthExceededException(
      String provider, String model, int httpStatus, String errorType, String message) {
    super(provider, model, httpStatus, errorType, message, null);
  }
}
