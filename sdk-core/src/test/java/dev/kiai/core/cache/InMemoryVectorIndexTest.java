package dev.kiai.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryVectorIndexTest {

  static float[] unit(Random r, int dims) {
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
  void searchReturnsTheSameTopKAsASortedFullScan() {
    Random r = new Random(7);
    InMemoryVectorIndex index = new InMemoryVectorIndex(37);
    List<float[]> all = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      float[] v = unit(r, 37);
      all.add(v);
      index.add("v" + i, v);
    }
    float[] q = unit(r, 37);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      expected.add(i);
    }
    expected.sort(Comparator.comparingDouble((Integer i) -> -dot(all.get(i), q)));
    List<VectorIndex.Match> got = index.search(q, 5);
    assertThat(got).extracting(VectorIndex.Match::id)
        .containsExactly(expected.subList(0, 5).stream().map(i -> "v" + i).toArray(String[]::new));
    assertThat(got.get(0).score()).isCloseTo(dot(all.get(expected.get(0)), q), within(1e-5));
    assertThat(index.size()).isEqualTo(500);
  }

  /** Near neighbours at cosine 0.80..0.97 must be found exactly as a full scan finds them. */
  @Test
  void sketchPrefilterFindsEveryMatchAboveTheMinimumScore() {
    Random r = new Random(11);
    int dims = 96;
    InMemoryVectorIndex index = new InMemoryVectorIndex(dims);
    List<float[]> all = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      float[] v = unit(r, dims);
      all.add(v);
      index.add("v" + i, v);
    }
    int found = 0;
    for (int t = 0; t < 300; t++) {
      float[] target = all.get(r.nextInt(all.size()));
      double cos = 0.80 + 0.17 * r.nextDouble();
      float[] noise = unit(r, dims);
      double along = dot(noise, target);
      float[] q = new float[dims];
      double n = 0;
      for (int j = 0; j < dims; j++) {
        noise[j] -= (float) (along * target[j]);
        n += noise[j] * noise[j];
      }
      double sin = Math.sqrt(1 - cos * cos);
      for (int j = 0; j < dims; j++) {
        q[j] = (float) (cos * target[j] + sin * noise[j] / Math.sqrt(n));
      }
      List<VectorIndex.Match> exact = index.search(q, 3).stream().filter(m -> m.score() >= 0.78).toList();
      List<VectorIndex.Match> fast = index.search(q, 3, 0.78).stream().filter(m -> m.score() >= 0.78).toList();
      assertThat(fast).isEqualTo(exact);
      found += exact.size();
    }
    assertThat(found).isGreaterThanOrEqualTo(300);
    assertThat(InMemoryVectorIndex.hammingBound(0.8)).isEqualTo(92);
    assertThat(InMemoryVectorIndex.hammingBound(1.0)).isEqualTo(6);
  }

  @Test
  void removeKeepsStorageDenseAndReplaceOverwrites() {
    InMemoryVectorIndex index = new InMemoryVectorIndex(2);
    index.add("a", new float[] {1, 0});
    index.add("b", new float[] {0, 1});
    index.add("c", new float[] {0.6f, 0.8f});
    assertThat(index.remove("a")).isTrue();
    assertThat(index.remove("a")).isFalse();
    assertThat(index.size()).isEqualTo(2);
    assertThat(index.search(new float[] {1, 0}, 3)).extracting(VectorIndex.Match::id).containsExactly("c", "b");
    index.add("b", new float[] {1, 0});
    assertThat(index.size()).isEqualTo(2);
    assertThat(index.search(new float[] {1, 0}, 1).get(0)).isEqualTo(new VectorIndex.Match("b", 1.0));
    assertThat(new InMemoryVectorIndex(2).search(new float[] {1, 0}, 3)).isEmpty();
  }

  @Test
  void argumentsAreChecked() {
    InMemoryVectorIndex index = new InMemoryVectorIndex(3);
    assertThatThrownBy(() -> index.add("x", new float[2])).hasMessage("vector must have 3 dimensions, had 2");
    assertThatThrownBy(() -> index.search(new float[3], 0)).hasMessage("k must be >= 1, was 0");
    assertThatThrownBy(() -> new InMemoryVectorIndex(0)).hasMessage("dimensions must be >= 1, was 0");
  }

  /** Writers add and remove while readers search; every match must name a vector that was added with that score. */
  @Test
  void concurrentAddRemoveAndSearchStayConsistent() throws Exception {
    InMemoryVectorIndex index = new InMemoryVectorIndex(16);
    int writers = 4;
    int perWriter = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perWriter; i++) {
          float[] v = new float[16];
          v[(id * 4 + i) % 16] = 1f;
          index.add(id + "-" + i, v);
          if (i % 2 == 1) {
            index.remove(id + "-" + (i - 1));
          }
        }
        return null;
      }));
    }
    for (int s = 0; s < 2; s++) {
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < 2_000; i++) {
          float[] q = new float[16];
          q[i % 16] = 1f;
          for (VectorIndex.Match m : index.search(q, 3)) {
            assertThat(m.score()).isIn(0.0, 1.0);
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    assertThat(index.size()).isEqualTo(writers * perWriter / 2);
    float[] q = new float[16];
    q[1] = 1f;
    assertThat(index.search(q, 1).get(0).id()).matches("\\d-\\d+").endsWith("" ).satisfies(id -> {
      int w = Integer.parseInt(id.substring(0, 1));
      int i = Integer.parseInt(id.substring(2));
      assertThat(i % 2).isEqualTo(1);
      assertThat((w * 4 + i) % 16).isEqualTo(1);
    });
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
