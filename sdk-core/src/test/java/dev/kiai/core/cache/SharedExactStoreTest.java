package dev.kiai.core.cache;

import static dev.kiai.core.cache.SemanticCacheTest.answer;
import static dev.kiai.core.cache.SemanticCacheTest.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.RequestContext;
import dev.kiai.core.error.CacheUnavailableException;
import dev.kiai.core.prompt.TemplateRef;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two caches (two replicas) sharing one exact store. */
class SharedExactStoreTest {
  final SemanticCacheTest.MutableClock clock = new SemanticCacheTest.MutableClock();
  final InMemoryExactCacheStore store = new InMemoryExactCacheStore(1_000, clock);

  SemanticCache replica() {
    return SemanticCache.builder().exactStore(store).clock(clock).ttl(Duration.ofMinutes(10)).build();
  }

  @Test
  void anAnswerOneReplicaStoredIsAnExactHitInTheOther() {
    SemanticCache one = replica();
    SemanticCache two = replica();
    String id = one.store(ask("What is a token?"), answer("A piece of text."), List.of()).entryId();
    CacheLookup hit = two.lookup(ask("  what is a TOKEN? "));
    assertThat(hit.tier()).isEqualTo(CacheLookup.Tier.EXACT);
    assertThat(hit.entryId()).contains(id);
    assertThat(hit.response().orElseThrow().text()).isEqualTo("A piece of text.");
    assertThat(hit.savedCost().total()).isEqualByComparingTo("0.0009");
    assertThat(two.stats().exactHits()).isEqualTo(1);
    assertThat(two.lookup(ask("What is a token?").toBuilder().model("gpt-4o").build()).hit()).isFalse();
  }

  @Test
  void sharedAnswersExpireAfterTheTtl() {
    replica().store(ask("VAT rate in Germany?"), answer("19%."), List.of());
    SemanticCache two = replica();
    clock.advance(Duration.ofMinutes(9));
    assertThat(two.lookup(ask("VAT rate in Germany?")).hit()).isTrue();
    clock.advance(Duration.ofMinutes(2));
    assertThat(two.lookup(ask("VAT rate in Germany?")).hit()).isFalse();
    assertThat(store.size()).isZero();
  }

  @Test
  void invalidationInOneReplicaReachesTheOther() {
    SemanticCache one = replica();
    SemanticCache two = replica();
    TemplateRef v1 = TemplateRef.parse("faq@1.0.0");
    var a = ask("Shipping to Austria?").toBuilder().context(RequestContext.builder().template(v1).build()).build();
    one.store(a, answer("Yes"), List.of("shipping"));
    one.store(ask("Returns?"), answer("30 days"), List.of("returns"));
    String other = one.store(ask("Opening hours?"), answer("9 to 5"), List.of()).entryId();
    assertThat(two.invalidateTag("shipping")).isEqualTo(1);
    assertThat(replica().lookup(a).hit()).isFalse();
    assertThat(one.size()).isEqualTo(3);
    assertThat(one.lookup(a).hit()).isFalse(); // replica one checks the shared store before serving its copy
    assertThat(one.size()).isEqualTo(2); // and drops that copy
    assertThat(one.invalidateTemplate(v1)).isZero();
    assertThat(one.evict(other)).isTrue();
    assertThat(two.lookup(ask("Opening hours?")).hit()).isFalse();
    CacheLookup wrong = two.lookup(ask("Returns?"));
    assertThat(two.markWrong(wrong.hitId().orElseThrow())).isTrue();
    assertThat(replica().lookup(ask("Returns?")).hit()).isFalse();
  }

  @Test
  void aSemanticHitIsServedOnlyWhileTheSharedStoreHoldsTheEntry() {
    SemanticCache one = SemanticCache.builder().embeddingModel(new WordBagEmbeddings()).threshold(0.8)
        .exactStore(store).clock(clock).build();
    SemanticCache two = replica();
    one.store(ask("How do I reset my password in the app"), answer("Settings > Security."), List.of("account"));
    assertThat(one.lookup(ask("how do I reset my password in the app please")).tier())
        .isEqualTo(CacheLookup.Tier.SEMANTIC);
    assertThat(two.invalidateTag("account")).isEqualTo(1);
    CacheLookup after = one.lookup(ask("how do I reset my password in the app please"));
    assertThat(after.hit()).isFalse();
    assertThat(one.size()).isZero();
  }

  @Test
  void anUnreachableStoreIsAMissNotAFailure() {
    ExactCacheStore down = new ExactCacheStore() {
      CacheUnavailableException fail() {
        return new CacheUnavailableException("test://down", "connection refused", null);
      }

      @Override
      public Optional<CachedAnswer> get(String key) {
        throw fail();
      }

      @Override
      public void put(String key, CachedAnswer answer, Duration ttl) {
        throw fail();
      }

      @Override
      public boolean evict(String key) {
        throw fail();
      }

      @Override
      public int invalidateTag(String tag) {
        throw fail();
      }

      @Override
      public int invalidateTemplate(TemplateRef template) {
        throw fail();
      }

      @Override
      public int invalidateTemplate(String templateId) {
        throw fail();
      }

      @Override
      public void clear() {
        throw fail();
      }
    };
    SemanticCache cache = SemanticCache.builder().exactStore(down).build();
    assertThat(cache.lookup(ask("Returns?")).hit()).isFalse();
    assertThat(cache.store(ask("Returns?"), answer("30 days"), List.of("returns")).stored()).isTrue();
    assertThat(cache.lookup(ask("Returns?")).hit()).isTrue();
    assertThatThrownBy(() -> cache.invalidateTag("returns")).isInstanceOf(CacheUnavailableException.class)
        .hasMessage("cache store test://down unavailable: connection refused");
  }
}
