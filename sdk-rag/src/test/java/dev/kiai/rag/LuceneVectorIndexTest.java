package dev.kiai.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiai.core.cache.InMemoryVectorIndex;
import dev.kiai.core.cache.VectorIndex;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LuceneVectorIndexTest {
  private static float[] unit(Random r, int dims) {
    float[] v = new float[dims];
    double n = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = (float) r.nextGaussian();
      n += v[i] * v[i];
    }
    for (int i = 0; i < dims; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }

  @Test
  void agreesWithTheExactIndexOnNeighboursAndDotProducts() {
    Random r = new Random(3);
    try (LuceneVectorIndex hnsw = LuceneVectorIndex.create(32)) {
      InMemoryVectorIndex exact = new InMemoryVectorIndex(32);
      for (int i = 0; i < 600; i++) {
        float[] v = unit(r, 32);
        hnsw.add("v" + i, v);
        exact.add("v" + i, v);
      }
      int found = 0;
      for (int q = 0; q < 30; q++) {
        float[] query = unit(r, 32);
        List<VectorIndex.Match> want = exact.search(query, 5);
        List<VectorIndex.Match> got = hnsw.search(query, 5);
        assertThat(got).hasSize(5);
        Set<String> wantIds = new HashSet<>();
        want.forEach(m -> wantIds.add(m.id()));
        for (VectorIndex.Match m : got) {
          if (wantIds.contains(m.id())) {
            found++;
            double exactScore = want.stream().filter(w -> w.id().equals(m.id())).findFirst().orElseThrow().score();
            assertThat(m.score()).isCloseTo(exactScore, within(1e-5));
          }
        }
      }
      assertThat(found).isGreaterThanOrEqualTo(142); // recall@5 >= 0.95 over 150 true neighbours
      assertThat(hnsw.size()).isEqualTo(600);
    }
  }

  @Test
  void replacesRemovesAndValidates() {
    try (LuceneVectorIndex index = LuceneVectorIndex.create(2)) {
      index.add("a", new float[] {1, 0});
      index.add("b", new float[] {0, 1});
      index.add("a", new float[] {-1, 0});
      assertThat(index.size()).isEqualTo(2);
      assertThat(index.search(new float[] {1, 0}, 2)).containsExactly(
          new VectorIndex.Match("b", 0.0), new VectorIndex.Match("a", -1.0));
      assertThat(index.remove("b")).isTrue();
      assertThat(index.remove("b")).isFalse();
      assertThat(index.search(new float[] {0, 1}, 3)).extracting(VectorIndex.Match::id).containsExactly("a");
      assertThatThrownBy(() -> index.add("c", new float[] {1})).hasMessage("vector must have 2 dimensions, had 1");
      assertThatThrownBy(() -> index.search(new float[] {1, 0}, 0)).hasMessage("k must be >= 1, was 0");
    }
    assertThat(LuceneVectorIndex.dot(2.5f)).isEqualTo(1.5);
    assertThat(LuceneVectorIndex.dot(0.5f)).isEqualTo(-1.0);
  }

  @Test
  void concurrentWritersAndReaders() throws Exception {
    try (LuceneVectorIndex index = LuceneVectorIndex.create(8)) {
      index.add("anchor", new float[] {1, 0, 0, 0, 0, 0, 0, 0});
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> fs = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int w = t;
          fs.add(pool.submit(() -> {
            Random r = new Random(w);
            for (int i = 0; i < 100; i++) {
              if (w < 2) {
                index.add("w" + w + "-" + i, unit(r, 8));
              } else {
                assertThat(index.search(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, 1).get(0).id()).isEqualTo("anchor");
              }
            }
            return null;
          }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(index.size()).isEqualTo(201);
    }
  }
}
