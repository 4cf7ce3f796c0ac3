package dev.kiai.gpu;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.kiai.core.load.LoadSnapshot;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngineLoadSignalTest {
  private static WireMockServer server;
  private final Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.parse("2025-10-15T10:00:00Z"));

  @BeforeAll
  static void start() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  private LocalEngine engine(EngineKind kind) {
    return LocalEngine.builder(kind, "http://127.0.0.1:" + server.port()).clock(clock).build();
  }

  private void metrics(String fixture) {
    server.stubFor(get("/metrics").willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").withBody(Fixtures.text(fixture))));
  }

  @Test
  void vllmSnapshotsGiveSaturationQueueRecentTtftAndRate() {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
    metrics("vllm-metrics-1.txt");
    try (LocalEngine vllm = engine(EngineKind.VLLM);
         EngineLoadSignal load = EngineLoadSignal.builder().add(vllm, "llama-8b").clock(clock)
             .interval(Duration.ofSeconds(10)).build()) {
      load.scrapeNow();
      LoadSnapshot first = load.current("llama-8b").orElseThrow();

      assertThat(first.healthy()).isTrue();
      assertThat(first.saturation()).isEqualTo(0.4187);
      assertThat(first.running()).isEqualTo(12);
      assertThat(first.queued()).isZero();
      // p95 of 200 first tokens: rank 190 in (0.25, 0.5] holding 180..195 -> 0.25 + 0.25 x 10/15
      assertThat(first.ttftP95()).isEqualTo(Duration.ofNanos(416_666_667));
      assertThat(first.tokensPerSecond()).isNaN();
      assertThat(first.observedAt()).isEqualTo(Instant.parse("2025-10-15T10:00:00Z"));

      clock.advance(Duration.ofSeconds(10));
      metrics("vllm-metrics-2.txt");
      load.scrapeNow();
      LoadSnapshot second = load.current("llama-8b").orElseThrow();

      assertThat(second.saturation()).isEqualTo(1.0); // 4 requests queued
      assertThat(second.running()).isEqualTo(31);
      assertThat(second.queued()).isEqualTo(4);
      // the 100 new first tokens only: rank 95 in (7.5, 10] holding 85..98 -> 7.5 + 2.5 x 10/13
      assertThat(second.ttftP95()).isEqualTo(Duration.ofNanos(9_423_076_923L));
      assertThat(second.tokensPerSecond()).isEqualTo(500.0); // 5000 tokens in 10 s
      assertThat(load.current("other-model")).isEmpty();
    }
  }

  @Test
  void saturationGaugePerModel() {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
    metrics("vllm-metrics-1.txt");
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (LocalEngine vllm = engine(EngineKind.VLLM);
         EngineLoadSignal load = EngineLoadSignal.builder().add(vllm, "a", "b").clock(clock).meterRegistry(meters)
             .build()) {
      assertThat(meters.get("kiai.gpu.engine.saturation").tag("gen_ai.request.model", "a").gauge().value()).isNaN();
      load.scrapeNow();
      assertThat(meters.get("kiai.gpu.engine.saturation").tag("gen_ai.request.model", "b").gauge().value())
          .isEqualTo(0.4187);
    }
  }

  @Test
  void olderVllmCacheMetricNameIsRead() {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
    metrics("vllm-metrics-old.txt");
    try (LocalEngine vllm = engine(EngineKind.VLLM);
         EngineLoadSignal load = EngineLoadSignal.builder().add(vllm, "m").clock(clock).build()) {
      load.scrapeNow();
      LoadSnapshot s = load.current("m").orElseThrow();
      assertThat(s.saturation()).isEqualTo(0.25);
      assertThat(s.running()).isEqualTo(3);
      assertThat(s.ttftP95()).isNull();
    }
  }

  @Test
  void llamaCppUsesBusySlotsAndItsOwnRate() {
    server.stubFor(get("/health").willReturn(okJson("{\"status\":\"ok\"}")));
    server.stubFor(get("/slots").willReturn(okJson(Fixtures.text("llamacpp-slots.json"))));
    metrics("llamacpp-metrics.txt");
    try (LocalEngine llama = engine(EngineKind.LLAMA_CPP);
         EngineLoadSignal load = EngineLoadSignal.builder().add(llama, "qwen").clock(clock).build()) {
      load.scrapeNow();
      LoadSnapshot s = load.current("qwen").orElseThrow();
      assertThat(s.saturation()).isEqualTo(0.5); // 2 of 4 slots busy
      assertThat(s.running()).isEqualTo(2);
      assertThat(s.tokensPerSecond()).isEqualTo(90.65);
      assertThat(s.ttftP95()).isNull();
    }
  }

  @Test
  void unhealthyEngineIsSaturatedAndStaleObservationsAreDropped() {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(503)));
    try (LocalEngine vllm = engine(EngineKind.VLLM);
         EngineLoadSignal load = EngineLoadSignal.builder().add(vllm, "m").clock(clock)
             .interval(Duration.ofSeconds(5)).staleAfter(Duration.ofSeconds(15)).build()) {
      assertThat(load.current("m")).isEmpty(); // nothing observed yet
      load.scrapeNow();
      LoadSnapshot s = load.current("m").orElseThrow();
      assertThat(s.healthy()).isFalse();
      assertThat(s.saturation()).isEqualTo(1.0);

      clock.advance(Duration.ofSeconds(15));
      assertThat(load.current("m")).isPresent();
      clock.advance(Duration.ofMillis(1));
      assertThat(load.current("m")).isEmpty();
    }
  }

  @Test
  void backgroundScrapingPublishesObservations() throws InterruptedException {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
    metrics("vllm-metrics-1.txt");
    try (LocalEngine vllm = LocalEngine.vllm("http://127.0.0.1:" + server.port());
         EngineLoadSignal load = EngineLoadSignal.builder().add(vllm, "m").interval(Duration.ofMillis(50)).build()) {
      load.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (load.current("m").isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(load.current("m").orElseThrow().running()).isEqualTo(12);
    }
  }
}
