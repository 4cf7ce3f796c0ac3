/**
 * The answer cache: {@link dev.kiai.core.cache.SemanticCache} (exact and semantic tiers, scoped keys,
 * the {@link dev.kiai.core.cache.CacheGuard}, calibrated and adaptive thresholds, invalidation), the
 * {@link dev.kiai.core.cache.VectorIndex} SPI with the brute-force
 * {@link dev.kiai.core.cache.InMemoryVectorIndex}, and {@link dev.kiai.core.cache.CacheInterceptor},
 * which puts the cache on Kiai's request path.
 */
package dev.kiai.core.cache;
