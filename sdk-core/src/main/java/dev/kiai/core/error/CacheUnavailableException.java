package dev.kiai.core.error;

/**
 * A shared cache store (e.g. Redis) could not be reached. {@link dev.kiai.core.cache.SemanticCache}
 * treats it as a miss on lookup and as a local-only store on write, so a cache outage never fails a
 * request; invalidation propagates it, because an invalidation that did not happen must not look done.
 */
public final class CacheUnavailableException extends KiaiException {
  private static final long serialVersionUID = 1L;

  private final String store;

  /**
   * @param store a description of the store, e.g. {@code redis://127.0.0.1:6379}
   * @param message what failed
   * @param cause the store client's error
   */
  public CacheUnavailableException(String store, String message, Throwable cause) {
    super("cache store " + store + " unavailable: " + message, cause);
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
