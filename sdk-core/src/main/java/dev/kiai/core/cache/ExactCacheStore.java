package dev.kiai.core.cache;

import java.time.Duration;
import java.util.Optional;

/**
 * Storage for the exact tier of a {@link SemanticCache} that several cache instances (application
 * replicas) share, so that an answer one replica paid for is an exact hit in every other. Keys are
 * opaque strings the cache builds from the request's scope and its normalised last user message;
 * implementations may hash them. {@code kiai-cache-redis} provides a Redis implementation;
 * {@link InMemoryExactCacheStore} shares answers between caches of one process (and serves tests).
 * Without a store the exact tier is in-process only (Caffeine), which is the default.
 *
 * <p>Implementations are thread-safe, and report an unreachable backend with
 * {@link dev.kiai.core.error.CacheUnavailableException}.
 */
public interface ExactCacheStore extends AutoCloseable {

  /**
   * @param key the exact key
   * @return the answer stored under it, or empty when there is none or it expired
   */
  Optional<CachedAnswer> get(String key);

  /**
   * @param key the exact key
   * @return whether an answer is stored under it; the default calls {@link #get}
   */
  default boolean contains(String key) {
    return get(key).isPresent();
  }

  /**
   * Stores an answer, replacing any under the same key.
   *
   * @param key the exact key
   * @param answer the answer
   * @param ttl how long it stays, positive
   */
  void put(String key, CachedAnswer answer, Duration ttl);

  /**
   * @param key the exact key
   * @return true when an answer was removed
   */
  boolean evict(String key);

  /**
   * @param tag a tag given at store time
   * @return how many answers were removed
   */
  int invalidateTag(String tag);

  /**
   * @param template a template version ({@code id@version})
   * @return how many answers rendered from exactly that version were removed
   */
  int invalidateTemplate(dev.kiai.core.prompt.TemplateRef template);

  /**
   * @param templateId a template id
   * @return how many answers rendered from any version of it were removed
   */
  int invalidateTemplate(String templateId);

  /** Removes every answer of this store. */
  void clear();

  /** Frees the store's connections; the default does nothing. */
  @Override
  default void close() {}
}
