package dev.kiai.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.Kiai;
import dev.kiai.core.RequestContext;
import dev.kiai.core.Trace;
import dev.kiai.core.budget.BudgetSignal;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ContextLengthExceededException;
import dev.kiai.core.error.InvalidRequestException;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.error.RateLimitedException;
import dev.kiai.core.load.LoadSnapshot;
import dev.kiai.core.pricing.PriceTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouterInterceptorTest {
  private static final PriceTable PRICES = PriceTable.bundled();
  private static final ModelCatalog CATALOG = ModelCatalog.of(PRICES, "gpt-4o-mini", "gpt-4.1", "claude-sonnet-4-5");

  private static ResilienceConfig fast() {
    return ResilienceConfig.builder().maxAttempts(2).backoff(Duration.ofMillis(1), 1, 0).build();
  }

  private static Kiai kiai(RouterInterceptor router, FakeModel mini, FakeModel big, FakeModel claude) {
    return Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big).model("claude-sonnet-4-5", claude)
        .interceptor(router).build();
  }

  @Test
  void cheapestEligibleRoutesToTheCheapestModelAndExplainsItInTheTrace() {
    FakeModel mini = FakeModel.answering("openai", "mini");
    FakeModel big = FakeModel.answering("openai", "big");
    FakeModel claude = FakeModel.answering("anthropic", "claude");
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG).build();
        Kiai kiai = kiai(router, mini, big, claude)) {
      ChatResponse r = kiai.chat(ChatRequest.of("hello"));

      assertThat(r.text()).isEqualTo("mini");
      assertThat(r.model()).isEqualTo("gpt-4o-mini");
      Trace.Entry routed = r.trace().find("router").orElseThrow();
      assertThat(routed.decision()).isEqualTo("routed to gpt-4o-mini");
      assertThat(routed.attributes()).containsEntry("policy", "cheapest-eligible")
          .containsEntry("fallbacks", "gpt-4.1,claude-sonnet-4-5");
      assertThat(routed.attributes().get("reason")).startsWith("cheapest model that fits");
      // priced for the model that ran: 100 in x 0.15 + 10 out x 0.60 per 1M
      assertThat(r.cost().total()).isEqualByComparingTo("0.000021");
    }
  }

  @Test
  void rulesRouteByFeatureAndFallBackOnOutageToTheNextModelChargedToTheModelThatRan() {
    FakeModel mini = FakeModel.answering("openai", "mini");
    FakeModel big = new FakeModel("openai", r -> {
      throw new ProviderUnavailableException("openai", "gpt-4.1", 503, null, "down", null);
    });
    FakeModel claude = FakeModel.answering("anthropic", "claude");
    RulesPolicy rules = RulesPolicy.of(Rule.named("legal").feature("legal").routeTo("gpt-4.1", "claude-sonnet-4-5"));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG).resilience(fast())
        .policy(RoutingPolicy.firstOf(rules, RoutingPolicy.cheapestEligible())).meterRegistry(meters).build();
        Kiai kiai = kiai(router, mini, big, claude)) {
      ChatRequest legal = ChatRequest.builder().addUser("Is this clause enforceable?")
          .context(RequestContext.builder().feature("legal").build()).build();

      ChatResponse r = kiai.chat(legal);

      assertThat(r.text()).isEqualTo("claude");
      assertThat(big.calls()).isEqualTo(2);
      List<Trace.Entry> entries = r.trace().all("router");
      assertThat(entries).extracting(Trace.Entry::decision).containsExactly(
          "routed to gpt-4.1", "retrying gpt-4.1", "failed gpt-4.1");
      assertThat(entries.get(0).attributes()).containsEntry("policy", "rules")
          .containsEntry("reason", "rule legal: feature=legal");
      assertThat(entries.get(2).attributes()).containsEntry("error", "unavailable");
      // claude-sonnet-4-5: 3 USD in, 15 USD out per 1M -> 100 x 3 + 10 x 15 = 450 / 1M
      assertThat(r.cost().pricedAs()).startsWith("claude-sonnet-4-5@");
      assertThat(r.cost().total()).isEqualByComparingTo("0.00045");
      assertThat(meters.get("kiai.router.decisions").tag("outcome", "fallback")
          .tag("gen_ai.response.model", "claude-sonnet-4-5").counter().count()).isEqualTo(1.0);

      ChatResponse other = kiai.chat(ChatRequest.of("hi"));
      assertThat(other.text()).isEqualTo("mini");
    }
  }

  @Test
  void contextLengthErrorFallsBackToALargerWindowSkippingSmallerOnes() {
    FakeModel mini = new FakeModel("openai", r -> {
      throw new ContextLengthExceededException("openai", "gpt-4o-mini", 400, "context_length_exceeded", "too long");
    });
    FakeModel big = FakeModel.answering("openai", "big");
    FakeModel claude = FakeModel.answering("anthropic", "claude");
    // order: mini (128k), claude (200k), gpt-4.1 (1M): a context error must skip nothing smaller
    ModelCatalog catalog = ModelCatalog.of(PRICES, "gpt-4o-mini", "claude-sonnet-4-5", "gpt-4.1");
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(catalog).resilience(fast())
        .policy(RoutingPolicy.fixed("gpt-4o-mini", "claude-sonnet-4-5", "gpt-4.1")).build();
        Kiai kiai = kiai(router, mini, big, claude)) {
      ChatResponse r = kiai.chat(ChatRequest.of("long"));

      assertThat(r.text()).isEqualTo("claude");
      assertThat(mini.calls()).isEqualTo(1);
      assertThat(r.trace().all("router").get(1).attributes()).containsEntry("error", "context_length");
    }
  }

  @Test
  void invalidRequestIsNotRetriedNorFallenBackAndRethrownUnwrapped() {
    FakeModel mini = new FakeModel("openai", r -> {
      throw new InvalidRequestException("openai", "gpt-4o-mini", 400, "invalid_request_error", "bad");
    });
    FakeModel big = FakeModel.answering("openai", "big");
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG).resilience(fast()).build();
        Kiai kiai = kiai(router, mini, big, big)) {
      assertThatThrownBy(() -> kiai.chat(ChatRequest.of("x"))).isInstanceOf(InvalidRequestException.class);
      assertThat(mini.calls()).isEqualTo(1);
      assertThat(big.calls()).isZero();
    }
  }

  @Test
  void contentFilteredAnswerGoesToTheConfiguredAlternate() {
    FakeModel mini = new FakeModel("openai", r -> new ChatResponse("x", ChatMessage.assistant(""),
        FinishReason.CONTENT_FILTER, Usage.of(10, 0), null, r.model(), "openai", null, null, null));
    FakeModel claude = FakeModel.answering("anthropic", "claude");
    FakeModel big = FakeModel.answering("openai", "big");
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG).resilience(fast())
        .fallbacks(FallbackPolicy.builder().on(ErrorKind.CONTENT_POLICY, Fallback.alternate("claude-sonnet-4-5")).build())
        .build();
        Kiai kiai = kiai(router, mini, big, claude)) {
      ChatResponse r = kiai.chat(ChatRequest.of("x"));

      assertThat(r.text()).isEqualTo("claude");
      assertThat(big.calls()).isZero();
      assertThat(r.trace().all("router")).extracting(Trace.Entry::decision)
          .containsExactly("routed to gpt-4o-mini", "content filtered by gpt-4o-mini");
      assertThat(r.trace().all(Kiai.MODEL_STAGE)).hasSize(2);
    }
  }

  @Test
  void rateLimitRetryHonoursRetryAfterThenFallsBackWhenItIsTooLong() {
    FakeModel mini = new FakeModel("openai", r -> {
      throw new RateLimitedException("openai", "gpt-4o-mini", 429, "rate_limit_exceeded", "slow down",
          Duration.ofMinutes(5), false);
    });
    FakeModel big = FakeModel.answering("openai", "big");
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG).resilience(fast()).build();
        Kiai kiai = kiai(router, mini, big, big)) {
      long start = System.nanoTime();
      ChatResponse r = kiai.chat(ChatRequest.of("x"));

      assertThat(r.text()).isEqualTo("big");
      assertThat(mini.calls()).isEqualTo(1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(r.trace().all("router").get(1).attributes()).containsEntry("error", "rate_limited")
          .containsEntry("retry_after_ms", "300000");
    }
  }

  @Test
  void budgetDowngradeAndShrinkAreHonoured() {
    FakeModel mini = FakeModel.answering("openai", "mini");
    FakeModel big = FakeModel.answering("openai", "big");
    FakeModel claude = FakeModel.answering("anthropic", "claude");
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .policy(RoutingPolicy.fixed("gpt-4.1", "claude-sonnet-4-5")).build();
        Kiai kiai = kiai(router, mini, big, claude)) {
      ChatRequest downgrade = ChatRequest.builder().addUser("x").context(RequestContext.builder()
          .attribute(BudgetSignal.ATTRIBUTE, new BudgetSignal(BudgetSignal.Action.DOWNGRADE, "tenant:acme", null, null,
              null)).build()).build();
      ChatResponse r = kiai.chat(downgrade);
      assertThat(r.text()).isEqualTo("mini");
      assertThat(r.trace().all("router").get(0).decision()).isEqualTo("budget downgrade");
      assertThat(r.trace().all("router").get(0).attributes()).containsEntry("from", "gpt-4.1")
          .containsEntry("to", "gpt-4o-mini").containsEntry("scope", "tenant:acme");
      assertThat(r.trace().all("router").get(1).attributes()).containsEntry("fallbacks", "");

      ChatRequest shrink = ChatRequest.builder().addUser("x").maxTokens(1000).context(RequestContext.builder()
          .attribute(BudgetSignal.ATTRIBUTE, new BudgetSignal(BudgetSignal.Action.SHRINK, "user:bob", null, 64, null))
          .build()).build();
      ChatResponse s = kiai.chat(shrink);
      assertThat(s.text()).isEqualTo("big");
      assertThat(big.seen.get(0).maxTokens()).isEqualTo(64);

      // 0.001 USD left: gpt-4.1 (2 USD/1M in, 8 USD/1M out) would cost ~0.0041 for 512 output tokens
      ChatRequest poor = ChatRequest.builder().addUser("x").context(RequestContext.builder()
          .attribute(BudgetSignal.ATTRIBUTE, new BudgetSignal(BudgetSignal.Action.SHRINK, "tenant:acme", null, null,
              new BigDecimal("0.001"))).build()).build();
      assertThat(kiai.chat(poor).text()).isEqualTo("mini");
    }
  }

  @Test
  void saturatedLocalEngineOverflowsToTheNextModel() {
    FakeModel mini = FakeModel.answering("openai", "mini");
    FakeModel big = FakeModel.answering("openai", "big");
    Instant now = Instant.now();
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .loadSignal(m -> m.equals("gpt-4o-mini")
            ? Optional.of(new LoadSnapshot(true, 0.97, 8, 12, Duration.ofMillis(900), 40, now)) : Optional.empty(),
            0.9)
        .build();
        Kiai kiai = kiai(router, mini, big, big)) {
      ChatResponse r = kiai.chat(ChatRequest.of("x"));

      assertThat(r.text()).isEqualTo("big");
      assertThat(mini.calls()).isZero();
      Trace.Entry overflow = r.trace().all("router").get(1);
      assertThat(overflow.decision()).isEqualTo("overflow from gpt-4o-mini");
      assertThat(overflow.attributes()).containsEntry("saturation", "0.97").containsEntry("queued", "12");
    }
  }

  @Test
  void capabilityAndContextWindowMakeModelsIneligible() {
    FakeModel mini = FakeModel.answering("openai", "mini");
    FakeModel local = FakeModel.answering("local", "local");
    ModelCatalog catalog = ModelCatalog.builder().model("local-llama", ModelInfoFixture.LOCAL)
        .model("gpt-4o-mini", PRICES).build();
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(catalog).build();
        Kiai kiai = Kiai.builder().model("local-llama", local).model("gpt-4o-mini", mini).interceptor(router).build()) {
      assertThat(kiai.chat(ChatRequest.of("short")).text()).isEqualTo("local");

      ChatRequest json = ChatRequest.builder().addUser("give json")
          .responseFormat(ResponseFormat.jsonSchema("r", "{\"type\":\"object\"}")).build();
      assertThat(kiai.chat(json).text()).isEqualTo("mini");

      ChatRequest big = ChatRequest.builder().addUser("word ".repeat(6000)).build();
      ChatResponse r = kiai.chat(big);
      assertThat(r.text()).isEqualTo("mini");
      assertThat(r.trace().find("router").orElseThrow().attributes().get("reason"))
          .startsWith("cheapest model that fits");
    }
  }

  @Test
  void requestsNamingAnUnknownModelPassThroughAndCatalogModelsArePinned() {
    FakeModel mini = FakeModel.answering("openai", "mini");
    FakeModel big = FakeModel.answering("openai", "big");
    FakeModel other = FakeModel.answering("x", "other");
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big).model("o-model", other)
            .interceptor(router).build()) {
      ChatResponse pass = kiai.chat(ChatRequest.builder().model("o-model").addUser("x").build());
      assertThat(pass.text()).isEqualTo("other");
      assertThat(pass.trace().find("router").orElseThrow().decision()).isEqualTo("pass-through");

      ChatResponse pinned = kiai.chat(ChatRequest.builder().model("gpt-4.1").addUser("x").build());
      assertThat(pinned.text()).isEqualTo("big");
      assertThat(pinned.trace().find("router").orElseThrow().attributes().get("reason"))
          .endsWith("pinned: the request names gpt-4.1");
    }
  }

  @Test
  void listenerSeesTheAttemptsOfAFailedRequestAndStreamingFallsBackBeforeTheFirstDelta() {
    FakeModel mini = new FakeModel("openai", r -> {
      throw new ProviderUnavailableException("openai", "gpt-4o-mini", 503, null, "down", null);
    });
    FakeModel big = new FakeModel("openai", r -> {
      throw new dev.kiai.core.error.AuthenticationException("openai", "gpt-4.1", 401, "invalid_api_key", "no key");
    });
    FakeModel claude = FakeModel.answering("anthropic", "streamed claude");
    List<String> audit = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .resilience(ResilienceConfig.builder().maxAttempts(1).build())
        .policy(RoutingPolicy.fixed("gpt-4o-mini", "gpt-4.1"))
        .listener((req, entries, error) -> {
          entries.forEach(e -> audit.add(e.decision() + " " + e.attributes().getOrDefault("error", "")));
          audit.add(error == null ? "ok" : error.getClass().getSimpleName());
        }).build();
        Kiai kiai = kiai(router, mini, big, claude)) {
      assertThatThrownBy(() -> kiai.chat(ChatRequest.of("x")))
          .isInstanceOf(dev.kiai.core.error.AuthenticationException.class);
      assertThat(audit).containsExactly("routed to gpt-4o-mini ", "failed gpt-4o-mini unavailable",
          "failed gpt-4.1 authentication", "AuthenticationException");
    }
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .policy(RoutingPolicy.fixed("gpt-4o-mini", "claude-sonnet-4-5")).build();
        Kiai kiai = kiai(router, mini, big, claude)) {
      StringBuilder text = new StringBuilder();
      java.util.concurrent.atomic.AtomicReference<ChatResponse> done = new java.util.concurrent.atomic.AtomicReference<>();
      kiai.stream(ChatRequest.of("x"), new dev.kiai.core.StreamListener() {
        @Override
        public void onText(String delta) {
          text.append(delta);
        }

        @Override
        public void onComplete(ChatResponse response) {
          done.set(response);
        }

        @Override
        public void onError(Throwable error) {
          text.append("ERROR ").append(error);
        }
      });
      assertThat(text.toString()).isEqualTo("streamed claude");
      assertThat(done.get().trace().all("router")).extracting(Trace.Entry::decision)
          .containsExactly("routed to gpt-4o-mini", "failed gpt-4o-mini");
      assertThat(done.get().model()).isEqualTo("claude-sonnet-4-5");
    }
  }
}
