package dev.kiai.examples;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoTest {

  private static String runDemo(Map<String, String> env, int expectedExit) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), env);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isEqualTo(expectedExit);
    return out;
  }

  @Test
  void runsOfflineWithoutAnyConfiguration() {
    String out = runDemo(Map.of(), 0);
    assertThat(out).contains("versions of support-reply: [1.0.0, 1.1.0], labels {canary=1.1.0, prod=1.0.0}, canary 20 %");
    assertThat(out).containsPattern("\\d+ of 1000 users get the canary");
    assertThat(out).contains("rendered support-reply@1.0.0");
    assertThat(out).containsPattern("gpt-4o-mini\\s+openai\\s+\\d+ exact");
    assertThat(out).containsPattern("claude-sonnet-4-5\\s+anthropic\\s+\\d+ estimate");
    assertThat(out).contains("No model is configured, so no request is sent");
    assertThat(out).contains("Demo finished.");
  }

  @Test
  void sendsTheRenderedRequestToAConfiguredOpenAiCompatibleServer() {
    WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    try {
      server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
          .withHeader("Content-Type", "application/json").withBody("""
              {"id":"chatcmpl-9","object":"chat.completion","created":1730000000,"model":"gpt-4o-mini-2024-07-18",
               "choices":[{"index":0,"message":{"role":"assistant","content":"Please send me your order number."},
               "logprobs":null,"finish_reason":"stop"}],
               "usage":{"prompt_tokens":41,"completion_tokens":8,"total_tokens":49}}""")));
      String out = runDemo(Map.of("KIAI_BASE_URL", "http://127.0.0.1:" + server.port() + "/v1",
          "KIAI_MODEL", "gpt-4o-mini"), 0);
      assertThat(out).contains("answer: Please send me your order number.");
      assertThat(out).contains("41 input / 8 output tokens, cost 0.00001095 USD");
      assertThat(out).contains("model: called openai-compatible/gpt-4o-mini-2024-07-18");
      assertThat(out).contains("gen_ai.client.token.usage");
    } finally {
      server.stop();
    }
  }

  @Test
  void aFailingServerIsReportedAsAFailedSection() {
    String out = runDemo(Map.of("KIAI_BASE_URL", "http://127.0.0.1:9/v1"), 1);
    assertThat(out).contains("FAILED: ProviderUnavailableException");
    assertThat(out).contains("Demo finished with 1 failed section(s).");
  }
}
