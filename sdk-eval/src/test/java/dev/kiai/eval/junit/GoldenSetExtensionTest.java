package dev.kiai.eval.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.kiai.eval.CaseResult;
import dev.kiai.eval.EvalReport;
import dev.kiai.eval.EvalRunner;
import dev.kiai.eval.GoldenCase;
import dev.kiai.eval.ReplayModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.jupiter.api.Test;

/** The extension as users see it: a passing suite runs here; a failing one runs in-process below. */
class GoldenSetExtensionTest {

  static EvalRunner evalRunner() {
    return EvalRunner.builder().model(ReplayModel.fromClasspath("golden/support-replay.jsonl")).build();
  }

  @GoldenSet("classpath:golden/support.jsonl")
  @EvalThreshold(passRate = 1.0)
  void support(CaseResult result, GoldenCase goldenCase) {
    assertThat(result.id()).isEqualTo(goldenCase.id());
  }

  /** Run only through the launcher below (surefire skips nested classes). */
  static class FailingSuite {
    private final Map<String, String> outputs = Map.of(
        "refund-window", "Returns are accepted within 14 days.",
        "order-status", "Please send your order number.",
        "shipping-cost", "Express shipping to Germany costs 12.90 EUR.",
        "json-order", "not json");

    EvalRunner evalRunner() {
      return EvalRunner.builder().model(ReplayModel.of(outputs)).build();
    }

    @GoldenSet("classpath:golden/support.jsonl")
    @EvalThreshold(passRate = 0.9)
    void support(EvalReport report) {
      assertThat(report.total()).isEqualTo(4);
    }
  }

  /**
   * The refund case scores (contains 0 + no-refusal 1 + ROUGE-L 0.2) / 3 = 0.4; ROUGE-L by hand: the
   * answer has 6 tokens, the expected answer 14, their LCS is "within days" (2), so P = 2/6, R = 2/14 and
   * F1 = 2PR / (P + R) = 0.2.
   */
  @Test
  void failingCasesAndThresholdFailWithInputOutputAndAssertion() {
    List<String[]> events = new ArrayList<>();
    Launcher launcher = LauncherFactory.create();
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(FailingSuite.class)).build();
    launcher.execute(request, new TestExecutionListener() {
      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
          events.add(new String[] {id.getDisplayName(), result.getStatus().name(),
              result.getThrowable().map(Throwable::getMessage).orElse("")});
        }
      }
    });
    assertThat(events).extracting(e -> e[0] + " " + e[1]).containsExactly(
        "refund-window FAILED", "order-status SUCCESSFUL", "shipping-cost SUCCESSFUL", "json-order FAILED",
        "pass rate >= 0.90 FAILED");
    assertThat(events.get(0)[2]).isEqualTo("""
        case refund-window: failed (score 0.400)
          input:  How long do I have to return an item?
          output: Returns are accepted within 14 days.
          failed  contains: does not contain "30 days"
          failed  rouge-l (score 0.200): ROUGE-L F1 0.2 < 0.5
        """);
    assertThat(events.get(4)[2]).isEqualTo(
        "pass rate 0.500 (2 of 4 cases) is below the threshold 0.900; not passed: refund-window, json-order");
  }
}
