package dev.kiai.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.StreamListener;
import dev.kiai.core.Trace;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.telemetry.TelemetryNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CacheInterceptorTest {

  /** Answers "answer to: <question>" with gpt-4o-mini usage that the bundled price table prices. */
  static final class CountingModel implements ChatModel {
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean fail;

    @Override
    public ChatResponse chat(ChatRequest request) {
      calls.incrementAndGet();
      if (fail) {
        throw new ProviderUnavailableException("fake", "gpt-4o-mini", 503, "overloaded", "try later", null);
      }
      return new ChatResponse("r" + calls.get(), ChatMessage.assistant("answer to: " + request.lastUserText()),
          FinishReason.STOP, Usage.of(1_000_000, 1_000_000), null, "gpt-4o-mini", "fake", null, null, null);
    }

    @Override
    public String provider() {
      return "fake";
    }

    @Override
    public String defaultModel() {
      return "gpt-4o-mini";
    }
  }

  private final CountingModel model = new CountingModel();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final SemanticCache cache = SemanticCache.builder().embeddingModel(new WordBagEmbeddings()).threshold(0.8).build();

  private Kiai kiai() {
    return Kiai.builder().model(model).interceptor(CacheInterceptor.of(cache, meters)).build();
  }

  static ChatRequest ask(String text) {
    return ChatRequest.builder().model("gpt-4o-mini").addUser(text).build();
  }

  @Test
  void aParaphraseIsServedFromTheCacheWithTheSavedCost() {
    try (Kiai kiai = kiai()) {
      ChatResponse first = kiai.chat(ask("how do I export my data to csv"));
      assertThat(first.provider()).isEqualTo("fake");
      Trace.Entry miss = first.trace().find("cache").orElseThrow();
      assertThat(miss.decision()).isEqualTo("miss");
      assertThat(miss.attributes()).containsEntry("reason", "no entry in scope").containsEntry("stored", "true");
      String paidUsd = first.cost().total().toPlainString();

      ChatResponse second = kiai.chat(ask("how do I export my data to csv please"));
      assertThat(model.calls.get()).isEqualTo(1);
      assertThat(second.text()).isEqualTo("answer to: how do I export my data to csv");
      assertThat(second.provider()).isEqualTo(CacheInterceptor.PROVIDER);
      assertThat(second.model()).isEqualTo("gpt-4o-mini");
      assertThat(second.usage()).isEqualTo(Usage.ZERO);
      assertThat(second.cost().total()).isEqualByComparingTo("0");
      assertThat(second.cost().pricedAs()).isEqualTo("cache");
      assertThat(second.trace().find("model")).isEmpty();
      Trace.Entry hit = second.trace().find("cache").orElseThrow();
      assertThat(hit.decision()).isEqualTo("hit");
      assertThat(hit.attributes()).containsEntry("tier", "semantic").containsEntry("saved_cost", paidUsd)
          .containsEntry("saved_cost_currency", "USD").containsEntry("model", "gpt-4o-mini")
          .containsKeys("similarity", "entry", "hit_id", "cached_at");
      assertThat(second.id()).isEqualTo("cache-" + hit.attributes().get("hit_id"));

      assertThat(meters.counter(TelemetryNames.KIAI_CACHE_LOOKUPS, "result", "hit", "tier", "semantic").count())
          .isEqualTo(1.0);
      assertThat(meters.counter(TelemetryNames.KIAI_CACHE_LOOKUPS, "result", "miss", "tier", "none").count())
          .isEqualTo(1.0);
      assertThat(meters.counter(TelemetryNames.KIAI_CACHE_SAVED_COST, TelemetryNames.KIAI_CURRENCY, "USD").count())
          .isEqualTo(first.cost().total().doubleValue());
      assertThat(first.cost().total().signum()).isPositive();
    }
  }

  @Test
  void theNegatedQuestionGoesToTheModel() {
    try (Kiai kiai = kiai()) {
      kiai.chat(ask("can I cancel my order after shipping"));
      ChatResponse negated = kiai.chat(ask("can I not cancel my order after shipping"));
      assertThat(model.calls.get()).isEqualTo(2);
      assertThat(negated.trace().find("cache").orElseThrow().attributes())
          .containsEntry("reason", "guard: negation differs: \"cancel\"");
    }
  }

  @Test
  void failuresAreNotCached() {
    try (Kiai kiai = kiai()) {
      model.fail = true;
      assertThatThrownBy(() -> kiai.chat(ask("status page"))).isInstanceOf(ProviderUnavailableException.class);
      model.fail = false;
      ChatResponse r = kiai.chat(ask("status page"));
      assertThat(r.provider()).isEqualTo("fake");
      assertThat(model.calls.get()).isEqualTo(2);
      assertThat(cache.size()).isEqualTo(1);
    }
  }

  @Test
  void streamsAreStoredOnCompletionAndServedAsOneDelta() {
    try (Kiai kiai = kiai()) {
      List<String> deltas = new CopyOnWriteArrayList<>();
      AtomicReference<ChatResponse> done = new AtomicReference<>();
      StreamListener listener = new StreamListener() {
        @Override
        public void onText(String delta) {
          deltas.add(delta);
        }

        @Override
        public void onComplete(ChatResponse response) {
          done.set(response);
        }

        @Override
        public void onError(Throwable error) {
          throw new AssertionError(error);
        }
      };
      kiai.stream(ask("what is the warranty period"), listener);
      assertThat(done.get().trace().find("cache").orElseThrow().attributes()).containsEntry("stored", "true");
      deltas.clear();
      kiai.stream(ask("what is the warranty period"), listener);
      assertThat(model.calls.get()).isEqualTo(1);
      assertThat(deltas).containsExactly("answer to: what is the warranty period");
      assertThat(done.get().provider()).isEqualTo(CacheInterceptor.PROVIDER);
      assertThat(done.get().trace().find("cache").orElseThrow().attributes()).containsEntry("tier", "exact");
    }
  }

  @Test
  void tagsComeFromTheRequestAttribute() {
    try (Kiai kiai = kiai()) {
      kiai.chat(ask("holiday opening times").toBuilder().context(dev.kiai.core.RequestContext.builder()
          .attribute(SemanticCache.ATTR_TAGS, List.of("hours", "holidays")).build()).build());
      assertThat(cache.invalidateTag("holidays")).isEqualTo(1);
      assertThat(cache.size()).isZero();
    }
  }
}
