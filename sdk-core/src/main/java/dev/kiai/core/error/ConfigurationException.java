package dev.kiai.core.error;

/**
 * Kiai was set up inconsistently: an unknown model, an unreadable price table or template folder, a
 * changed released prompt version, a missing API key. Raised at build or load time where possible.
 */
public final class ConfigurationException extends KiaiException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message, null);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
