package dev.kiai.core.cache;

/**
 * Counters of a {@link SemanticCache} since it was created.
 *
 * @param exactHits lookups answered by the exact tier
 * @param semanticHits lookups answered by the semantic tier
 * @param misses lookups not answered
 * @param guardRejections semantic candidates above the threshold that the {@link CacheGuard} rejected
 * @param wrongHits hits reported through {@link SemanticCache#markWrong}
 * @param entries answers cached now
 */
public record CacheStats(
    long exactHits, long semanticHits, long misses, long guardRejections, long wrongHits, long entries) {

  /** @return hits / lookups, 0 before the first lookup */
  public double hitRate() {
    long lookups = exactHits + semanticHits + misses;
    return lookups == 0 ? 0 : (double) (exactHits + semanticHits) / lookups;
  }
}
