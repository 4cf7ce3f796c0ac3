package dev.kiai.eval.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a golden set as one test per case, each named by its case id (visible in Surefire's XML), in a
 * plain {@code mvn test}. The suite runs once, with the {@link dev.kiai.eval.EvalRunner} returned by
 * the test class's method named {@link #runner()} (static or instance, no parameters) or, when the class
 * has no such method, from a registered {@link EvalExtension}; each case's test
 * fails with its input, output and failing assertion. The method may take a
 * {@link dev.kiai.eval.CaseResult} or {@link dev.kiai.eval.GoldenCase} parameter for extra checks.
 *
 * <pre>{@code
 * class SupportGoldenTest {
 *   static EvalRunner evalRunner() {
 *     return EvalRunner.builder().model(ReplayModel.fromClasspath("replay/support.jsonl")).build();
 *   }
 *
 *   @GoldenSet("classpath:golden/support.jsonl")
 *   @EvalThreshold(passRate = 0.9)
 *   void support(CaseResult result) {}
 * }
 * }</pre>
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(GoldenSetExtension.class)
public @interface GoldenSet {
  /** @return {@code classpath:path/to/set.jsonl} or a file path (JSONL or YAML) */
  String value();

  /** @return name of the method in the test class that returns the {@code EvalRunner} */
  String runner() default "evalRunner";

  /**
   * @return when true (the default) a failing case fails its test; when false cases only report, and
   *     only {@link EvalThreshold} gates
   */
  boolean failCases() default true;
}
