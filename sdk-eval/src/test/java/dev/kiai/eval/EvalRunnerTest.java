package dev.kiai.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.ChatModel;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.prompt.PromptRegistry;
import dev.kiai.core.prompt.PromptTemplate;
import dev.kiai.core.prompt.PromptVariable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalRunnerTest {

  /** Answers with a function of the last user message; counts calls and peak concurrency. */
  static class ScriptedModel implements ChatModel {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    private final Function<String, String> answer;
    private final long sleepMs;

    ScriptedModel(Function<String, String> answer, long sleepMs) {
      this.answer = answer;
      this.sleepMs = sleepMs;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      calls.incrementAndGet();
      int now = inFlight.incrementAndGet();
      peak.accumulateAndGet(now, Math::max);
      try {
        if (sleepMs > 0) {
          Thread.sleep(sleepMs);
        }
        return new ChatResponse("r", ChatMessage.assistant(answer.apply(request.lastUserText())), FinishReason.STOP,
            Usage.of(100, 10), null, "gpt-4o-mini", "scripted", null, null, null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProviderUnavailableException("scripted", "gpt-4o-mini", 0, "interrupted", "interrupted", e);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public String provider() {
      return "scripted";
    }

    @Override
    public String defaultModel() {
      return "gpt-4o-mini";
    }
  }

  private static GoldenSuite numbers(int n) {
    List<GoldenCase> cases = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      cases.add(GoldenCase.builder("case-" + i, "echo " + i).assertThat("contains", "echo " + i).build());
    }
    return GoldenSuite.of("numbers", cases);
  }

  @Test
  void boundedParallelismKeepsFileOrderAndTotals() {
    ScriptedModel model = new ScriptedModel(q -> q.equals("echo 3") ? "wrong" : q, 20);
    EvalReport report = EvalRunner.builder().model(model).concurrency(3).build().run(numbers(12));
    assertThat(report.cases()).extracting(CaseResult::id)
        .containsExactly("case-0", "case-1", "case-2", "case-3", "case-4", "case-5", "case-6", "case-7", "case-8",
            "case-9", "case-10", "case-11");
    assertThat(model.peak.get()).isBetween(2, 3);
    assertThat(report.passed()).isEqualTo(11);
    assertThat(report.failed()).isEqualTo(1);
    assertThat(report.passRate()).isEqualTo(11.0 / 12);
    assertThat(report.usage()).isEqualTo(Usage.of(1200, 120));
    // priced by Kiai from the bundled table: 12 x (100 x 0.15 + 10 x 0.60) / 1e6 = 0.000252 USD
    assertThat(report.costUsd()).isEqualByComparingTo(new BigDecimal("0.000252"));
    assertThat(report.find("case-3").explain()).isEqualTo("""
        case case-3: failed (score 0.000)
          input:  echo 3
          output: wrong
          failed  contains: does not contain "echo 3"
        """);
  }

  @Test
  void timeoutsAreRetriedThenReportedAsErrors() {
    ScriptedModel slow = new ScriptedModel(q -> q, 2_000);
    EvalReport report = EvalRunner.builder().model(slow).timeout(Duration.ofMillis(100)).retries(1)
        .retryBackoff(Duration.ZERO).build().run(numbers(1));
    CaseResult r = report.cases().get(0);
    assertThat(r.status()).isEqualTo(CaseResult.Status.ERRORED);
    assertThat(r.error()).isEqualTo("timed out after 100 ms (after 2 attempts)");
    assertThat(r.attempts()).isEqualTo(2);
  }

  @Test
  void aCaseIsBoundedAsAWholeIncludingItsRetries() {
    ScriptedModel slow = new ScriptedModel(q -> q, 2_000);
    long start = System.nanoTime();
    EvalReport report = EvalRunner.builder().model(slow).timeout(Duration.ofMillis(900)).retries(3)
        .retryBackoff(Duration.ZERO).caseTimeout(Duration.ofMillis(300)).build().run(numbers(1));
    CaseResult r = report.cases().get(0);
    assertThat(r.status()).isEqualTo(CaseResult.Status.ERRORED);
    assertThat(r.error()).isEqualTo("case timed out after 300 ms");
    // Four attempts of 900 ms would take 3.6 s; the case limit stops it long before.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    assertThatThrownBy(() -> EvalRunner.builder().caseTimeout(Duration.ZERO))
        .hasMessage("caseTimeout must be positive, was PT0S");
  }

  @Test
  void retryableFailuresAreRetried() {
    AtomicInteger n = new AtomicInteger();
    ChatModel flaky = new ScriptedModel(q -> q, 0) {
      @Override
      public ChatResponse chat(ChatRequest request) {
        if (n.incrementAndGet() == 1) {
          throw new ProviderUnavailableException("scripted", "gpt-4o-mini", 503, "overloaded", "try again", null);
        }
        return super.chat(request);
      }
    };
    CaseResult r = EvalRunner.builder().model(flaky).retryBackoff(Duration.ZERO).build().run(numbers(1)).cases().get(0);
    assertThat(r.status()).isEqualTo(CaseResult.Status.PASSED);
    assertThat(r.attempts()).isEqualTo(2);
  }

  @Test
  void diskCacheAnswersUnchangedCasesForFree(@TempDir Path dir) {
    ScriptedModel model = new ScriptedModel(q -> q, 0);
    EvalRunner runner = EvalRunner.builder().model(model).cacheDirectory(dir).build();
    EvalReport first = runner.run(numbers(5));
    assertThat(model.calls.get()).isEqualTo(5);
    assertThat(first.cachedCases()).isZero();
    EvalReport second = runner.run(numbers(5));
    assertThat(model.calls.get()).isEqualTo(5);
    assertThat(second.cachedCases()).isEqualTo(5);
    assertThat(second.cases()).extracting(c -> c.output().text()).containsExactly("echo 0", "echo 1", "echo 2",
        "echo 3", "echo 4");
    assertThat(second.costUsd()).isEqualByComparingTo(first.costUsd());
    // another model name is another key
    EvalRunner.builder().model(model).modelName("gpt-4.1-mini").cacheDirectory(dir).build().run(numbers(5));
    assertThat(model.calls.get()).isEqualTo(10);
    // a changed input is a miss for that case only
    GoldenSuite changed = GoldenSuite.of("numbers", List.of(
        GoldenCase.builder("case-0", "echo 0").build(), GoldenCase.builder("case-1", "echo 1, changed").build()));
    runner.run(changed);
    assertThat(model.calls.get()).isEqualTo(11);
  }

  @Test
  void recordModeWritesAReplayableFile(@TempDir Path dir) throws Exception {
    Path rec = dir.resolve("rec/outputs.jsonl");
    ScriptedModel live = new ScriptedModel(q -> "live " + q, 0);
    EvalReport recorded = EvalRunner.builder().model(live).recordTo(rec).build().run(numbers(3));
    assertThat(Files.readAllLines(rec)).first().asString()
        .isEqualTo("{\"id\":\"case-0\",\"output\":\"live echo 0\",\"model\":\"gpt-4o-mini\",\"input_tokens\":100,"
            + "\"output_tokens\":10,\"latency_ms\":0}");
    EvalReport replayed = EvalRunner.builder().model(ReplayModel.fromFile(rec)).build().run(numbers(3));
    assertThat(replayed.cases()).extracting(c -> c.output().text())
        .containsExactlyElementsOf(recorded.cases().stream().map(c -> c.output().text()).toList());
    assertThat(replayed.costUsd()).isEqualByComparingTo(recorded.costUsd());
    CaseResult missing = EvalRunner.builder().model(ReplayModel.fromFile(rec)).retries(0).build().run(numbers(4))
        .cases().get(3);
    assertThat(missing.status()).isEqualTo(CaseResult.Status.ERRORED);
    assertThat(missing.error()).isEqualTo("InvalidRequestException: replay model replay [replay_missing_case]: no recorded output for case 'case-3' in " + rec);
  }

  @Test
  void templateCasesRenderVersionedPrompts() {
    PromptRegistry prompts = PromptRegistry.of(List.of(PromptTemplate.builder().id("greet").version("1.0.0")
        .text("Say hello to {{name}}").variable(PromptVariable.required("name")).build()));
    ScriptedModel model = new ScriptedModel(q -> q.replace("Say hello to", "Hello"), 0);
    GoldenSuite suite = GoldenSuite.of("t", List.of(GoldenCase.builder("g").template("greet@1.0.0",
        Map.of("name", "Ada")).expected("Hello Ada").addAssertion(AssertionSpec.of("equals", null)).build()));
    CaseResult r = EvalRunner.builder().model(model).prompts(prompts).build().run(suite).cases().get(0);
    assertThat(r.input()).isEqualTo("Say hello to Ada");
    assertThat(r.passed()).isTrue();
  }

  @Test
  void caseScoreIsTheWeightedMean() {
    List<AssertionResult> rs = List.of(new AssertionResult("a", true, null, "", false, 3),
        new AssertionResult("b", false, 0.5, "", false, 1));
    assertThat(EvalRunner.score(rs)).isEqualTo((3 * 1.0 + 1 * 0.5) / 4);
  }
}
