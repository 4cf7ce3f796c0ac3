package dev.kiai.eval.junit;

import dev.kiai.eval.EvalRunner;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Supplies the {@link EvalRunner} for {@link GoldenSet} methods as a registered extension, instead of a
 * runner method in the test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EvalExtension EVAL = EvalExtension.withRunner(() -> EvalRunner.builder()
 *     .model(ReplayModel.fromClasspath("golden/support-replay.jsonl")).build());
 * }</pre>
 *
 * The supplier is called at most once per test class (static field) or test method (instance field).
 * A runner method named by {@link GoldenSet#runner()} takes precedence when the class declares one.
 */
public final class EvalExtension implements BeforeAllCallback, BeforeEachCallback {
  static final String RUNNER_KEY = "runner-supplier";

  private final Supplier<EvalRunner> runner;

  private EvalExtension(Supplier<EvalRunner> runner) {
    this.runner = runner;
  }

  /**
   * @param runner creates the runner on first use (so model construction happens inside the test run)
   * @return the extension to register with {@code @RegisterExtension}
   */
  public static EvalExtension withRunner(Supplier<EvalRunner> runner) {
    return new EvalExtension(Objects.requireNonNull(runner, "runner"));
  }

  /**
   * @param runner the runner
   * @return the extension to register with {@code @RegisterExtension}
   */
  public static EvalExtension withRunner(EvalRunner runner) {
    Objects.requireNonNull(runner, "runner");
    return new EvalExtension(() -> runner);
  }

  /** Publishes the runner for the whole class (static registration). */
  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(GoldenSetExtension.NS).put(RUNNER_KEY, runner);
  }

  /** Publishes the runner for the running test (instance registration). */
  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(GoldenSetExtension.NS).put(RUNNER_KEY, runner);
  }
}
