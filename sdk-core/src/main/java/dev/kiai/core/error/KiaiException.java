package dev.kiai.core.error;

/**
 * Root of every error Kiai raises on purpose. The hierarchy is sealed so that a caller can switch over
 * it exhaustively; each subtype carries the facts needed to act on it (retry-after, budget scope,
 * violated rule, validation errors) instead of only a message.
 */
public abstract sealed class KiaiException extends RuntimeException
    permits ProviderException, BudgetExceededException, BudgetUnavailableException,
        BudgetReservationException, CacheUnavailableException, GuardrailViolationException,
        StructuredOutputException, ConfigurationException, TemplateException,
        UngroundedAnswerException {

  private static final long serialVersionUID = 1L;

  protected KiaiException(String message, Throwable cause) {
    super(message, cause);
  }

  /** @return true when repeating the same request later may succeed (rate limits, outages, timeouts) */
  public boolean retryable() {
    return false;
  }
}
