/**
 * {@link dev.kiai.cache.redis.RedisExactCacheStore}: the exact tier of
 * {@link dev.kiai.core.cache.SemanticCache} in Redis, so that several application replicas share cached
 * answers, with Redis expiry for the TTL and index sets for invalidation by tag and template version.
 */
package dev.kiai.cache.redis;
