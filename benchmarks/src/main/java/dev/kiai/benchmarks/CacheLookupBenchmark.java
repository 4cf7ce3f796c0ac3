package dev.kiai.benchmarks;

import dev.kiai.core.cache.InMemoryVectorIndex;
import dev.kiai.core.cache.VectorIndex;
import java.util.List;
import java.util.SplittableRandom;
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

/**
 * Semantic-cache lookup without the embedding: nearest neighbours of a 384-dimensional query among
 * {@code entries} cached vectors. {@code exactScan} scores every vector (the baseline);
 * {@code prefiltered} is what {@link dev.kiai.core.cache.SemanticCache} calls (minimum score = the
 * threshold, 0.84), skipping vectors through the SimHash sketches. Half the queries have a neighbour at
 * cosine 0.85..0.95 (hits), half are new vectors drawn like the stored ones (misses).
 *
 * <p>{@code vectors}: {@code random} = independent random unit vectors (pairwise cosine ~0, a best case
 * for the sketch filter); {@code clustered} = like sentence embeddings of one application: every vector
 * shares a common direction (cosine 0.15 between any two, as unrelated sentences have under MiniLM-like
 * models) and belongs to one of 200 topics (cosine 0.55 within a topic), so a query has hundreds of
 * moderately similar neighbours that come close to the sketch bound and need an exact dot product.
 *
 * <p>Run: {@code java -jar benchmarks/target/kiai-benchmarks.jar CacheLookup -bm sample -tu us}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CacheLookupBenchmark {
  static final int DIMS = 384;

  @Param({"100000"})
  public int entries;

  @Param({"random", "clustered"})
  public String vectors;

  static final int TOPICS = 200;
  /** Shares of the squared norm: common direction, topic, own noise (cosines 0.15 across, 0.55 within topics). */
  static final double COMMON = 0.15;
  static final double TOPIC = 0.40;

  private InMemoryVectorIndex index;
  private float[][] queries;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom r = new SplittableRandom(42);
    index = new InMemoryVectorIndex(DIMS);
    boolean clustered = vectors.equals("clustered");
    float[] common = unit(r);
    float[][] topics = new float[TOPICS][];
    for (int t = 0; t < TOPICS; t++) {
      topics[t] = unit(r);
    }
    float[][] stored = new float[entries][];
    for (int i = 0; i < entries; i++) {
      stored[i] = clustered ? clustered(r, common, topics) : unit(r);
      index.add("e" + i, stored[i]);
    }
    queries = new float[256][];
    for (int q = 0; q < queries.length; q++) {
      if (q % 2 == 0) {
        queries[q] = clustered ? clustered(r, common, topics) : unit(r);
      } else {
        float[] target = stored[r.nextInt(entries)];
        float[] noise = unit(r);
        double cos = 0.85 + 0.1 * r.nextDouble();
        double sin = Math.sqrt(1 - cos * cos);
        float[] v = new float[DIMS];
        for (int j = 0; j < DIMS; j++) {
          v[j] = (float) (cos * target[j] + sin * noise[j]);
        }
        queries[q] = normalise(v);
      }
    }
  }

  static float[] clustered(SplittableRandom r, float[] common, float[][] topics) {
    float[] topic = topics[r.nextInt(topics.length)];
    float[] noise = unit(r);
    float a = (float) Math.sqrt(COMMON);
    float b = (float) Math.sqrt(TOPIC);
    float c = (float) Math.sqrt(1 - COMMON - TOPIC);
    float[] v = new float[DIMS];
    for (int j = 0; j < DIMS; j++) {
      v[j] = a * common[j] + b * topic[j] + c * noise[j];
    }
    return normalise(v);
  }

  static float[] unit(SplittableRandom r) {
    float[] v = new float[DIMS];
    for (int i = 0; i < DIMS; i++) {
      v[i] = (float) (Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()));
    }
    return normalise(v);
  }

  static float[] normalise(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float inv = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }

  private float[] query() {
    next = (next + 1) & 255;
    return queries[next];
  }

  /** Baseline: exact full scan. */
  @Benchmark
  public List<VectorIndex.Match> exactScan() {
    return index.search(query(), 5);
  }

  /** What the cache runs: the sketch prefilter with the threshold as minimum score. */
  @Benchmark
  public List<VectorIndex.Match> prefiltered() {
    return index.search(query(), 5, 0.84);
  }
}
