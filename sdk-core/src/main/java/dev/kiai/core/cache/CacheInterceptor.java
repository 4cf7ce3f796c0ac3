package dev.kiai.core.cache;

import dev.kiai.core.LlmInterceptor;
import dev.kiai.core.StreamListener;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.ToolCallDelta;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.telemetry.TelemetryNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Puts a {@link SemanticCache} on Kiai's request path: a hit answers without calling the model, a miss
 * proceeds and stores the answer. Each request gets one trace entry of stage {@value #STAGE}:
 * {@code hit} (tier, similarity, entry, hit id for {@link SemanticCache#markWrong}, the saved cost and
 * when the answer was cached) or {@code miss} (reason, best similarity, then {@code stored} or why not).
 *
 * <p>A hit's response carries the cached message and finish reason, zero usage, a zero cost priced as
 * {@code cache}, provider {@value #PROVIDER}, the model that first answered, and the lookup time as
 * latency. With a {@link MeterRegistry}, it counts {@value TelemetryNames#KIAI_CACHE_LOOKUPS} (tags
 * {@code result=hit|miss}, {@code tier}) and {@value TelemetryNames#KIAI_CACHE_SAVED_COST}.
 *
 * <p>Place it after the input guardrails and the budget reservation and before the router. Output
 * guardrails placed before it (outer) see cache hits too and, by throwing, keep flagged answers from
 * the caller; an output guardrail placed after it (inner) marks a flagged answer it lets through with a
 * trace attribute {@value SemanticCache#NO_STORE}{@code =true}, and the answer is not cached. Tags for
 * {@link SemanticCache#invalidateTag} come from the request attribute {@value SemanticCache#ATTR_TAGS}.
 * Streaming requests are served from the cache as one text delta, and stored when the stream completes.
 */
public final class CacheInterceptor implements LlmInterceptor {
  /** The trace stage name. */
  public static final String STAGE = "cache";
  /** The provider name of responses served from the cache. */
  public static final String PROVIDER = "kiai-cache";

  private final SemanticCache cache;
  private final MeterRegistry meters;

  private CacheInterceptor(SemanticCache cache, MeterRegistry meters) {
    this.cache = cache;
    this.meters = meters;
  }

  /**
   * @param cache the cache
   * @return an interceptor that records no meters
   */
  public static CacheInterceptor of(SemanticCache cache) {
    return new CacheInterceptor(Objects.requireNonNull(cache, "cache"), null);
  }

  /**
   * @param cache the cache
   * @param meters receives {@value TelemetryNames#KIAI_CACHE_LOOKUPS} and
   *     {@value TelemetryNames#KIAI_CACHE_SAVED_COST}
   * @return an interceptor that records meters
   */
  public static CacheInterceptor of(SemanticCache cache, MeterRegistry meters) {
    return new CacheInterceptor(Objects.requireNonNull(cache, "cache"), Objects.requireNonNull(meters, "meters"));
  }

  /** @return the cache this interceptor uses */
  public SemanticCache cache() {
    return cache;
  }

  /** @return {@value #STAGE} */
  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public ChatResponse intercept(Chain chain) {
    ChatRequest request = chain.request();
    long start = System.nanoTime();
    CacheLookup lookup = cache.lookup(request);
    count(lookup);
    if (lookup.hit()) {
      chain.record("hit", hitAttributes(lookup));
      return served(lookup, System.nanoTime() - start);
    }
    ChatResponse response = chain.proceed(request);
    StoreResult stored = cache.store(request, response, tags(request), lookup);
    chain.record("miss", missAttributes(lookup, stored));
    return response;
  }

  @Override
  public void interceptStream(StreamChain chain) {
    ChatRequest request = chain.request();
    long start = System.nanoTime();
    CacheLookup lookup = cache.lookup(request);
    count(lookup);
    StreamListener listener = chain.listener();
    if (lookup.hit()) {
      chain.record("hit", hitAttributes(lookup));
      ChatResponse r = served(lookup, System.nanoTime() - start);
      if (!r.text().isEmpty()) {
        listener.onText(r.text());
      }
      listener.onComplete(r);
      return;
    }
    chain.proceed(request, new StreamListener() {
      @Override
      public void onText(String delta) {
        listener.onText(delta);
      }

      @Override
      public void onToolCall(ToolCallDelta delta) {
        listener.onToolCall(delta);
      }

      @Override
      public void onComplete(ChatResponse response) {
        StoreResult stored = cache.store(request, response, tags(request), lookup);
        chain.record("miss", missAttributes(lookup, stored));
        listener.onComplete(response);
      }

      @Override
      public void onError(Throwable error) {
        chain.record("miss", missAttributes(lookup, new StoreResult(false, null, "the call failed")));
        listener.onError(error);
      }
    });
  }

  private static ChatResponse served(CacheLookup lookup, long nanos) {
    ChatResponse original = lookup.response().orElseThrow();
    Cost zero = new Cost(original.cost().currency(), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
        BigDecimal.ZERO, "cache");
    return new ChatResponse("cache-" + lookup.hitId().orElseThrow(), original.message(),
        original.finishReason(), Usage.ZERO, zero, original.model(), PROVIDER, Duration.ofNanos(nanos),
        lookup.template().orElse(original.template()), null);
  }

  private static Map<String, String> hitAttributes(CacheLookup lookup) {
    Map<String, String> a = new LinkedHashMap<>();
    Cost saved = lookup.savedCost();
    a.put("tier", lookup.tier().name().toLowerCase(Locale.ROOT));
    a.put("similarity", String.format(Locale.ROOT, "%.4f", lookup.similarity()));
    a.put("entry", lookup.entryId().orElseThrow());
    a.put("hit_id", lookup.hitId().orElseThrow());
    a.put("saved_cost", saved.total().toPlainString());
    a.put("saved_cost_currency", saved.currency());
    a.put("saved_priced_as", saved.known() ? saved.pricedAs() : "unknown");
    a.put("cached_at", lookup.createdAt().orElseThrow().toString());
    ChatResponse r = lookup.response().orElseThrow();
    a.put("model", r.model());
    lookup.template().ifPresent(t -> a.put("template", t.toString()));
    return a;
  }

  private static Map<String, String> missAttributes(CacheLookup lookup, StoreResult stored) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("reason", lookup.reason().orElse(""));
    if (!Double.isNaN(lookup.similarity())) {
      a.put("best_similarity", String.format(Locale.ROOT, "%.4f", lookup.similarity()));
    }
    a.put("stored", Boolean.toString(stored.stored()));
    if (stored.stored()) {
      a.put("entry", stored.entryId());
    } else {
      a.put("not_stored_because", stored.reason());
    }
    return a;
  }

  private static Collection<String> tags(ChatRequest request) {
    Object t = request.context().attributes().get(SemanticCache.ATTR_TAGS);
    if (t == null) {
      return List.of();
    }
    if (t instanceof Collection<?> c) {
      return c.stream().map(String::valueOf).toList();
    }
    return List.of(t.toString());
  }

  private void count(CacheLookup lookup) {
    if (meters == null) {
      return;
    }
    Counter.builder(TelemetryNames.KIAI_CACHE_LOOKUPS)
        .description("Cache lookups by result and tier")
        .tag(TelemetryNames.KIAI_CACHE_RESULT,
            lookup.hit() ? TelemetryNames.CACHE_RESULT_HIT : TelemetryNames.CACHE_RESULT_MISS)
        .tag(TelemetryNames.KIAI_CACHE_TIER, lookup.tier().name().toLowerCase(Locale.ROOT))
        .register(meters)
        .increment();
    if (lookup.hit() && lookup.savedCost().known()) {
      Counter.builder(TelemetryNames.KIAI_CACHE_SAVED_COST)
          .description("Cost of the answers served from the cache instead of a model")
          .tag(TelemetryNames.KIAI_CURRENCY, lookup.savedCost().currency())
          .register(meters)
          .increment(lookup.savedCost().total().doubleValue());
    }
  }
}
