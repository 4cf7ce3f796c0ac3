package dev.kiai.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.kiai.core.prompt.TemplateRef;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An {@link ExactCacheStore} in this process's memory (Caffeine, size-bounded, each answer expiring
 * after its own TTL): shares exact answers between several {@link SemanticCache} instances of one
 * process, and stands in for a shared store in tests. Invalidation scans the entries. Thread-safe.
 */
public final class InMemoryExactCacheStore implements ExactCacheStore {
  private record Stored(CachedAnswer answer, Duration ttl) {}

  private final Cache<String, Stored> cache;

  /**
   * @param maxEntries most answers kept, >= 1
   * @param clock time source for expiry
   */
  public InMemoryExactCacheStore(long maxEntries, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
    }
    Objects.requireNonNull(clock, "clock");
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .expireAfter(Expiry.<String, Stored>writing((key, value) -> value.ttl))
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .executor(Runnable::run)
        .build();
  }

  @Override
  public Optional<CachedAnswer> get(String key) {
    Stored s = cache.getIfPresent(Objects.requireNonNull(key, "key"));
    return s == null ? Optional.empty() : Optional.of(s.answer);
  }

  @Override
  public void put(String key, CachedAnswer answer, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(answer, "answer");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    cache.put(key, new Stored(answer, ttl));
  }

  @Override
  public boolean evict(String key) {
    return cache.asMap().remove(Objects.requireNonNull(key, "key")) != null;
  }

  @Override
  public int invalidateTag(String tag) {
    Objects.requireNonNull(tag, "tag");
    return removeIf(a -> a.tags().contains(tag));
  }

  @Override
  public int invalidateTemplate(TemplateRef template) {
    Objects.requireNonNull(template, "template");
    return removeIf(a -> template.equals(a.template()));
  }

  @Override
  public int invalidateTemplate(String templateId) {
    Objects.requireNonNull(templateId, "templateId");
    return removeIf(a -> a.template() != null && a.template().id().equals(templateId));
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }

  /** @return the number of answers held */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  private int removeIf(Predicate<CachedAnswer> p) {
    int n = 0;
    for (Map.Entry<String, Stored> e : cache.asMap().entrySet()) {
      if (p.test(e.getValue().answer) && cache.asMap().remove(e.getKey(), e.getValue())) {
        n++;
      }
    }
    return n;
  }
}
