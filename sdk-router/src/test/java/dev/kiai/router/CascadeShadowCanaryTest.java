package dev.kiai.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.core.Kiai;
import dev.kiai.core.RequestContext;
import dev.kiai.core.Trace;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.pricing.PriceTable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CascadeShadowCanaryTest {
  private static final ModelCatalog CATALOG = ModelCatalog.of(PriceTable.bundled(), "gpt-4o-mini", "gpt-4.1");
  private static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"city\"],"
      + "\"properties\":{\"city\":{\"type\":\"string\"}},\"additionalProperties\":false}";

  private static RoutingPolicy cascade(Verifier verifier) {
    return in -> java.util.Optional.of(RouteDecision.to("gpt-4o-mini", List.of("gpt-4.1"), "cheap first")
        .withVerifier(verifier));
  }

  @Test
  void cascadeAcceptsTheCheapAnswerWhenTheSchemaVerifierPasses() {
    FakeModel mini = FakeModel.answering("openai", "{\"city\":\"Paris\"}");
    FakeModel big = FakeModel.answering("openai", "{\"city\":\"Paris\"}");
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .policy(cascade(Verifiers.jsonSchema())).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big).interceptor(router).build()) {
      ChatResponse r = kiai.chat(ChatRequest.builder().addUser("capital of France as JSON")
          .responseFormat(ResponseFormat.jsonSchema("city", SCHEMA)).build());

      assertThat(r.model()).isEqualTo("gpt-4o-mini");
      assertThat(big.calls()).isZero();
      Trace.Entry accepted = r.trace().all("router").get(1);
      assertThat(accepted.decision()).isEqualTo("cascade accepted gpt-4o-mini");
      assertThat(accepted.attributes()).containsEntry("verifier", "json-schema")
          .containsEntry("reason", "valid against schema city");
    }
  }

  @Test
  void cascadeEscalatesWhenTheVerifierFailsAndChargesBothCalls() {
    FakeModel mini = FakeModel.answering("openai", "{\"town\":\"Paris\"}");
    FakeModel big = FakeModel.answering("openai", "{\"city\":\"Paris\"}");
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .policy(cascade(Verifiers.jsonSchema())).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big).interceptor(router).build()) {
      ChatResponse r = kiai.chat(ChatRequest.builder().addUser("capital of France as JSON")
          .responseFormat(ResponseFormat.jsonSchema("city", SCHEMA)).build());

      assertThat(r.text()).isEqualTo("{\"city\":\"Paris\"}");
      assertThat(r.model()).isEqualTo("gpt-4.1");
      Trace.Entry rejected = r.trace().all("router").get(1);
      assertThat(rejected.decision()).isEqualTo("cascade rejected gpt-4o-mini");
      assertThat(rejected.attributes().get("reason"))
          .isEqualTo("invalid against schema city: $: missing required property city; $: unexpected property town");
      assertThat(r.trace().all(Kiai.MODEL_STAGE)).hasSize(2);
      // both calls charged: mini 100x0.15+10x0.6 = 21e-6, gpt-4.1 100x2+10x8 = 280e-6
      assertThat(r.cost().total()).isEqualByComparingTo("0.000301");
      assertThat(r.usage().inputTokens()).isEqualTo(200);
    }
  }

  @Test
  void judgeAndSelfConsistencyVerifiersMakeChargedCallsThroughTheChain() {
    AtomicInteger sample = new AtomicInteger();
    FakeModel mini = new FakeModel("openai", r -> FakeModel.answer(r.model(), "openai",
        sample.incrementAndGet() == 1 ? "42" : "41"));
    FakeModel big = new FakeModel("openai", r -> FakeModel.answer(r.model(), "openai",
        r.messages().get(0).content().startsWith("You grade") ? "3" : "42"));
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .policy(cascade(Verifiers.selfConsistency(0.7))).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big).interceptor(router).build()) {
      ChatResponse r = kiai.chat(ChatRequest.of("6 x 7?"));
      assertThat(r.model()).isEqualTo("gpt-4.1");
      assertThat(mini.calls()).isEqualTo(2);
      assertThat(mini.seen.get(1).temperature()).isEqualTo(0.7);
      assertThat(r.trace().all(Kiai.MODEL_STAGE)).hasSize(3);
      assertThat(r.trace().all("router").get(1).attributes()).containsEntry("reason", "two samples disagree");
    }
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .policy(cascade(Verifiers.judge("gpt-4.1", 0.7))).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big).interceptor(router).build()) {
      ChatResponse r = kiai.chat(ChatRequest.of("6 x 7?"));
      assertThat(r.trace().all("router").get(1).attributes())
          .containsEntry("reason", "judge gpt-4.1 scored 0.30 (min 0.70)").containsEntry("score", "0.300");
      assertThat(r.model()).isEqualTo("gpt-4.1");
      assertThat(r.trace().all(Kiai.MODEL_STAGE)).hasSize(3);
    }
  }

  @Test
  void shadowNeverChangesTheAnswerNorWaitsForTheCandidate() throws Exception {
    FakeModel mini = FakeModel.answering("openai", "real answer");
    CountDownLatch release = new CountDownLatch(1);
    FakeModel candidate = new FakeModel("local", r -> {
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new ProviderUnavailableException("local", "cand", 503, null, "candidate broke", null);
    });
    FakeModel agreeing = FakeModel.answering("local", "Real answer.");
    List<ShadowComparison> seen = new CopyOnWriteArrayList<>();
    CountDownLatch compared = new CountDownLatch(2);
    try (RouterInterceptor failing = RouterInterceptor.builder().catalog(CATALOG).policy(RoutingPolicy.fixed("gpt-4o-mini"))
        .shadow(Shadow.builder("cand", candidate, c -> {
          seen.add(c);
          compared.countDown();
        }).build()).build();
        RouterInterceptor agreeingRouter = RouterInterceptor.builder().catalog(CATALOG)
            .policy(RoutingPolicy.fixed("gpt-4o-mini")).shadow(Shadow.builder("cand", agreeing, c -> {
              seen.add(c);
              compared.countDown();
            }).build()).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).interceptor(failing).build();
        Kiai kiai2 = Kiai.builder().model("gpt-4o-mini", mini).interceptor(agreeingRouter).build()) {
      long start = System.nanoTime();
      ChatResponse r = kiai.chat(ChatRequest.builder().addUser("q")
          .context(RequestContext.builder().requestId("req-1").build()).build());
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(r.text()).isEqualTo("real answer");
      assertThat(took).isLessThan(Duration.ofSeconds(2));
      assertThat(seen).isEmpty();
      release.countDown();

      ChatResponse r2 = kiai2.chat(ChatRequest.builder().addUser("q")
          .context(RequestContext.builder().requestId("req-2").build()).build());
      assertThat(r2.text()).isEqualTo("real answer");
      assertThat(compared.await(5, TimeUnit.SECONDS)).isTrue();
      ShadowComparison broken = seen.stream().filter(c -> c.requestId().equals("req-1")).findFirst().orElseThrow();
      assertThat(broken.succeeded()).isFalse();
      assertThat(broken.error()).isEqualTo("ProviderUnavailableException: local model cand HTTP 503: candidate broke");
      assertThat(broken.agreement()).isEqualTo(0.0);
      ShadowComparison agreed = seen.stream().filter(c -> c.requestId().equals("req-2")).findFirst().orElseThrow();
      assertThat(agreed.agreement()).isEqualTo(1.0);
      assertThat(agreed.shadowText()).isEqualTo("Real answer.");
      assertThat(mini.calls()).isEqualTo(2);
    }
  }

  @Test
  void canaryIsStickyPerUserAndStopsItselfOnErrorsUnderConcurrency() throws Exception {
    FakeModel mini = FakeModel.answering("openai", "stable");
    FakeModel big = new FakeModel("openai", r -> {
      throw new ProviderUnavailableException("openai", "gpt-4.1", 500, null, "broken release", null);
    });
    Canary canary = Canary.builder("gpt-4.1").percent(50).maxErrorRate(0.3).window(40, 20).build();
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .policy(RoutingPolicy.fixed("gpt-4o-mini")).canary(canary)
        .resilience(ResilienceConfig.builder().maxAttempts(1).build()).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big).interceptor(router).build()) {
      RequestContext alice = RequestContext.builder().user("alice").build();
      assertThat(canary.bucket(alice)).isEqualTo(canary.bucket(RequestContext.builder().user("alice").build()));

      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<ChatResponse>> answers = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 200; i++) {
        String user = "user-" + (i % 50);
        answers.add(pool.submit(() -> kiai.chat(ChatRequest.builder().addUser("x")
            .context(RequestContext.builder().user(user).build()).build())));
      }
      for (Future<ChatResponse> f : answers) {
        assertThat(f.get(10, TimeUnit.SECONDS).text()).isEqualTo("stable");
      }
      pool.shutdown();

      assertThat(canary.stopped()).isTrue();
      assertThat(canary.stopReason().orElseThrow()).startsWith("error rate 1.000 over the last 20 calls exceeds 0.300");
      assertThat(canary.calls()).isEqualTo(canary.failures());
      assertThat(canary.calls()).isBetween(20L, 27L);
      long before = big.calls();
      kiai.chat(ChatRequest.builder().addUser("x").context(alice).build());
      assertThat(big.calls()).isEqualTo(before);
    }
  }

  @Test
  void canaryStopsWhenTheJudgeScoreFallsBelowTheBound() throws Exception {
    FakeModel mini = FakeModel.answering("openai", "stable");
    FakeModel big = FakeModel.answering("openai", "meh");
    FakeModel judgeModel = FakeModel.answering("anthropic", "2");
    Canary canary = Canary.builder("gpt-4.1").percent(100).window(10, 4)
        .judge(Canary.modelJudge(judgeModel, "claude-haiku-4-5"), 0.6).build();
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .policy(RoutingPolicy.fixed("gpt-4o-mini")).canary(canary).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big).interceptor(router).build()) {
      for (int i = 0; i < 4; i++) {
        ChatResponse r = kiai.chat(ChatRequest.builder().addUser("x")
            .context(RequestContext.builder().user("u" + i).build()).build());
        assertThat(r.text()).isEqualTo("meh");
        assertThat(r.trace().find("router").orElseThrow().attributes().get("reason")).contains("canary 100.0%");
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!canary.stopped() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(canary.stopReason().orElseThrow())
          .isEqualTo("mean judge score 0.200 over 4 judged calls is below 0.600");
      assertThat(kiai.chat(ChatRequest.of("x")).text()).isEqualTo("stable");
      assertThat(judgeModel.seen.get(0).model()).isEqualTo("claude-haiku-4-5");
      assertThat(judgeModel.seen.get(0).lastUserText()).isEqualTo("Question:\nx\n\nAnswer:\nmeh");
    }
  }

  @Test
  void bulkheadLimitsConcurrentCallsToALocalModelAndOverflowsTheRest() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch hold = new CountDownLatch(1);
    FakeModel local = new FakeModel("openai", r -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        hold.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.decrementAndGet();
      return FakeModel.answer(r.model(), "openai", "local");
    });
    FakeModel premium = FakeModel.answering("openai", "premium");
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .policy(RoutingPolicy.fixed("gpt-4o-mini", "gpt-4.1"))
        .resilience("gpt-4o-mini", ResilienceConfig.builder().maxAttempts(1).maxConcurrentCalls(2).build()).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", local).model("gpt-4.1", premium).interceptor(router).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<ChatResponse>> answers = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(pool.submit(() -> kiai.chat(ChatRequest.of("x"))));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (premium.calls() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      hold.countDown();
      List<String> texts = new java.util.ArrayList<>();
      for (Future<ChatResponse> f : answers) {
        texts.add(f.get(10, TimeUnit.SECONDS).text());
      }
      pool.shutdown();
      assertThat(peak.get()).isEqualTo(2);
      assertThat(texts).filteredOn("local"::equals).hasSize(2);
      assertThat(texts).filteredOn("premium"::equals).hasSize(4);
    }
  }
}
