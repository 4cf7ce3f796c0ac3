package dev.kiai.core.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.kiai.core.Kiai;
import dev.kiai.core.Trace;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Provider answers through {@link Kiai}: priced from the bundled table and traced. */
class KiaiWithProvidersTest {
  private WireMockServer server;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private void answer(String path, String body) {
    server.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(body)));
  }

  @Test
  void openAiAnswerIsPricedFromTheBundledTableAndTraced() {
    answer("/v1/chat/completions", OpenAiCompatibleChatModelTest.completion("chatcmpl-priced",
        OpenAiCompatibleChatModelTest.textMessage("Priced."), "stop",
        OpenAiCompatibleChatModelTest.usage(1000, 500, 0, 0)));
    try (OpenAiCompatibleChatModel model = OpenAiCompatibleChatModel.builder().baseUrl(server.baseUrl() + "/v1")
            .apiKey("sk-test").defaultModel("gpt-4o-mini").build();
        Kiai kiai = Kiai.builder().model(model).build()) {

      ChatResponse r = kiai.chat(ChatRequest.of("Price me"));

      // gpt-4o-mini: 0.15 USD in, 0.60 USD out per 1M tokens
      assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
      assertThat(r.cost().known()).isTrue();
      assertThat(r.cost().pricedAs()).startsWith("gpt-4o-mini@");
      assertThat(r.cost().input()).isEqualByComparingTo("0.00015");
      assertThat(r.cost().output()).isEqualByComparingTo("0.0003");
      assertThat(r.cost().total()).isEqualByComparingTo(new BigDecimal("0.00045"));
      Trace.Entry entry = r.trace().find(Kiai.MODEL_STAGE).orElseThrow();
      assertThat(entry.decision()).isEqualTo("called openai/gpt-4o-mini-2024-07-18");
      assertThat(entry.attributes()).containsEntry("provider", "openai")
          .containsEntry("model", "gpt-4o-mini-2024-07-18")
          .containsEntry("input_tokens", "1000")
          .containsEntry("output_tokens", "500")
          .containsEntry("finish_reason", "stop")
          .containsEntry("cost_usd", "0.00045");
    }
  }

  @Test
  void cachedOpenAiTokensArePricedAtTheCachedRate() {
    answer("/v1/chat/completions", OpenAiCompatibleChatModelTest.completion("chatcmpl-cached",
        OpenAiCompatibleChatModelTest.textMessage("Cached."), "stop",
        OpenAiCompatibleChatModelTest.usage(1000, 500, 400, 0)));
    try (OpenAiCompatibleChatModel model = OpenAiCompatibleChatModel.builder().baseUrl(server.baseUrl() + "/v1")
            .defaultModel("gpt-4o-mini").build();
        Kiai kiai = Kiai.builder().model(model).build()) {

      ChatResponse r = kiai.chat(ChatRequest.of("Price me"));

      // 600 uncached x 0.15 + 400 cached x 0.075 + 500 out x 0.60, per 1M tokens
      assertThat(r.cost().input()).isEqualByComparingTo("0.00009");
      assertThat(r.cost().cachedInput()).isEqualByComparingTo("0.00003");
      assertThat(r.cost().total()).isEqualByComparingTo("0.00042");
      assertThat(r.trace().find(Kiai.MODEL_STAGE).orElseThrow().attributes())
          .containsEntry("cached_input_tokens", "400");
    }
  }

  @Test
  void anthropicCacheReadsAndWritesArePricedAtTheirOwnRates() {
    answer("/v1/messages", AnthropicChatModelTest.message("msg_priced",
        "[{\"type\": \"text\", \"text\": \"Priced.\"}]", "end_turn", AnthropicChatModelTest.usage(100, 1000, 2000, 500)));
    try (AnthropicChatModel model = AnthropicChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-ant-test")
            .defaultModel("claude-sonnet-4-5").build();
        Kiai kiai = Kiai.builder().model(model).build()) {

      ChatResponse r = kiai.chat(ChatRequest.of("Price me"));

      // claude-sonnet-4-5: 3.00 in, 0.30 cache read, 3.75 cache write, 15.00 out per 1M tokens
      assertThat(r.cost().pricedAs()).startsWith("claude-sonnet-4-5@");
      assertThat(r.cost().input()).isEqualByComparingTo("0.0003");
      assertThat(r.cost().cachedInput()).isEqualByComparingTo("0.0006");
      assertThat(r.cost().cacheWrite()).isEqualByComparingTo("0.00375");
      assertThat(r.cost().output()).isEqualByComparingTo("0.0075");
      assertThat(r.cost().total()).isEqualByComparingTo("0.01215");
    }
  }
}
