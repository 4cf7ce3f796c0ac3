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

class RagSectionTest {
  private static String run(Map<String, String> env) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DemoContext ctx = new DemoContext(new PrintStream(bytes, true, StandardCharsets.UTF_8), env)) {
      new RagSection().run(ctx);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void offlineShowsNumberedContextAndChecksTheLabelledExampleAnswer() throws Exception {
    String out = run(Map.of());
    assertThat(out).contains("indexed 3 documents as");
    assertThat(out).contains("context: 5 sources, ");
    assertThat(out).contains("[1] Refund policy > Return shipping, chars 294-420: ## Return shipping");
    assertThat(out).contains("[5] Refund policy > Time limits, chars 0-160: # Refund policy");
    assertThat(out).contains("HAND-WRITTEN EXAMPLE ANSWER");
    assertThat(out).containsPattern("sentence 1: SUPPORTED\\s+support 0\\.89  cites \\[5\\]");
    assertThat(out).containsPattern("sentence 2: FABRICATED_CITATION\\s+support 0\\.00  cites \\[8\\]");
    assertThat(out).containsPattern("sentence 3: UNCITED\\s+support 0\\.00  cites \\[\\]");
    assertThat(out).contains("problem: sentence 2 cites [8], which was not provided (sources 1-5)");
    assertThat(out).contains("problem: sentence 3 states a fact but cites no source");
    assertThat(out).contains("grounded answer after stripping: You can request a full refund within 30 days of delivery [5].");
  }

  @Test
  void withAModelTheAnswerIsCheckedAndTraced() throws Exception {
    WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    try {
      server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
          .withHeader("Content-Type", "application/json").withBody("""
              {"id":"chatcmpl-1","object":"chat.completion","created":1730000000,"model":"gpt-4o-mini",
               "choices":[{"index":0,"message":{"role":"assistant",
               "content":"You can request a full refund within 30 days of delivery [5]. For other than defective items, the customer pays the return shipping [1]."},
               "finish_reason":"stop"}],
               "usage":{"prompt_tokens":300,"completion_tokens":15,"total_tokens":315}}""")));
      String out = run(Map.of("KIAI_BASE_URL", "http://127.0.0.1:" + server.port() + "/v1"));
      assertThat(out).contains("answer (gpt-4o-mini, 1 attempt(s)):");
      assertThat(out).contains("  You can request a full refund within 30 days of delivery [5]. For other than defective items, "
          + "the customer pays the return shipping [1].");
      assertThat(out).contains("trace: rag grounded");
      assertThat(out).contains("source.1=refunds.md#2 supports sentence(s) 2").contains("source.5=refunds.md#0 supports sentence(s) 1");
    } finally {
      server.stop();
    }
  }
}
