package dev.kiai.eval;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Model-graded assertions with an OpenAI-compatible judge scripted by WireMock. */
class JudgeWireMockTest {
  private static final String PATH = "/v1/chat/completions";
  private static WireMockServer server;

  @BeforeAll
  static void start() {
    server = new WireMockServer(wireMockConfig().dynamicPort());
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

  /** A Chat Completions response as the API returns it, with {@code content} as the judge's text. */
  static String completion(String content) throws Exception {
    return """
        {"id":"chatcmpl-judge","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18",
         "choices":[{"index":0,"message":{"role":"assistant","content":%s,"refusal":null},"logprobs":null,
                     "finish_reason":"stop"}],
         "usage":{"prompt_tokens":200,"completion_tokens":30,"total_tokens":230}}
        """.formatted(new ObjectMapper().writeValueAsString(content));
  }

  private void judgeSays(String bodyContains, String content) throws Exception {
    server.stubFor(post(urlEqualTo(PATH)).withRequestBody(containing(bodyContains))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(completion(content))));
  }

  private EvalReport run(GoldenCase c, String answer) {
    OpenAiCompatibleChatModel judge = OpenAiCompatibleChatModel.compatible(server.baseUrl() + "/v1", "gpt-4o-mini");
    EvalRunner runner = EvalRunner.builder().model(ReplayModel.of(Map.of(c.id(), answer))).judge(judge)
        .retries(0).build();
    return runner.run(GoldenSuite.of("judge", List.of(c)));
  }

  @Test
  void rubricScoreIsParsedFromFencedJson() throws Exception {
    judgeSays("Rubric:", "```json\n{\"reason\": \"Polite and gives the window.\", \"score\": 0.8}\n```");
    GoldenCase c = GoldenCase.builder("r1", "How long can I return items?")
        .assertThat("llm-rubric", "States the 30-day window politely").build();
    CaseResult r = run(c, "You have 30 days, happy to help!").cases().get(0);
    assertThat(r.status()).isEqualTo(CaseResult.Status.PASSED);
    AssertionResult a = r.assertions().get(0);
    assertThat(a.score()).isCloseTo(0.8, within(1e-12));
    assertThat(a.reason()).isEqualTo("score 0.8 >= 0.5: Polite and gives the window.");
    // 200 input + 30 output tokens of gpt-4o-mini: 200 * 0.15 / 1e6 + 30 * 0.60 / 1e6 = 0.000048 USD
    assertThat(r.judgeCostUsd()).isEqualByComparingTo(new BigDecimal("0.000048"));
    server.verify(1, postRequestedFor(urlEqualTo(PATH))
        .withRequestBody(containing("States the 30-day window politely"))
        .withRequestBody(containing("\"temperature\":0.0")));
  }

  @Test
  void cachedVerdictsAreReusedForFreeButMalformedOnesAreNot(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    judgeSays("Rubric:", "{\"reason\": \"ok\", \"score\": 0.9}");
    GoldenCase c = GoldenCase.builder("c", "Q").assertThat("llm-rubric", "polite").build();
    EvalRunner runner = EvalRunner.builder().model(ReplayModel.of(Map.of("c", "Hello")))
        .judge(OpenAiCompatibleChatModel.compatible(server.baseUrl() + "/v1", "gpt-4o-mini"))
        .cacheDirectory(dir).retries(0).build();
    GoldenSuite suite = GoldenSuite.of("judge", List.of(c));
    assertThat(runner.run(suite).judgeCostUsd()).isEqualByComparingTo(new BigDecimal("0.000048"));
    EvalReport again = runner.run(suite);
    assertThat(again.cases().get(0).assertions().get(0).score()).isEqualTo(0.9);
    assertThat(again.judgeCostUsd()).isEqualByComparingTo(BigDecimal.ZERO);
    server.verify(1, postRequestedFor(urlEqualTo(PATH)));

    server.resetAll();
    judgeSays("Rubric:", "no verdict today");
    GoldenCase other = GoldenCase.builder("c", "Q").assertThat("llm-rubric", "concise").build();
    runner.run(GoldenSuite.of("judge", List.of(other)));
    runner.run(GoldenSuite.of("judge", List.of(other)));
    server.verify(2, postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void lowScoreFails() throws Exception {
    judgeSays("Rubric:", "{\"reason\": \"Rude.\", \"score\": 0.2}");
    GoldenCase c = GoldenCase.builder("r2", "Q").assertThat("llm-rubric", "polite").build();
    CaseResult r = run(c, "Go away").cases().get(0);
    assertThat(r.status()).isEqualTo(CaseResult.Status.FAILED);
    assertThat(r.assertions().get(0).reason()).isEqualTo("score 0.2 < 0.5: Rude.");
  }

  @Test
  void malformedRepliesErrorTheCaseInsteadOfPassing() throws Exception {
    for (String reply : List.of("Looks great to me!", "{\"reason\": \"fine\", \"score\": 7}",
        "{\"reason\": \"fine\", \"score\": \"high\"}", "{\"reason\": \"fine\"", "{\"verdict\": \"pass\"}")) {
      server.resetAll();
      judgeSays("Rubric:", reply);
      GoldenCase c = GoldenCase.builder("m", "Q").assertThat("llm-rubric", "polite").build();
      CaseResult r = run(c, "Answer").cases().get(0);
      assertThat(r.status()).as(reply).isEqualTo(CaseResult.Status.ERRORED);
      assertThat(r.passed()).isFalse();
      AssertionResult a = r.assertions().get(0);
      assertThat(a.errored()).isTrue();
      assertThat(a.reason()).as(reply).startsWith("judge llm-rubric@1.0.0 ");
    }
  }

  @Test
  void factualityDisagreementFails() throws Exception {
    judgeSays("Reference answer:", "{\"reason\": \"Says 14 days, reference says 30.\", \"category\": \"D\"}");
    GoldenCase c = GoldenCase.builder("f", "Refund window?").expected("30 days")
        .addAssertion(AssertionSpec.of("factuality", null)).build();
    CaseResult r = run(c, "14 days").cases().get(0);
    assertThat(r.status()).isEqualTo(CaseResult.Status.FAILED);
    assertThat(r.assertions().get(0).reason()).isEqualTo("score 0 < 1: category D: Says 14 days, reference says 30.");
  }

  @Test
  void faithfulnessCountsSupportedClaims() throws Exception {
    judgeSays("Contexts:", """
        {"claims": [{"claim": "Refunds take 30 days", "supported": true},
                    {"claim": "Shipping is free", "supported": true},
                    {"claim": "Support is open on Sundays", "supported": false}]}""");
    GoldenCase c = GoldenCase.builder("fa", "Tell me about refunds")
        .contexts(List.of(new ContextDoc("d1", "Refunds take 30 days. Shipping is free.")))
        .addAssertion(AssertionSpec.of("faithfulness", null)).build();
    CaseResult r = run(c, "Refunds take 30 days, shipping is free and we are open on Sundays.").cases().get(0);
    AssertionResult a = r.assertions().get(0);
    assertThat(a.score()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(a.pass()).isFalse();
    assertThat(a.reason()).isEqualTo("score 0.6667 < 0.8: 2/3 claims supported; unsupported: Support is open on Sundays");
    server.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("[d1] Refunds take 30 days.")));
  }

  @Test
  void answerRelevanceUsesTheQuestion() throws Exception {
    judgeSays("You judge relevance only", "{\"reason\": \"On topic.\", \"score\": 1.0}");
    GoldenCase c = GoldenCase.builder("ar", "What are your opening hours?")
        .addAssertion(AssertionSpec.of("answer-relevance", null)).build();
    assertThat(run(c, "9 to 5 on weekdays.").cases().get(0).passed()).isTrue();
    server.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(containing("What are your opening hours?")));
  }

  @Test
  void pairwiseSwapsPositionsAndCancelsOrderBias() throws Exception {
    // A judge that recognises the better answer wherever it stands.
    judgeSays("Answer A:\\nGOOD", "{\"reason\": \"A is right.\", \"winner\": \"A\"}");
    judgeSays("Answer B:\\nGOOD", "{\"reason\": \"B is right.\", \"winner\": \"B\"}");
    GoldenCase c = GoldenCase.builder("p", "Q").assertThat("pairwise", "BAD").build();
    AssertionResult win = run(c, "GOOD").cases().get(0).assertions().get(0);
    assertThat(win.score()).isEqualTo(1.0);
    assertThat(win.reason()).isEqualTo("score 1 >= 0.5: candidate as A: winner A; candidate as B: winner B");
    server.verify(2, postRequestedFor(urlEqualTo(PATH)));

    GoldenCase worse = GoldenCase.builder("p2", "Q").assertThat("pairwise", "GOOD").build();
    AssertionResult loss = run(worse, "BAD").cases().get(0).assertions().get(0);
    assertThat(loss.score()).isEqualTo(0.0);
    assertThat(loss.pass()).isFalse();
  }

  @Test
  void pairwiseJudgeThatAlwaysPicksTheFirstPositionScoresATie() throws Exception {
    judgeSays("Answer A:", "{\"reason\": \"The first one.\", \"winner\": \"A\"}");
    GoldenCase c = GoldenCase.builder("p", "Q").assertThat("pairwise", "other answer").build();
    AssertionResult a = run(c, "candidate answer").cases().get(0).assertions().get(0);
    assertThat(a.score()).isEqualTo(0.5);
    assertThat(a.reason()).endsWith("(same position both times: position bias, counted as a tie)");
  }
}
