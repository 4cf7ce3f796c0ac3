package dev.kiai.eval.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.eval.CaseResult;
import dev.kiai.eval.EvalReport;
import dev.kiai.eval.EvalRunner;
import dev.kiai.eval.ReplayModel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The runner comes from a registered extension; the suite runs once for all its case tests. */
class EvalExtensionTest {
  private static final AtomicInteger RUNNERS_CREATED = new AtomicInteger();

  @RegisterExtension
  static final EvalExtension EVAL = EvalExtension.withRunner(() -> {
    RUNNERS_CREATED.incrementAndGet();
    return EvalRunner.builder().model(ReplayModel.fromClasspath("golden/support-replay.jsonl")).build();
  });

  @GoldenSet("classpath:golden/support.jsonl")
  void support(CaseResult result, EvalReport report) {
    assertThat(report.total()).isEqualTo(4);
    assertThat(result.passed()).isTrue();
  }

  @AfterAll
  static void suiteRanOnce() {
    assertThat(RUNNERS_CREATED.get()).isEqualTo(1);
  }
}
