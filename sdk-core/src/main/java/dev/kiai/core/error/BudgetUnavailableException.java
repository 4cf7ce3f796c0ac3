package dev.kiai.core.error;

/**
 * The budget store (e.g. Redis) could not be reached, so a budget decision could not be made. With the
 * default fail-closed setting the request is refused; a ledger configured to fail open admits it
 * unaccounted instead and never raises this from a reservation.
 */
public final class BudgetUnavailableException extends KiaiException {
  private static final long serialVersionUID = 1L;

  private final String store;

  /**
   * @param store a description of the store, e.g. {@code redis://127.0.0.1:6379}
   * @param message what failed
   * @param cause the store client's error
   */
  public BudgetUnavailableException(String store, String message, Throwable cause) {
    super("budget store " + store + " unavailable: " + message, cause);
    this.store = store;
  }

  /** @return the store that failed, e.g. {@code redis://127.0.0.1:6379} */
  public String store() {
    return store;
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
