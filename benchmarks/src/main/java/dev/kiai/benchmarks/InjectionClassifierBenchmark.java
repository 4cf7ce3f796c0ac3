package dev.kiai.benchmarks;

import dev.kiai.embeddings.OnnxMiniLmEmbeddingModel;
import dev.kiai.guardrails.ContentSource;
import dev.kiai.guardrails.InjectionDetector;
import dev.kiai.guardrails.InjectionVerdict;
import dev.kiai.guardrails.LogisticInjectionClassifier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of the injection detector with the embedding layer ({@link LogisticInjectionClassifier} over
 * all-MiniLM-L6-v2, in process on ONNX Runtime) against the rule layer alone, on a typical short user
 * prompt and on a 2 KB prompt (MiniLM reads at most 256 word pieces of it). Nothing is excluded: the
 * classifier case includes tokenisation, the model call and the dot product, and the embedding of the
 * text alone is measured as the baseline that dominates. Sample-time mode, so the report includes p99.
 *
 * <p>Run: {@code java -jar benchmarks/target/kiai-benchmarks.jar InjectionClassifierBenchmark -t 1}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class InjectionClassifierBenchmark {
  static final String SHORT = "Can you summarise the attached quarterly report for me and list the three "
      + "biggest risks the authors mention? Please keep it under 150 words.";

  /** {@code short}: a 150-character user prompt; {@code 2k}: the 2 KB prompt of GuardrailsBenchmark. */
  @Param({"short", "2k"})
  public String size;

  String prompt;
  OnnxMiniLmEmbeddingModel minilm;
  InjectionDetector rules;
  InjectionDetector rulesAndClassifier;

  @Setup(Level.Trial)
  public void setup() {
    prompt = size.equals("short") ? SHORT : GuardrailsBenchmark.prompt2k();
    minilm = OnnxMiniLmEmbeddingModel.create();
    rules = InjectionDetector.defaults();
    rulesAndClassifier = InjectionDetector.builder().classifier(LogisticInjectionClassifier.bundled(minilm)).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    minilm.close();
  }

  /** @return the embedding of the prompt alone (the baseline the classifier layer cannot beat) */
  @Benchmark
  public float[] baselineEmbedOnly() {
    return minilm.embed(prompt);
  }

  /** @return the verdict of normalisation + rules */
  @Benchmark
  public InjectionVerdict rulesOnly() {
    return rules.scan(prompt, ContentSource.USER);
  }

  /** @return the verdict of normalisation + rules + the MiniLM logistic-regression layer */
  @Benchmark
  public InjectionVerdict rulesPlusClassifier() {
    return rulesAndClassifier.scan(prompt, ContentSource.USER);
  }
}
