package dev.kiai.benchmarks;

import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.rag.Chunker;
import dev.kiai.rag.Document;
import dev.kiai.rag.LuceneRagIndex;
import dev.kiai.rag.ScoredChunk;
import dev.kiai.rag.SearchMode;
import dev.kiai.rag.SearchRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Speed of {@link LuceneRagIndex}: one search over {@code chunks} chunks of about 120 words each
 * (Zipf-distributed synthetic vocabulary of 30,000 words) with 384-dimensional vectors, the shape of
 * all-MiniLM-L6-v2, and the time to index 10,000 such chunks.
 *
 * <p>What is and is not measured: the query is given with its vector ({@link SearchRequest#queryVector()}),
 * so query embedding is excluded, as the target demands; chunk vectors are seeded random unit vectors
 * produced by {@link RandomVectors} (speed only: HNSW on random vectors is a pessimistic case for graph
 * search, and the figures say nothing about retrieval quality). Indexing throughput therefore excludes
 * the embedding model's own time too, and covers chunk storage, BM25 inversion and HNSW graph building.
 *
 * <p>The 100k-chunk index is built once into {@code $TMPDIR/kiai-rag-bench-100000-v2} ({@code -q-v2}
 * when quantized; merged to one segment, as a read-mostly corpus would be) and reopened read-only by
 * later runs. {@code -p chunks=20000} builds a smaller fixture for quick relative checks.
 *
 * <p>Run: {@code java -jar benchmarks/target/kiai-benchmarks.jar RagBenchmark.search -p mode=HYBRID} and
 * {@code java -jar benchmarks/target/kiai-benchmarks.jar RagBenchmark.Indexing}
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class RagBenchmark {
  static final int DIMS = 384;
  static final int VOCABULARY = 30_000;

  @Param({"100000"})
  int chunks;

  @Param({"HYBRID", "BM25", "VECTOR"})
  SearchMode mode;

  /** Int8 scalar-quantized HNSW vectors ({@code LuceneRagIndex.Builder.quantized}) instead of raw floats. */
  @Param({"false"})
  boolean quantized;

  /** At most this many chunks per document (0 = no limit); 1 makes search collapse candidates by document. */
  @Param({"0"})
  int perDoc;

  LuceneRagIndex index;
  List<SearchRequest> queries;
  int next;

  @Setup(Level.Trial)
  public void build() {
    SplittableRandom random = new SplittableRandom(42);
    String[] words = vocabulary(random);
    double[] zipf = zipfCdf();
    // The 100k-chunk fixture is built once per machine and reused (building it is not what is measured).
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "kiai-rag-bench-" + chunks + (quantized ? "-q" : "") + "-v2");
    if (!Files.exists(dir.resolve("complete"))) {
      try (LuceneRagIndex writer = LuceneRagIndex.builder().directory(dir).embeddingModel(new RandomVectors())
          .chunker(Chunker.wholeDocument()).quantized(quantized).build()) {
        List<Document> batch = new ArrayList<>(1000);
        for (int i = 0; i < chunks; i++) {
          batch.add(Document.of("d" + i, null, text(random, words, zipf, 120)));
          if (batch.size() == 1000) {
            writer.upsert(batch);
            batch.clear();
          }
        }
        writer.upsert(batch);
        writer.forceMerge(1);
        writer.commit();
      }
      try {
        Files.writeString(dir.resolve("complete"), "ok");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      for (int i = 0; i < chunks; i++) {
        text(random, words, zipf, 120); // same random stream as a fresh build, so the queries are identical
      }
    }
    index = LuceneRagIndex.builder().directory(dir).embeddingModel(new RandomVectors()).readOnly(true).build();
    RandomVectors vectors = new RandomVectors();
    queries = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String q = text(random, words, zipf, 4 + random.nextInt(5));
      queries.add(SearchRequest.builder(q).k(10).mode(mode).candidates(100).maxChunksPerDocument(perDoc)
          .queryVector(vectors.embed(q)).build());
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    index.close();
  }

  /** One search, query embedding excluded. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<ScoredChunk> search() {
    SearchRequest q = queries.get(next);
    next = (next + 1) % queries.size();
    return index.search(q);
  }

  static String[] vocabulary(SplittableRandom random) {
    String[] words = new String[VOCABULARY];
    String letters = "abcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < words.length; i++) {
      StringBuilder sb = new StringBuilder();
      int len = 3 + random.nextInt(7);
      for (int j = 0; j < len; j++) {
        sb.append(letters.charAt(random.nextInt(letters.length())));
      }
      words[i] = sb.toString();
    }
    return words;
  }

  static double[] zipfCdf() {
    double[] cdf = new double[VOCABULARY];
    double sum = 0;
    for (int i = 0; i < VOCABULARY; i++) {
      sum += 1.0 / (i + 1);
      cdf[i] = sum;
    }
    for (int i = 0; i < VOCABULARY; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }

  static String text(SplittableRandom random, String[] words, double[] cdf, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int idx = java.util.Arrays.binarySearch(cdf, random.nextDouble());
      idx = idx < 0 ? -idx - 1 : idx;
      sb.append(words[Math.min(idx, words.length - 1)]).append(i % 15 == 14 ? ". " : " ");
    }
    return sb.toString().strip();
  }

  /** Indexing throughput: 10,000 chunks into a fresh in-memory index, committed. */
  @State(Scope.Thread)
  @Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
  public static class Indexing {
    List<Document> docs;

    @Setup(Level.Trial)
    public void prepare() {
      SplittableRandom random = new SplittableRandom(7);
      String[] words = vocabulary(random);
      double[] zipf = zipfCdf();
      docs = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        docs.add(Document.of("d" + i, null, text(random, words, zipf, 120)));
      }
    }

    /**
     * @return chunks in the index afterwards
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 1, batchSize = 1)
    @Measurement(iterations = 3, batchSize = 1)
    public int index10k() {
      try (LuceneRagIndex index = LuceneRagIndex.builder().embeddingModel(new RandomVectors())
          .chunker(Chunker.wholeDocument()).build()) {
        for (int i = 0; i < docs.size(); i += 1000) {
          index.upsert(docs.subList(i, Math.min(docs.size(), i + 1000)));
        }
        index.commit();
        return index.chunkCount();
      }
    }
  }

  /**
   * Seeded random unit vectors (seed = the text's hash): the shape of a 384-dimensional sentence
   * embedding at no cost, for speed measurements only.
   */
  static final class RandomVectors implements EmbeddingModel {
    @Override
    public float[] embed(String text) {
      SplittableRandom r = new SplittableRandom(text.hashCode());
      float[] v = new float[DIMS];
      double norm = 0;
      for (int i = 0; i < DIMS; i++) {
        v[i] = (float) r.nextGaussian();
        norm += v[i] * v[i];
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < DIMS; i++) {
        v[i] *= inv;
      }
      return v;
    }

    @Override
    public int dimensions() {
      return DIMS;
    }

    @Override
    public String modelId() {
      return "random-unit-384";
    }
  }
}
