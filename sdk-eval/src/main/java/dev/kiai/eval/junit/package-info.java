/**
 * JUnit 5 support: {@link dev.kiai.eval.junit.GoldenSet} turns a golden set into one test per case and
 * {@link dev.kiai.eval.junit.EvalThreshold} gates the aggregate pass rate. Needs
 * {@code junit-jupiter-api} on the test classpath (an optional dependency of {@code kiai-eval}).
 */
package dev.kiai.eval.junit;
