package dev.kiai.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.kiai.core.RequestContext;
import dev.kiai.core.Trace;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Role;
import dev.kiai.core.chat.ToolCall;
import dev.kiai.core.chat.ToolDefinition;
import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.core.error.CacheUnavailableException;
import dev.kiai.core.prompt.TemplateRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * A two-tier answer cache for LLM requests.
 *
 * <ul>
 *   <li><b>Exact tier</b>: the normalised last user message (Unicode NFKC, lower case, collapsed
 *       white space) within the request's scope, in a Caffeine cache bounded by {@code maxEntries} and
 *       {@code ttl}.</li>
 *   <li><b>Semantic tier</b> (when an {@link EmbeddingModel} is configured): the nearest cached prompts
 *       of the same scope by embedding similarity, in a {@link VectorIndex} per scope; a candidate hits
 *       when its similarity reaches the threshold and the {@link CacheGuard} finds no difference in
 *       negation, numbers, dates or codes.</li>
 * </ul>
 *
 * <p><b>Scope.</b> A hit is only possible between requests with the same tenant (unless
 * {@link Builder#shareAcrossTenants}), the same route (the {@link #ATTR_SCOPE} attribute, else the
 * requested model), system prompt, template {@code id@version}, tools and tool choice, response format,
 * token limit and stop sequences, and the same earlier conversation: everything but the last user
 * message is part of the scope key. Requests with a temperature above 0 are neither answered nor stored
 * unless {@link Builder#cacheNonZeroTemperature} or the request's {@link #ATTR_ALLOW_TEMPERATURE}
 * attribute allows it; {@link #ATTR_BYPASS} skips the cache for one request.
 *
 * <p><b>Never cached</b>: failures (nothing to store), answers with tool calls, truncated answers
 * ({@link FinishReason#LENGTH}), filtered answers ({@link FinishReason#CONTENT_FILTER}), empty answers,
 * and answers whose trace carries the attribute {@link #NO_STORE}{@code =true} (how an output guardrail
 * placed after the cache marks an answer it flagged).
 *
 * <p><b>Thresholds.</b> One global similarity threshold, set by {@link Builder#threshold} or chosen by
 * {@link #calibrate} from labelled pairs for a maximum false-hit rate. In adaptive mode
 * ({@link Builder#adaptive}) feedback through {@link #markWrong} raises the threshold of the entry that
 * answered wrongly above the similarity of the wrong hit, and switches semantic hits off for an entry
 * whose share of wrong hits exceeds the target.
 *
 * <p><b>Invalidation</b>: entries expire after {@code ttl}; {@link #invalidateTemplate},
 * {@link #invalidateTag} and {@link #evict} remove them explicitly. A new template version never sees
 * the old version's entries (the version is part of the scope).
 *
 * <p><b>Shared exact tier.</b> With {@link Builder#exactStore} (e.g. {@code RedisExactCacheStore} from
 * {@code kiai-cache-redis}) every stored answer is also written to a store that other replicas read: a
 * lookup that misses the in-process tiers asks the shared store for the exact key before embedding the
 * prompt, and invalidation by tag, template, {@link #evict}, {@link #markWrong} of an exact hit and
 * {@link #clear} reach the shared store too. The semantic tier stays per process; a local entry (exact
 * or semantic) is served only after the shared store confirms it still holds it (one round trip per
 * hit), so an invalidation in any replica takes effect in all of them. A shared store that
 * cannot be reached ({@link CacheUnavailableException}) counts as a miss on lookup and is skipped on
 * store; invalidation rethrows it. The cache does not close the store.
 *
 * <p>Thread-safe; lookups and stores may run concurrently. Use it through {@link CacheInterceptor}.
 */
public final class SemanticCache {
  /** Request attribute ({@code Collection<String>}): tags stored with the answer, for {@link #invalidateTag}. */
  public static final String ATTR_TAGS = "kiai.cache.tags";
  /** Request attribute ({@code Boolean}): true skips the cache for this request (no lookup, no store). */
  public static final String ATTR_BYPASS = "kiai.cache.bypass";
  /** Request attribute ({@code String}): the route or model class to scope by instead of the model id. */
  public static final String ATTR_SCOPE = "kiai.cache.scope";
  /** Request attribute ({@code Boolean}): true allows caching this request although its temperature is above 0. */
  public static final String ATTR_ALLOW_TEMPERATURE = "kiai.cache.allow-temperature";
  /** Trace attribute: {@code "true"} on any entry of an answer's trace keeps the answer out of the cache. */
  public static final String NO_STORE = "kiai.cache.no-store";

  private final EmbeddingModel embeddings;
  private final CacheGuard guard;
  private final boolean shareAcrossTenants;
  private final boolean cacheNonZeroTemperature;
  private final Double adaptiveTarget;
  private final int candidates;
  private final Duration ttl;
  private final Clock clock;
  private final IntFunction<VectorIndex> indexFactory;
  private final ExactCacheStore shared;
  private final Cache<String, Entry> exact;
  private final Cache<String, HitRecord> hits;
  private final Map<String, Entry> byId = new ConcurrentHashMap<>();
  private final Map<String, VectorIndex> indexes = new ConcurrentHashMap<>();
  private volatile double threshold;
  private final LongAdder exactHits = new LongAdder();
  private final LongAdder semanticHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder guardRejections = new LongAdder();
  private final LongAdder wrongHits = new LongAdder();

  private SemanticCache(Builder b) {
    this.embeddings = b.embeddings;
    this.guard = b.guard ? CacheGuard.standard() : null;
    this.shareAcrossTenants = b.shareAcrossTenants;
    this.cacheNonZeroTemperature = b.cacheNonZeroTemperature;
    this.adaptiveTarget = b.adaptiveTarget;
    this.candidates = b.candidates;
    this.ttl = b.ttl;
    this.clock = b.clock;
    this.threshold = b.threshold;
    this.indexFactory = b.indexFactory;
    this.shared = b.exactStore;
    Clock c = b.clock;
    this.exact = Caffeine.newBuilder()
        .maximumSize(b.maxEntries)
        .expireAfterWrite(b.ttl)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(c.millis()))
        .executor(Runnable::run)
        .<String, Entry>removalListener((key, entry, cause) -> removed(entry, cause))
        .build();
    this.hits = Caffeine.newBuilder()
        .maximumSize(Math.max(1_000, b.maxEntries))
        .expireAfterWrite(Duration.ofHours(24))
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(c.millis()))
        .executor(Runnable::run)
        .build();
  }

  /** @return a builder: exact tier only until an embedding model is set */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the global similarity threshold of the semantic tier */
  public double threshold() {
    return threshold;
  }

  /** @return the number of cached answers */
  public long size() {
    exact.cleanUp();
    return exact.estimatedSize();
  }

  /** @return counters since creation */
  public CacheStats stats() {
    return new CacheStats(exactHits.sum(), semanticHits.sum(), misses.sum(), guardRejections.sum(),
        wrongHits.sum(), size());
  }

  /**
   * @param request a request
   * @return why the request may not use the cache (bypass, temperature, last message not from the
   *     user), or empty when it may
   */
  public Optional<String> uncacheable(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    RequestContext ctx = request.context();
    if (Boolean.TRUE.equals(ctx.attributes().get(ATTR_BYPASS))) {
      return Optional.of("bypassed by the request");
    }
    if (request.temperature() != null && request.temperature() > 0 && !cacheNonZeroTemperature
        && !Boolean.TRUE.equals(ctx.attributes().get(ATTR_ALLOW_TEMPERATURE))) {
      return Optional.of("temperature " + request.temperature() + " > 0");
    }
    ChatMessage last = request.messages().get(request.messages().size() - 1);
    if (last.role() != Role.USER) {
      return Optional.of("the last message is not a user message");
    }
    return Optional.empty();
  }

  /**
   * Looks for a cached answer to the request: exact tier first, then the semantic tier.
   *
   * @param request the request
   * @return a hit with the cached answer, or a miss with its reason
   */
  public CacheLookup lookup(ChatRequest request) {
    Optional<String> no = uncacheable(request);
    if (no.isPresent()) {
      misses.increment();
      return CacheLookup.miss(no.get(), Double.NaN, null);
    }
    String text = request.lastUserText();
    String scope = scopeKey(request);
    String key = exactKey(scope, text);
    Entry e = exact.getIfPresent(key);
    if (e != null && !stillShared(e)) {
      e = null;
    }
    if (e != null) {
      exactHits.increment();
      return recordHit(e, CacheLookup.Tier.EXACT, 1.0);
    }
    if (shared != null) {
      Optional<CachedAnswer> a = sharedGet(key);
      if (a.isPresent() && a.get().expiresAt().isAfter(clock.instant())) {
        exactHits.increment();
        CachedAnswer c = a.get();
        return recordHit(c.id(), key, c.response(), c.createdAt(), c.template(), CacheLookup.Tier.EXACT, 1.0);
      }
    }
    if (embeddings == null) {
      misses.increment();
      return CacheLookup.miss("no exact match (semantic tier off)", Double.NaN, null);
    }
    float[] vector = embeddings.embed(text);
    VectorIndex index = indexes.get(scope);
    if (index == null) {
      misses.increment();
      return CacheLookup.miss("no entry in scope", Double.NaN, vector);
    }
    double best = Double.NaN;
    String reason = null;
    CacheGuard.Facts queryFacts = null; // extracted on the first candidate the guard must judge
    for (VectorIndex.Match m : index.search(vector, candidates, threshold)) {
      Entry candidate = byId.get(m.id());
      if (candidate == null) {
        continue;
      }
      if (Double.isNaN(best)) {
        best = m.score();
      }
      if (candidate.expiresAt.isBefore(clock.instant()) || candidate.expiresAt.equals(clock.instant())) {
        exact.asMap().remove(candidate.exactKey, candidate);
        continue;
      }
      double required = candidate.effectiveThreshold(threshold);
      if (m.score() < required) {
        if (reason == null) {
          reason = String.format(Locale.ROOT, "below threshold %.4f", required);
        }
        continue;
      }
      if (guard != null) {
        if (queryFacts == null) {
          queryFacts = CacheGuard.facts(text);
        }
        Optional<String> rejected = guard.check(CacheGuard.facts(candidate.prompt), queryFacts);
        if (rejected.isPresent()) {
          guardRejections.increment();
          if (reason == null || reason.startsWith("below")) {
            reason = "guard: " + rejected.get();
          }
          continue;
        }
      }
      if (!stillShared(candidate)) {
        continue;
      }
      semanticHits.increment();
      return recordHit(candidate, CacheLookup.Tier.SEMANTIC, m.score());
    }
    misses.increment();
    if (reason == null) {
      reason = index.size() == 0 ? "no entry in scope"
          : String.format(Locale.ROOT, "no candidate reaches threshold %.4f", threshold);
    }
    return CacheLookup.miss(reason, best, vector);
  }

  private CacheLookup recordHit(Entry e, CacheLookup.Tier tier, double similarity) {
    e.served.incrementAndGet();
    return recordHit(e.id, e.exactKey, e.response, e.createdAt, e.template, tier, similarity);
  }

  private CacheLookup recordHit(String entryId, String exactKey, ChatResponse response, Instant createdAt,
      TemplateRef template, CacheLookup.Tier tier, double similarity) {
    String hitId = UUID.randomUUID().toString();
    hits.put(hitId, new HitRecord(entryId, exactKey, tier, similarity));
    return CacheLookup.hit(tier, entryId, hitId, similarity, response, createdAt, template);
  }

  /**
   * With a shared store, a local entry is served only while the store still holds it: another replica
   * may have invalidated it. Drops the local copy when not. An unreachable store keeps the local copy.
   */
  private boolean stillShared(Entry e) {
    if (shared == null) {
      return true;
    }
    boolean present;
    try {
      present = shared.contains(e.exactKey);
    } catch (CacheUnavailableException ex) {
      return true;
    }
    if (!present) {
      exact.asMap().remove(e.exactKey, e);
    }
    return present;
  }

  private Optional<CachedAnswer> sharedGet(String key) {
    try {
      return shared.get(key);
    } catch (CacheUnavailableException e) {
      return Optional.empty(); // a cache outage is a miss, never a failed request
    }
  }

  /**
   * Stores an answer, unless the request or the answer must not be cached.
   *
   * @param request the request that was answered
   * @param response its answer, as returned by the model (with usage and cost)
   * @param tags tags for {@link #invalidateTag}, possibly empty
   * @return whether it was stored, with the entry id or the reason it was not
   */
  public StoreResult store(ChatRequest request, ChatResponse response, Collection<String> tags) {
    return store(request, response, tags, null);
  }

  /**
   * Like {@link #store(ChatRequest, ChatResponse, Collection)}, reusing the embedding a miss computed.
   *
   * @param request the request that was answered
   * @param response its answer
   * @param tags tags for {@link #invalidateTag}
   * @param miss the lookup that missed for this request
   * @return whether it was stored
   */
  public StoreResult store(ChatRequest request, ChatResponse response, Collection<String> tags, CacheLookup miss) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(tags, "tags");
    Optional<String> no = uncacheable(request).or(() -> unstorable(response));
    if (no.isPresent()) {
      return StoreResult.skipped(no.get());
    }
    String text = request.lastUserText();
    String scope = scopeKey(request);
    float[] vector = null;
    if (embeddings != null) {
      vector = miss != null && miss.vector() != null ? miss.vector() : embeddings.embed(text);
    }
    Instant now = clock.instant();
    Entry e = new Entry(UUID.randomUUID().toString(), scope, exactKey(scope, text), text,
        response.withTrace(Trace.EMPTY), now, now.plus(ttl), request.context().template(), Set.copyOf(tags),
        vector);
    byId.put(e.id, e);
    if (vector != null) {
      indexes.computeIfAbsent(scope, s -> indexFactory.apply(embeddings.dimensions())).add(e.id, vector);
    }
    exact.put(e.exactKey, e);
    if (shared != null) {
      try {
        shared.put(e.exactKey, new CachedAnswer(e.id, text, e.response, now, e.expiresAt, e.template, e.tags), ttl);
      } catch (CacheUnavailableException ex) {
        // stored in this process only; other replicas miss it until the store is back
      }
    }
    return StoreResult.stored(e.id);
  }

  private static Optional<String> unstorable(ChatResponse r) {
    if (!r.toolCalls().isEmpty() || r.finishReason() == FinishReason.TOOL_CALLS) {
      return Optional.of("the answer calls tools");
    }
    if (r.finishReason() == FinishReason.LENGTH) {
      return Optional.of("the answer is truncated (finish reason length)");
    }
    if (r.finishReason() == FinishReason.CONTENT_FILTER) {
      return Optional.of("the answer was filtered (finish reason content_filter)");
    }
    for (Trace.Entry t : r.trace().entries()) {
      if ("true".equals(t.attributes().get(NO_STORE))) {
        return Optional.of("flagged by " + t.stage() + ": " + t.decision());
      }
    }
    if (r.text().isBlank()) {
      return Optional.of("the answer is empty");
    }
    return Optional.empty();
  }

  /**
   * Reports that a hit served a wrong answer. Counts it; an exact hit evicts the entry (its answer is
   * wrong for its own prompt); in adaptive mode a semantic hit raises the entry's threshold above the
   * hit's similarity, and an entry whose share of wrong hits exceeds the target answers only exact
   * matches from then on.
   *
   * @param hitId {@link CacheLookup#hitId()} of the hit
   * @return true when the hit was known (hits are remembered for 24 hours)
   * @throws CacheUnavailableException when an exact hit must be evicted from an unreachable shared store
   */
  public boolean markWrong(String hitId) {
    Objects.requireNonNull(hitId, "hitId");
    HitRecord rec = hits.asMap().remove(hitId);
    if (rec == null) {
      return false;
    }
    wrongHits.increment();
    if (rec.tier == CacheLookup.Tier.EXACT && shared != null) {
      shared.evict(rec.exactKey);
    }
    Entry e = byId.get(rec.entryId);
    if (e == null) {
      return true;
    }
    if (rec.tier == CacheLookup.Tier.EXACT) {
      evict(e.id);
      return true;
    }
    int wrong = e.wrong.incrementAndGet();
    if (adaptiveTarget != null) {
      e.raiseThreshold(Math.min(1.0, rec.similarity + 1e-3));
      if ((double) wrong / Math.max(1, e.served.get()) > adaptiveTarget) {
        e.raiseThreshold(Double.POSITIVE_INFINITY);
      }
    }
    return true;
  }

  /**
   * Removes an entry this cache stored, here and in the shared exact store.
   *
   * @param entryId {@link CacheLookup#entryId()} or {@link StoreResult#entryId()}
   * @return true when the entry was cached and is now removed
   * @throws CacheUnavailableException when the shared store cannot be reached
   */
  public boolean evict(String entryId) {
    Entry e = byId.get(Objects.requireNonNull(entryId, "entryId"));
    if (e == null) {
      return false;
    }
    boolean removed = exact.asMap().remove(e.exactKey, e);
    if (shared != null) {
      removed |= shared.evict(e.exactKey);
    }
    return removed;
  }

  /**
   * @param tag a tag given at store time
   * @return how many entries were removed: in this process, or in the shared store when there is one
   *     and it removed more (it holds the entries of every replica)
   * @throws CacheUnavailableException when the shared store cannot be reached
   */
  public int invalidateTag(String tag) {
    Objects.requireNonNull(tag, "tag");
    int local = removeIf(e -> e.tags.contains(tag));
    return shared == null ? local : Math.max(local, shared.invalidateTag(tag));
  }

  /**
   * @param template a template version
   * @return how many entries rendered from exactly that version were removed (counted as by
   *     {@link #invalidateTag})
   * @throws CacheUnavailableException when the shared store cannot be reached
   */
  public int invalidateTemplate(TemplateRef template) {
    Objects.requireNonNull(template, "template");
    int local = removeIf(e -> template.equals(e.template));
    return shared == null ? local : Math.max(local, shared.invalidateTemplate(template));
  }

  /**
   * @param templateId a template id
   * @return how many entries rendered from any version of it were removed (counted as by
   *     {@link #invalidateTag})
   * @throws CacheUnavailableException when the shared store cannot be reached
   */
  public int invalidateTemplate(String templateId) {
    Objects.requireNonNull(templateId, "templateId");
    int local = removeIf(e -> e.template != null && e.template.id().equals(templateId));
    return shared == null ? local : Math.max(local, shared.invalidateTemplate(templateId));
  }

  /**
   * Removes every entry, and clears the shared exact store (for every replica).
   *
   * @throws CacheUnavailableException when the shared store cannot be reached
   */
  public void clear() {
    exact.invalidateAll();
    if (shared != null) {
      shared.clear();
    }
  }

  private int removeIf(java.util.function.Predicate<Entry> p) {
    int n = 0;
    for (Entry e : new ArrayList<>(byId.values())) {
      if (p.test(e) && exact.asMap().remove(e.exactKey, e)) {
        n++;
      }
    }
    return n;
  }

  private void removed(Entry e, RemovalCause cause) {
    if (e == null) {
      return;
    }
    byId.remove(e.id, e);
    if (e.vector != null) {
      VectorIndex index = indexes.get(e.scope);
      if (index != null) {
        index.remove(e.id);
      }
    }
  }

  /**
   * Chooses the global threshold from labelled pairs: the lowest similarity at which the share of wrong
   * hits stays within {@code maxFalseHitRate}, counting pairs the guard rejects as misses. The chosen
   * threshold replaces the current one.
   *
   * @param pairs labelled pairs, at least one labelled same
   * @param maxFalseHitRate the largest acceptable share of wrong hits, 0..1
   * @return the threshold with the precision and recall it reaches on {@code pairs}
   * @throws IllegalStateException when no embedding model is configured
   */
  public Calibration calibrate(List<LabelledPair> pairs, double maxFalseHitRate) {
    if (!(maxFalseHitRate >= 0 && maxFalseHitRate <= 1)) {
      throw new IllegalArgumentException("maxFalseHitRate must be within 0..1, was " + maxFalseHitRate);
    }
    Scores s = score(pairs);
    Calibration c = Calibration.choose(s.scores, s.same, maxFalseHitRate);
    this.threshold = c.threshold();
    return c;
  }

  /**
   * Measures precision and recall on labelled pairs at a given threshold, changing nothing.
   *
   * @param pairs labelled pairs
   * @param threshold the threshold to evaluate
   * @return precision and recall at it
   * @throws IllegalStateException when no embedding model is configured
   */
  public Calibration evaluate(List<LabelledPair> pairs, double threshold) {
    Scores s = score(pairs);
    return Calibration.at(s.scores, s.same, threshold);
  }

  private record Scores(double[] scores, boolean[] same) {}

  private Scores score(List<LabelledPair> pairs) {
    Objects.requireNonNull(pairs, "pairs");
    if (embeddings == null) {
      throw new IllegalStateException("calibration needs an embedding model: set embeddingModel(...)");
    }
    List<String> texts = new ArrayList<>(pairs.size() * 2);
    for (LabelledPair p : pairs) {
      texts.add(p.a());
      texts.add(p.b());
    }
    List<float[]> v = embeddings.embedAll(texts);
    double[] scores = new double[pairs.size()];
    boolean[] same = new boolean[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      LabelledPair p = pairs.get(i);
      same[i] = p.same();
      boolean rejected = guard != null && guard.check(p.a(), p.b()).isPresent();
      scores[i] = rejected ? Double.NEGATIVE_INFINITY : dot(v.get(2 * i), v.get(2 * i + 1));
    }
    return new Scores(scores, same);
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  // ---------------------------------------------------------------- keys

  String scopeKey(ChatRequest r) {
    StringBuilder sb = new StringBuilder(256);
    RequestContext ctx = r.context();
    field(sb, "tenant", shareAcrossTenants ? "*" : ctx.tenant());
    Object route = ctx.attributes().get(ATTR_SCOPE);
    field(sb, "route", route != null ? route.toString() : r.model());
    field(sb, "template", ctx.template() == null ? null : ctx.template().toString());
    field(sb, "format", r.responseFormat() == null ? null : r.responseFormat().toString());
    for (ToolDefinition t : r.tools()) {
      field(sb, "tool", t.name() + "\u0001" + t.description() + "\u0001" + t.parametersSchema());
    }
    field(sb, "toolChoice", r.toolChoice() == null ? null : r.toolChoice().toString());
    field(sb, "maxTokens", r.maxTokens() == null ? null : r.maxTokens().toString());
    field(sb, "stop", String.join("\u0001", r.stop()));
    List<ChatMessage> messages = r.messages();
    for (int i = 0; i < messages.size() - 1; i++) {
      ChatMessage m = messages.get(i);
      StringBuilder calls = new StringBuilder();
      for (ToolCall c : m.toolCalls()) {
        calls.append(c.name()).append('\u0001').append(c.arguments()).append('\u0001');
      }
      field(sb, m.role().name(), m.content() + "\u0001" + calls + "\u0001" + m.toolCallId());
    }
    return sha256(sb.toString());
  }

  private static void field(StringBuilder sb, String name, String value) {
    sb.append(name).append('=').append(value == null ? "\u0000" : value.replace("\u0002", "")).append('\u0002');
  }

  static String exactKey(String scope, String text) {
    return scope + ":" + normalise(text);
  }

  static String normalise(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFKC).strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  private static String sha256(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  // ---------------------------------------------------------------- internals

  private record HitRecord(String entryId, String exactKey, CacheLookup.Tier tier, double similarity) {}

  private static final class Entry {
    final String id;
    final String scope;
    final String exactKey;
    final String prompt;
    final ChatResponse response;
    final Instant createdAt;
    final Instant expiresAt;
    final TemplateRef template;
    final Set<String> tags;
    final float[] vector;
    final AtomicInteger served = new AtomicInteger();
    final AtomicInteger wrong = new AtomicInteger();
    /** NaN: use the global threshold; otherwise this entry's own, learned from feedback. */
    private volatile double ownThreshold = Double.NaN;

    Entry(String id, String scope, String exactKey, String prompt, ChatResponse response, Instant createdAt,
        Instant expiresAt, TemplateRef template, Set<String> tags, float[] vector) {
      this.id = id;
      this.scope = scope;
      this.exactKey = exactKey;
      this.prompt = prompt;
      this.response = response;
      this.createdAt = createdAt;
      this.expiresAt = expiresAt;
      this.template = template;
      this.tags = tags;
      this.vector = vector;
    }

    double effectiveThreshold(double global) {
      double own = ownThreshold;
      return Double.isNaN(own) ? global : Math.max(own, global);
    }

    synchronized void raiseThreshold(double to) {
      if (Double.isNaN(ownThreshold) || to > ownThreshold) {
        ownThreshold = to;
      }
    }
  }

  /**
   * Configures a {@link SemanticCache}. Every setter checks its argument at once.
   */
  public static final class Builder {
    private EmbeddingModel embeddings;
    private double threshold = 0.9;
    private long maxEntries = 10_000;
    private Duration ttl = Duration.ofHours(24);
    private boolean guard = true;
    private boolean shareAcrossTenants;
    private boolean cacheNonZeroTemperature;
    private Double adaptiveTarget;
    private int candidates = 5;
    private Clock clock = Clock.systemUTC();
    private IntFunction<VectorIndex> indexFactory = InMemoryVectorIndex::new;
    private ExactCacheStore exactStore;

    private Builder() {}

    /**
     * @param store a store of exact answers shared with other replicas (e.g. {@code RedisExactCacheStore}
     *     from {@code kiai-cache-redis}), read after the in-process tiers miss; default none (exact tier
     *     in-process only). The cache does not close it
     * @return this
     */
    public Builder exactStore(ExactCacheStore store) {
      this.exactStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * @param model turns prompts into vectors; enables the semantic tier
     * @return this
     */
    public Builder embeddingModel(EmbeddingModel model) {
      this.embeddings = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * @param threshold similarity a semantic hit needs, within (0, 1]; default 0.9. Prefer
     *     {@link SemanticCache#calibrate} on pairs from your own traffic
     * @return this
     */
    public Builder threshold(double threshold) {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("threshold must be within (0, 1], was " + threshold);
      }
      this.threshold = threshold;
      return this;
    }

    /**
     * @param maxEntries most answers kept, >= 1; default 10,000
     * @return this
     */
    public Builder maxEntries(long maxEntries) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
      }
      this.maxEntries = maxEntries;
      return this;
    }

    /**
     * @param ttl how long an answer stays valid after it was stored, positive; default 24 hours
     * @return this
     */
    public Builder ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl must be positive, was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * @param enabled whether the {@link CacheGuard} checks semantic candidates; default true
     * @return this
     */
    public Builder guard(boolean enabled) {
      this.guard = enabled;
      return this;
    }

    /**
     * @param share true lets tenants share answers (the tenant is left out of the scope); default false
     * @return this
     */
    public Builder shareAcrossTenants(boolean share) {
      this.shareAcrossTenants = share;
      return this;
    }

    /**
     * @param allow true caches requests with a temperature above 0 too; default false
     * @return this
     */
    public Builder cacheNonZeroTemperature(boolean allow) {
      this.cacheNonZeroTemperature = allow;
      return this;
    }

    /**
     * Turns on per-entry thresholds learned from {@link SemanticCache#markWrong}.
     *
     * @param targetFalseHitRate the largest share of wrong hits an entry may have before it stops
     *     answering semantic matches, within [0, 1)
     * @return this
     */
    public Builder adaptive(double targetFalseHitRate) {
      if (!(targetFalseHitRate >= 0 && targetFalseHitRate < 1)) {
        throw new IllegalArgumentException("targetFalseHitRate must be within [0, 1), was " + targetFalseHitRate);
      }
      this.adaptiveTarget = targetFalseHitRate;
      return this;
    }

    /**
     * @param k nearest neighbours examined per semantic lookup (the guard may reject the nearest), >= 1;
     *     default 5
     * @return this
     */
    public Builder candidates(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("candidates must be >= 1, was " + k);
      }
      this.candidates = k;
      return this;
    }

    /**
     * @param factory creates the vector index of each scope from the embedding dimensions; default
     *     {@link InMemoryVectorIndex}
     * @return this
     */
    public Builder indexFactory(IntFunction<VectorIndex> factory) {
      this.indexFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * @param clock time source for creation times and expiry; default UTC system clock
     * @return this
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** @return the cache */
    public SemanticCache build() {
      return new SemanticCache(this);
    }
  }
}
