/**
 * Golden-set evaluation for LLM features: load cases ({@link dev.kiai.eval.GoldenSuite}), run them
 * against any {@link dev.kiai.core.ChatModel} with bounded parallelism, a result cache and offline
 * replay ({@link dev.kiai.eval.EvalRunner}, {@link dev.kiai.eval.ReplayModel}), check every answer
 * with deterministic, embedding and model-graded assertions, and write JSON, Markdown, HTML and JUnit
 * XML reports with baseline gates ({@link dev.kiai.eval.EvalReport}, {@link dev.kiai.eval.Reports},
 * {@link dev.kiai.eval.Baseline}). The JUnit 5 extension lives in {@code dev.kiai.eval.junit}.
 */
package dev.kiai.eval;
