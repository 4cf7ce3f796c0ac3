package dev.kiai.benchmarks;

import dev.kiai.embeddings.OnnxMiniLmEmbeddingModel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * In-process all-MiniLM-L6-v2 (quantized) embedding throughput: texts per second for a typical
 * 14-word question and for a 200-word passage, with ONNX Runtime using {@code threads} intra-op threads.
 *
 * <p>Run: {@code java -jar benchmarks/target/kiai-benchmarks.jar Embedding -bm thrpt -tu s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EmbeddingBenchmark {
  @Param({"1", "2"})
  public int threads;

  private OnnxMiniLmEmbeddingModel model;
  private static final String QUESTION = "How do I move my subscription to a different credit card before the next invoice?";
  private static final String PASSAGE = ("Kiai caches answers of language models so that a question asked again, "
      + "or asked in other words, is answered in a millisecond without paying for tokens again. ").repeat(8);

  @Setup(Level.Trial)
  public void setUp() {
    model = OnnxMiniLmEmbeddingModel.builder().threads(threads).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    model.close();
  }

  /** One short question. */
  @Benchmark
  public float[] question() {
    return model.embed(QUESTION);
  }

  /** One ~200-word passage (truncated at 256 tokens). */
  @Benchmark
  public float[] passage() {
    return model.embed(PASSAGE);
  }
}
