package dev.kiai.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.kiai.core.Kiai;
import dev.kiai.core.RequestContext;
import dev.kiai.core.Trace;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.pricing.PriceTable;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fallbacks under injected HTTP faults from two real OpenAI-compatible providers (WireMock, loopback). */
class RouterFaultsTest {
  private WireMockServer primary;
  private WireMockServer secondary;
  private OpenAiCompatibleChatModel primaryModel;
  private OpenAiCompatibleChatModel secondaryModel;

  @BeforeEach
  void start() {
    primary = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    secondary = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    primary.start();
    secondary.start();
    primaryModel = OpenAiCompatibleChatModel.builder().baseUrl(primary.baseUrl() + "/v1").apiKey("k")
        .provider("openai").build();
    secondaryModel = OpenAiCompatibleChatModel.builder().baseUrl(secondary.baseUrl() + "/v1").apiKey("k")
        .provider("openai").build();
    ok(secondary, "gpt-4.1", "from secondary");
  }

  @AfterEach
  void stop() {
    primaryModel.close();
    secondaryModel.close();
    primary.stop();
    secondary.stop();
  }

  static String completion(String model, String text) {
    return """
        {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"%s",
         "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":1000,"completion_tokens":100,"total_tokens":1100}}
        """.formatted(model, text);
  }

  private static void ok(WireMockServer server, String model, String text) {
    server.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(completion(model, text))));
  }

  private RouterInterceptor router(ResilienceConfig resilience) {
    return RouterInterceptor.builder().catalog(ModelCatalog.of(PriceTable.bundled(), "gpt-4o-mini", "gpt-4.1"))
        .policy(RoutingPolicy.fixed("gpt-4o-mini", "gpt-4.1")).resilience(resilience).build();
  }

  private Kiai kiai(RouterInterceptor router) {
    return Kiai.builder().model("gpt-4o-mini", primaryModel).model("gpt-4.1", secondaryModel).interceptor(router)
        .build();
  }

  private static ResilienceConfig retries(int attempts) {
    return ResilienceConfig.builder().maxAttempts(attempts).backoff(Duration.ofMillis(5), 2, 0.5).build();
  }

  @Test
  void rateLimitWithRetryAfterIsWaitedForAndRetriedOnTheSameModel() {
    primary.stubFor(post(urlPathEqualTo("/v1/chat/completions")).inScenario("429").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
            .withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"))
        .willSetStateTo("ok"));
    primary.stubFor(post(urlPathEqualTo("/v1/chat/completions")).inScenario("429").whenScenarioStateIs("ok")
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody(completion("gpt-4o-mini", "from primary"))));
    try (RouterInterceptor router = router(retries(3)); Kiai kiai = kiai(router)) {
      long start = System.nanoTime();
      ChatResponse r = kiai.chat(ChatRequest.of("hello"));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(r.text()).isEqualTo("from primary");
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(990));
      Trace.Entry retry = r.trace().all("router").get(1);
      assertThat(retry.decision()).isEqualTo("retrying gpt-4o-mini");
      assertThat(retry.attributes()).containsEntry("error", "rate_limited").containsEntry("retry_after_ms", "1000");
      assertThat(Long.parseLong(retry.attributes().get("wait_ms"))).isGreaterThanOrEqualTo(1000);
      secondary.verify(0, postRequestedFor(urlPathEqualTo("/v1/chat/completions")));
    }
  }

  @Test
  void persistent503FallsBackToTheNextProviderAfterRetries() {
    primary.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(503)
        .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"overloaded\"}}")));
    try (RouterInterceptor router = router(retries(2)); Kiai kiai = kiai(router)) {
      ChatResponse r = kiai.chat(ChatRequest.of("hello"));

      assertThat(r.text()).isEqualTo("from secondary");
      assertThat(r.model()).isEqualTo("gpt-4.1");
      primary.verify(2, postRequestedFor(urlPathEqualTo("/v1/chat/completions")));
      secondary.verify(1, postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
          .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4.1"))));
      List<Trace.Entry> entries = r.trace().all("router");
      assertThat(entries).extracting(Trace.Entry::decision)
          .containsExactly("routed to gpt-4o-mini", "retrying gpt-4o-mini", "failed gpt-4o-mini");
      assertThat(entries.get(2).attributes()).containsEntry("error", "unavailable")
          .containsEntry("exception", "ProviderUnavailableException");
      // priced for the model that actually ran: gpt-4.1, 1000 in x 2 + 100 out x 8 per 1M
      assertThat(r.cost().pricedAs()).startsWith("gpt-4.1@");
      assertThat(r.cost().total()).isEqualByComparingTo("0.0028");
      assertThat(r.trace().all(Kiai.MODEL_STAGE)).hasSize(1);
    }
  }

  @Test
  void connectionResetFallsBack() {
    primary.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    try (RouterInterceptor router = router(retries(1)); Kiai kiai = kiai(router)) {
      ChatResponse r = kiai.chat(ChatRequest.of("hello"));

      assertThat(r.text()).isEqualTo("from secondary");
      assertThat(r.trace().all("router").get(1).attributes()).containsEntry("error", "unavailable");
    }
  }

  @Test
  void slowResponseBeyondTheDeadlineTimesOutAndFallsBack() {
    primary.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(completion("gpt-4o-mini", "too late"))
        .withFixedDelay(3000)));
    ResilienceConfig oneTry = ResilienceConfig.builder().maxAttempts(1).timeout(Duration.ofMillis(300)).build();
    try (RouterInterceptor router = router(oneTry); Kiai kiai = kiai(router)) {
      ChatRequest request = ChatRequest.builder().addUser("hello")
          .context(RequestContext.builder().deadline(Instant.now().plusSeconds(2)).build()).build();
      long start = System.nanoTime();
      ChatResponse r = kiai.chat(request);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(r.text()).isEqualTo("from secondary");
      assertThat(took).isLessThan(Duration.ofMillis(2000));
      assertThat(r.trace().all("router").get(1).attributes()).containsEntry("error", "timeout")
          .containsEntry("exception", "ProviderTimeoutException");
    }
  }
}
