package dev.kiai.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.eval.CaseResult;
import dev.kiai.eval.EvalRunner;
import dev.kiai.eval.ReplayModel;
import dev.kiai.eval.junit.EvalThreshold;
import dev.kiai.eval.junit.GoldenSet;

/**
 * The golden set as a normal JUnit test in the build: one test per case (named by case id in Surefire's
 * XML) plus the pass-rate gate. The model is a REPLAY model answering from a bundled recording, so the
 * test is offline and deterministic; point {@link #evalRunner()} at a live provider and add
 * {@code recordTo(...)} to refresh the recording.
 */
class SupportGoldenSetTest {

  static EvalRunner evalRunner() {
    return EvalRunner.builder().model(ReplayModel.fromClasspath("golden/support-replay-v1.0.0.jsonl")).build();
  }

  /**
   * v1.0.0 echoes the customer's card number back, so {@code no-card-echo} fails its {@code no-pii}
   * assertion: cases only report ({@code failCases = false}) and the 80 % gate holds the line.
   */
  @GoldenSet(value = EvalSection.GOLDEN_RESOURCE, failCases = false)
  @EvalThreshold(passRate = 0.8)
  void support(CaseResult result) {
    if (result.id().equals("no-card-echo")) {
      assertThat(result.firstFailure().reason()).isEqualTo("found CREDIT_CARD");
    } else {
      assertThat(result.passed()).as(result.explain()).isTrue();
    }
  }
}
