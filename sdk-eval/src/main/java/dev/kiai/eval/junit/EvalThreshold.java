package dev.kiai.eval.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gates the aggregate of a {@link GoldenSet}: adds one more test, named {@code pass rate >= X}, that
 * fails when the suite's pass rate is below {@link #passRate()}. Combine with
 * {@code @GoldenSet(failCases = false)} to tolerate individual failures while holding the rate.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface EvalThreshold {
  /** @return minimum pass rate, 0..1 */
  double passRate();
}
