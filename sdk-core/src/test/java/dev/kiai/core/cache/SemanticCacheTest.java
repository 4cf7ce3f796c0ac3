package dev.kiai.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.RequestContext;
import dev.kiai.core.Trace;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.chat.ToolCall;
import dev.kiai.core.chat.ToolDefinition;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.prompt.TemplateRef;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SemanticCacheTest {
  static final Cost COST = new Cost("USD", new BigDecimal("0.0003"), BigDecimal.ZERO, BigDecimal.ZERO,
      new BigDecimal("0.0006"), "gpt-4o-mini@2025-01-01");

  static ChatRequest ask(String text) {
    return ChatRequest.builder().model("gpt-4o-mini").addSystem("Be brief.").addUser(text).build();
  }

  static ChatResponse answer(String text) {
    return answer(text, FinishReason.STOP);
  }

  static ChatResponse answer(String text, FinishReason reason) {
    return new ChatResponse("r1", ChatMessage.assistant(text), reason, Usage.of(2000, 1000), COST,
        "gpt-4o-mini", "openai", Duration.ofMillis(800), null, null);
  }

  static SemanticCache.Builder semantic() {
    return SemanticCache.builder().embeddingModel(new WordBagEmbeddings()).threshold(0.8);
  }

  @Test
  void exactTierMatchesTheNormalisedPrompt() {
    SemanticCache cache = SemanticCache.builder().build();
    assertThat(cache.store(ask("What is a token?"), answer("A piece of text."), List.of()).stored()).isTrue();
    CacheLookup hit = cache.lookup(ask("  what IS  a token? "));
    assertThat(hit.hit()).isTrue();
    assertThat(hit.tier()).isEqualTo(CacheLookup.Tier.EXACT);
    assertThat(hit.similarity()).isEqualTo(1.0);
    assertThat(hit.response().orElseThrow().text()).isEqualTo("A piece of text.");
    assertThat(hit.savedCost().total()).isEqualByComparingTo("0.0009");
    CacheLookup miss = cache.lookup(ask("What is a tokenizer?"));
    assertThat(miss.hit()).isFalse();
    assertThat(miss.reason()).contains("no exact match (semantic tier off)");
  }

  @Test
  void semanticTierServesAParaphraseAndTheGuardStopsTheNegation() {
    SemanticCache cache = semantic().build();
    cache.store(ask("How do I reset my password in the app"), answer("Settings > Security > Reset."), List.of());
    CacheLookup para = cache.lookup(ask("how do I reset my password in the app please"));
    assertThat(para.hit()).isTrue();
    assertThat(para.tier()).isEqualTo(CacheLookup.Tier.SEMANTIC);
    assertThat(para.similarity()).isBetween(0.8, 0.999);
    CacheLookup negated = cache.lookup(ask("how do I not reset my password in the app"));
    assertThat(negated.hit()).isFalse();
    assertThat(negated.reason()).contains("guard: negation differs: \"reset\"");
    assertThat(negated.similarity()).isGreaterThan(0.8);
    CacheLookup unrelated = cache.lookup(ask("what are your opening hours on weekends"));
    assertThat(unrelated.hit()).isFalse();
    assertThat(unrelated.reason().orElseThrow()).startsWith("below threshold 0.8000");
    assertThat(cache.stats()).isEqualTo(new CacheStats(0, 1, 2, 1, 0, 1));
  }

  @Test
  void hitsStayWithinTheKeyScope() {
    SemanticCache cache = semantic().build();
    ChatRequest base = ask("What is our refund policy?");
    cache.store(base, answer("30 days."), List.of());
    assertThat(cache.lookup(base).hit()).isTrue();
    List<ChatRequest> others = List.of(
        base.toBuilder().model("gpt-4o").build(),
        ChatRequest.builder().model("gpt-4o-mini").addSystem("Be verbose.").addUser("What is our refund policy?").build(),
        base.toBuilder().context(RequestContext.builder().tenant("acme").build()).build(),
        base.toBuilder().context(RequestContext.builder().template(TemplateRef.parse("faq@1.0.0")).build()).build(),
        base.toBuilder().responseFormat(ResponseFormat.jsonObject()).build(),
        base.toBuilder().addTool(new ToolDefinition("lookup", "Looks up", "{\"type\":\"object\"}")).build(),
        base.toBuilder().maxTokens(10).build(),
        ChatRequest.builder().model("gpt-4o-mini").addSystem("Be brief.").addUser("Hi").addMessage(ChatMessage.assistant("Hello!"))
            .addUser("What is our refund policy?").build());
    for (ChatRequest other : others) {
      CacheLookup l = cache.lookup(other);
      assertThat(l.hit()).as(other.toString()).isFalse();
      assertThat(l.reason()).as(other.toString()).contains("no entry in scope");
    }
    ChatRequest routed = base.toBuilder().model("gpt-4o")
        .context(RequestContext.builder().attribute(SemanticCache.ATTR_SCOPE, "gpt-4o-mini").build()).build();
    assertThat(cache.lookup(routed).hit()).as("an explicit route names the scope").isTrue();
  }

  /** A plugged-in index that uses the minimum-score hint to return nothing below it. */
  @Test
  void aPluggedInIndexGetsTheThresholdAsMinimumScore() {
    List<Double> hints = new java.util.concurrent.CopyOnWriteArrayList<>();
    SemanticCache cache = semantic().indexFactory(dims -> new VectorIndex() {
      private final InMemoryVectorIndex delegate = new InMemoryVectorIndex(dims);

      @Override
      public int dimensions() {
        return delegate.dimensions();
      }

      @Override
      public void add(String id, float[] vector) {
        delegate.add(id, vector);
      }

      @Override
      public boolean remove(String id) {
        return delegate.remove(id);
      }

      @Override
      public List<Match> search(float[] query, int k) {
        return delegate.search(query, k);
      }

      @Override
      public List<Match> search(float[] query, int k, double minScore) {
        hints.add(minScore);
        return delegate.search(query, k).stream().filter(m -> m.score() >= minScore).toList();
      }

      @Override
      public int size() {
        return delegate.size();
      }
    }).build();
    cache.store(ask("How do I reset my password in the app"), answer("Settings."), List.of());
    CacheLookup miss = cache.lookup(ask("what are your opening hours on weekends"));
    assertThat(miss.reason()).contains("no candidate reaches threshold 0.8000");
    assertThat(miss.similarity()).isNaN();
    assertThat(cache.lookup(ask("how do I reset my password in the app please")).tier())
        .isEqualTo(CacheLookup.Tier.SEMANTIC);
    assertThat(hints).containsExactly(0.8, 0.8);
  }

  @Test
  void tenantsShareOnlyWhenAllowed() {
    ChatRequest acme = ask("Opening hours?").toBuilder().context(RequestContext.builder().tenant("acme").build()).build();
    ChatRequest globex = ask("Opening hours?").toBuilder().context(RequestContext.builder().tenant("globex").build()).build();
    SemanticCache separate = semantic().build();
    separate.store(acme, answer("9-5"), List.of());
    assertThat(separate.lookup(globex).hit()).isFalse();
    SemanticCache shared = semantic().shareAcrossTenants(true).build();
    shared.store(acme, answer("9-5"), List.of());
    assertThat(shared.lookup(globex).hit()).isTrue();
  }

  @Test
  void temperatureAboveZeroIsNotCachedUnlessAllowed() {
    SemanticCache cache = semantic().build();
    ChatRequest warm = ask("Tell me a joke").toBuilder().temperature(0.7).build();
    assertThat(cache.store(warm, answer("..."), List.of()))
        .isEqualTo(new StoreResult(false, null, "temperature 0.7 > 0"));
    assertThat(cache.lookup(warm).reason()).contains("temperature 0.7 > 0");
    ChatRequest allowed = warm.toBuilder()
        .context(RequestContext.builder().attribute(SemanticCache.ATTR_ALLOW_TEMPERATURE, true).build()).build();
    assertThat(cache.store(allowed, answer("..."), List.of()).stored()).isTrue();
    assertThat(cache.lookup(allowed).hit()).isTrue();
    SemanticCache lenient = semantic().cacheNonZeroTemperature(true).build();
    assertThat(lenient.store(warm, answer("..."), List.of()).stored()).isTrue();
    ChatRequest bypass = ask("Tell me a joke").toBuilder()
        .context(RequestContext.builder().attribute(SemanticCache.ATTR_BYPASS, true).build()).build();
    assertThat(lenient.lookup(bypass).reason()).contains("bypassed by the request");
  }

  @Test
  void neverCachesToolCallsTruncatedFilteredEmptyOrFlaggedAnswers() {
    SemanticCache cache = semantic().build();
    ChatRequest q = ask("Weather in Paris?");
    ChatResponse tool = new ChatResponse("r", ChatMessage.assistant("", List.of(new ToolCall("c1", "weather", "{}"))),
        FinishReason.TOOL_CALLS, Usage.of(1, 1), COST, "gpt-4o-mini", "openai", null, null, null);
    assertThat(cache.store(q, tool, List.of()).reason()).isEqualTo("the answer calls tools");
    assertThat(cache.store(q, answer("Sunny and", FinishReason.LENGTH), List.of()).reason())
        .isEqualTo("the answer is truncated (finish reason length)");
    assertThat(cache.store(q, answer("", FinishReason.CONTENT_FILTER), List.of()).reason())
        .isEqualTo("the answer was filtered (finish reason content_filter)");
    assertThat(cache.store(q, answer(" "), List.of()).reason()).isEqualTo("the answer is empty");
    ChatResponse flagged = answer("Call 555-0100").withTrace(new Trace(List.of(
        new Trace.Entry("guardrails", "pii found", Map.of(SemanticCache.NO_STORE, "true")))));
    assertThat(cache.store(q, flagged, List.of()).reason()).isEqualTo("flagged by guardrails: pii found");
    ChatRequest afterTool = q.toBuilder().addMessage(ChatMessage.toolResult("c1", "sunny")).build();
    assertThat(cache.store(afterTool, answer("Sunny"), List.of()).reason())
        .isEqualTo("the last message is not a user message");
    assertThat(cache.size()).isZero();
  }

  @Test
  void entriesExpireAfterTheTtl() {
    MutableClock clock = new MutableClock();
    SemanticCache cache = semantic().ttl(Duration.ofMinutes(10)).clock(clock).build();
    cache.store(ask("What is the VAT rate in Germany"), answer("19%."), List.of());
    clock.advance(Duration.ofMinutes(9));
    assertThat(cache.lookup(ask("What is the VAT rate in Germany")).hit()).isTrue();
    assertThat(cache.lookup(ask("what is the VAT rate in Germany today please")).tier())
        .isEqualTo(CacheLookup.Tier.NONE);
    assertThat(cache.lookup(ask("tell me what is the VAT rate in Germany")).tier()).isEqualTo(CacheLookup.Tier.SEMANTIC);
    clock.advance(Duration.ofMinutes(2));
    assertThat(cache.lookup(ask("tell me what is the VAT rate in Germany")).hit()).isFalse();
    assertThat(cache.lookup(ask("What is the VAT rate in Germany")).hit()).isFalse();
    assertThat(cache.size()).isZero();
  }

  @Test
  void invalidationByTagTemplateAndEvict() {
    SemanticCache cache = semantic().build();
    TemplateRef v1 = TemplateRef.parse("faq@1.0.0");
    TemplateRef v2 = TemplateRef.parse("faq@2.0.0");
    ChatRequest a = ask("Shipping to Austria?").toBuilder().context(RequestContext.builder().template(v1).build()).build();
    ChatRequest b = ask("Shipping to Spain?").toBuilder().context(RequestContext.builder().template(v1).build()).build();
    ChatRequest c = ask("Shipping to Italy?").toBuilder().context(RequestContext.builder().template(v2).build()).build();
    String ea = cache.store(a, answer("Yes"), List.of("shipping", "eu")).entryId();
    cache.store(b, answer("Yes"), List.of("shipping"));
    cache.store(c, answer("Yes"), List.of());
    cache.store(ask("Returns?"), answer("30 days"), List.of("returns"));
    assertThat(cache.lookup(a).template()).contains(v1);
    assertThat(cache.invalidateTag("eu")).isEqualTo(1);
    assertThat(cache.lookup(a).hit()).isFalse();
    assertThat(cache.evict(ea)).isFalse();
    assertThat(cache.invalidateTemplate(v1)).isEqualTo(1);
    assertThat(cache.lookup(b).hit()).isFalse();
    assertThat(cache.invalidateTemplate("faq")).isEqualTo(1);
    assertThat(cache.size()).isEqualTo(1);
    String returns = cache.lookup(ask("Returns?")).entryId().orElseThrow();
    assertThat(cache.evict(returns)).isTrue();
    assertThat(cache.size()).isZero();
    assertThat(cache.lookup(ask("Returns?")).hit()).isFalse();
  }

  @Test
  void adaptiveModeLearnsPerEntryThresholdsFromWrongHits() {
    SemanticCache cache = semantic().adaptive(0.5).build();
    cache.store(ask("how to cancel my subscription plan"), answer("Account > Plan > Cancel."), List.of());
    cache.store(ask("where is the office located"), answer("Berlin."), List.of());
    CacheLookup wrong = cache.lookup(ask("how to cancel my subscription plan order"));
    assertThat(wrong.tier()).isEqualTo(CacheLookup.Tier.SEMANTIC);
    CacheLookup right = cache.lookup(ask("how to cancel my subscription plan now"));
    assertThat(right.hit()).isTrue();
    assertThat(cache.markWrong(wrong.hitId().orElseThrow())).isTrue();
    assertThat(cache.markWrong(wrong.hitId().orElseThrow())).as("each hit is reported once").isFalse();
    // 1 wrong of 2 served = 0.5, not above the target: the entry keeps answering above the wrong similarity
    CacheLookup again = cache.lookup(ask("how to cancel my subscription plan order"));
    assertThat(again.hit()).isFalse();
    assertThat(again.reason().orElseThrow()).startsWith("below threshold 0.9");
    CacheLookup closer = cache.lookup(ask("How to cancel my subscription plan"));
    assertThat(closer.tier()).isEqualTo(CacheLookup.Tier.EXACT);
    // the office entry is untouched
    assertThat(cache.lookup(ask("where is the office located please")).hit()).isTrue();
    assertThat(cache.stats().wrongHits()).isEqualTo(1);
  }

  @Test
  void wrongExactHitEvictsTheEntry() {
    SemanticCache cache = semantic().build();
    cache.store(ask("Who won?"), answer("Team A"), List.of());
    CacheLookup hit = cache.lookup(ask("Who won?"));
    assertThat(cache.markWrong(hit.hitId().orElseThrow())).isTrue();
    assertThat(cache.lookup(ask("Who won?")).hit()).isFalse();
    assertThat(cache.markWrong("unknown")).isFalse();
  }

  @Test
  void calibrateChoosesAndAppliesTheThreshold() {
    SemanticCache cache = semantic().build();
    List<LabelledPair> pairs = List.of(
        new LabelledPair("how do I reset my password", "how do I reset my password please", true),
        new LabelledPair("what are the opening hours", "what are the opening hours please", true),
        new LabelledPair("what are the opening hours", "what are the closing hours", false),
        new LabelledPair("order 4711 status", "order 4712 status", false),
        new LabelledPair("ship to austria", "delivery to vienna", true));
    Calibration c = cache.calibrate(pairs, 0.0);
    assertThat(c.falsePositives()).isZero();
    assertThat(c.truePositives()).isEqualTo(2);
    assertThat(c.guardRejections()).isEqualTo(1);
    assertThat(cache.threshold()).isEqualTo(c.threshold());
    assertThat(cache.evaluate(pairs, 0.0).falsePositives()).isEqualTo(1);
    assertThatThrownBy(() -> SemanticCache.builder().build().calibrate(pairs, 0.1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("embedding model");
    assertThatThrownBy(() -> cache.calibrate(pairs, 1.5)).hasMessage("maxFalseHitRate must be within 0..1, was 1.5");
  }

  @Test
  void sizeBoundEvictsFromBothTiers() {
    SemanticCache cache = semantic().maxEntries(50).build();
    for (int i = 0; i < 500; i++) {
      cache.store(ask("question number " + i + " about widgets"), answer("answer " + i), List.of());
    }
    assertThat(cache.size()).isLessThanOrEqualTo(50);
  }

  /** Many threads store and look up overlapping prompts; every hit must return the answer stored for that prompt. */
  @Test
  void parallelGetAndPutNeverServeAnotherPromptsAnswer() throws Exception {
    SemanticCache cache = semantic().maxEntries(200).build();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong hits = new AtomicLong();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < 1_500; i++) {
          int k = (i * 31 + seed * 7) % 300;
          ChatRequest q = ask("price of item " + k);
          CacheLookup l = cache.lookup(q);
          if (l.hit()) {
            hits.incrementAndGet();
            assertThat(l.response().orElseThrow().text()).isEqualTo("item " + k + " costs " + k);
          } else {
            cache.store(q, answer("item " + k + " costs " + k), List.of("t" + seed));
          }
          if (i % 300 == 0) {
            cache.invalidateTag("t" + ((seed + 1) % threads));
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    assertThat(hits.get()).isGreaterThan(500);
    assertThat(cache.size()).isLessThanOrEqualTo(200);
  }

  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
