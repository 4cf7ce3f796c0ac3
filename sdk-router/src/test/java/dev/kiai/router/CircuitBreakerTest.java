package dev.kiai.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.core.Kiai;
import dev.kiai.core.Trace;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.pricing.PriceTable;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  @Test
  void circuitOpensAfterFailuresSkipsTheModelAndRecoversHalfOpen() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    FakeModel mini = new FakeModel("openai", r -> {
      if (down.get()) {
        throw new ProviderUnavailableException("openai", "gpt-4o-mini", 503, null, "down", null);
      }
      return FakeModel.answer(r.model(), "openai", "mini back");
    });
    FakeModel big = FakeModel.answering("openai", "big");
    CircuitBreakerConfig breaker = CircuitBreakerConfig.custom().slidingWindowSize(4).minimumNumberOfCalls(4)
        .failureRateThreshold(50).waitDurationInOpenState(Duration.ofMillis(200))
        .permittedNumberOfCallsInHalfOpenState(1).recordException(ResilienceConfig::countsAsFailure).build();
    ResilienceConfig config = ResilienceConfig.builder().maxAttempts(1).circuitBreaker(breaker).build();
    try (RouterInterceptor router = RouterInterceptor.builder()
        .catalog(ModelCatalog.of(PriceTable.bundled(), "gpt-4o-mini", "gpt-4.1")).resilience(config).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big).interceptor(router).build()) {
      for (int i = 0; i < 4; i++) {
        assertThat(kiai.chat(ChatRequest.of("x")).text()).isEqualTo("big");
      }
      assertThat(mini.calls()).isEqualTo(4);
      assertThat(router.circuitBreaker("gpt-4o-mini").getState()).isEqualTo(CircuitBreaker.State.OPEN);

      ChatResponse skipped = kiai.chat(ChatRequest.of("x"));
      assertThat(skipped.text()).isEqualTo("big");
      assertThat(mini.calls()).isEqualTo(4);
      Trace.Entry failed = skipped.trace().all("router").get(1);
      assertThat(failed.decision()).isEqualTo("failed gpt-4o-mini");
      assertThat(failed.attributes()).containsEntry("error", "circuit_open");

      down.set(false);
      Thread.sleep(250);
      ChatResponse trial = kiai.chat(ChatRequest.of("x"));
      assertThat(trial.text()).isEqualTo("mini back");
      assertThat(router.circuitBreaker("gpt-4o-mini").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }
}
