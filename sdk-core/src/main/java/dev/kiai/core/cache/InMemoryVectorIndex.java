package dev.kiai.core.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link VectorIndex} over one contiguous {@code float[]} (row-major), searched by brute-force dot
 * products. Removal moves the last row into the freed slot, so storage stays dense. Thread-safe:
 * searches share a read lock, changes take the write lock.
 *
 * <p>{@link #search(float[], int)} is exact: it scores every vector. A full scan of 100,000
 * 384-dimensional vectors reads 150 MB and takes milliseconds, so {@link #search(float[], int, double)}
 * with a minimum score first compares 256-bit SimHash sketches (signs of fixed random Gaussian
 * projections, kept beside the vectors: 32 bytes each) and computes the exact dot product only for
 * vectors whose sketch could belong to a vector scoring at least the minimum. For two vectors at angle
 * θ each sketch bit differs with probability θ/π (Charikar 2002); a vector is skipped only when its
 * Hamming distance exceeds the expected distance at the minimum score by six standard deviations, so a
 * vector that reaches the minimum score is missed with probability below 10<sup>-8</sup>. Below
 * {@value #PREFILTER_MIN_SIZE} vectors, or for minimum scores below {@value #PREFILTER_MIN_SCORE}, it
 * scans exactly. Vectors should be L2-normalised (the cosine then equals the dot product).
 */
public final class InMemoryVectorIndex implements VectorIndex {
  /** Sketch bits per vector. */
  static final int SKETCH_BITS = 256;
  /** Below this many vectors a full scan is cheap enough and always used. */
  public static final int PREFILTER_MIN_SIZE = 4096;
  /** Below this minimum score the sketch bound admits most vectors, so a full scan is used. */
  public static final double PREFILTER_MIN_SCORE = 0.5;
  private static final int WORDS = SKETCH_BITS / 64;
  private static final double SIGMAS = 6.0;

  private final int dimensions;
  private final float[] planes;
  private long[] sketches;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, Integer> slotById = new HashMap<>();
  private float[] data;
  private String[] ids;
  private int size;

  /**
   * @param dimensions the length of every vector, >= 1
   */
  public InMemoryVectorIndex(int dimensions) {
    if (dimensions < 1) {
      throw new IllegalArgumentException("dimensions must be >= 1, was " + dimensions);
    }
    this.dimensions = dimensions;
    this.data = new float[16 * dimensions];
    this.ids = new String[16];
    this.sketches = new long[16 * WORDS];
    this.planes = new float[SKETCH_BITS * dimensions];
    java.util.SplittableRandom random = new java.util.SplittableRandom(0x6b696169L);
    for (int i = 0; i < planes.length; i++) {
      planes[i] = (float) gaussian(random);
    }
  }

  private static double gaussian(java.util.SplittableRandom r) {
    double u = 1.0 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private void sketch(float[] v, long[] out, int offset) {
    for (int w = 0; w < WORDS; w++) {
      long bits = 0;
      for (int b = 0; b < 64; b++) {
        if (dot(planes, (w * 64 + b) * dimensions, v, dimensions) >= 0f) {
          bits |= 1L << b;
        }
      }
      out[offset + w] = bits;
    }
  }

  /** Largest Hamming distance a vector scoring at least {@code minScore} has, but with negligible probability. */
  static int hammingBound(double minScore) {
    double p = Math.acos(Math.max(-1, Math.min(1, minScore))) / Math.PI;
    double mean = SKETCH_BITS * p;
    double sd = Math.sqrt(SKETCH_BITS * p * (1 - p));
    return (int) Math.ceil(mean + SIGMAS * Math.max(sd, 1.0));
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public void add(String id, float[] vector) {
    Objects.requireNonNull(id, "id");
    checkLength(vector, "vector");
    lock.writeLock().lock();
    try {
      Integer slot = slotById.get(id);
      if (slot == null) {
        if (size == ids.length) {
          int capacity = ids.length * 2;
          ids = Arrays.copyOf(ids, capacity);
          data = Arrays.copyOf(data, capacity * dimensions);
          sketches = Arrays.copyOf(sketches, capacity * WORDS);
        }
        slot = size++;
        slotById.put(id, slot);
        ids[slot] = id;
      }
      System.arraycopy(vector, 0, data, slot * dimensions, dimensions);
      sketch(vector, sketches, slot * WORDS);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public boolean remove(String id) {
    Objects.requireNonNull(id, "id");
    lock.writeLock().lock();
    try {
      Integer slot = slotById.remove(id);
      if (slot == null) {
        return false;
      }
      int last = --size;
      if (slot != last) {
        System.arraycopy(data, last * dimensions, data, slot * dimensions, dimensions);
        System.arraycopy(sketches, last * WORDS, sketches, slot * WORDS, WORDS);
        ids[slot] = ids[last];
        slotById.put(ids[slot], slot);
      }
      ids[last] = null;
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Exact: scores every vector. */
  @Override
  public List<Match> search(float[] query, int k) {
    return search(query, k, Double.NEGATIVE_INFINITY);
  }

  /**
   * Skips, through the sketches, vectors that score below {@code minScore} (see the class
   * documentation); exact below {@value #PREFILTER_MIN_SIZE} vectors or {@value #PREFILTER_MIN_SCORE}.
   */
  @Override
  public List<Match> search(float[] query, int k, double minScore) {
    checkLength(query, "query");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    lock.readLock().lock();
    try {
      int n = Math.min(k, size);
      if (n == 0) {
        return List.of();
      }
      boolean prefilter = size >= PREFILTER_MIN_SIZE && minScore >= PREFILTER_MIN_SCORE;
      long[] q = null;
      int bound = SKETCH_BITS;
      if (prefilter) {
        q = new long[WORDS];
        sketch(query, q, 0);
        bound = hammingBound(minScore);
      }
      // top-n kept sorted descending in small arrays: n is tiny (a cache asks for a handful)
      double[] bestScores = new double[n];
      int[] bestSlots = new int[n];
      Arrays.fill(bestScores, Double.NEGATIVE_INFINITY);
      Arrays.fill(bestSlots, -1);
      final float[] d = data;
      final long[] sk = sketches;
      final int dims = dimensions;
      for (int slot = 0; slot < size; slot++) {
        if (prefilter) {
          int base = slot * WORDS;
          int h = Long.bitCount(sk[base] ^ q[0]) + Long.bitCount(sk[base + 1] ^ q[1])
              + Long.bitCount(sk[base + 2] ^ q[2]) + Long.bitCount(sk[base + 3] ^ q[3]);
          if (h > bound) {
            continue;
          }
        }
        float s = dot(d, slot * dims, query, dims);
        if (s > bestScores[n - 1]) {
          int pos = n - 1;
          while (pos > 0 && bestScores[pos - 1] < s) {
            bestScores[pos] = bestScores[pos - 1];
            bestSlots[pos] = bestSlots[pos - 1];
            pos--;
          }
          bestScores[pos] = s;
          bestSlots[pos] = slot;
        }
      }
      List<Match> out = new ArrayList<>(n);
      for (int i = 0; i < n && bestSlots[i] >= 0; i++) {
        out.add(new Match(ids[bestSlots[i]], bestScores[i]));
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Dot product with four independent sums, so the CPU can overlap the additions. */
  static float dot(float[] d, int base, float[] q, int dims) {
    float s0 = 0f;
    float s1 = 0f;
    float s2 = 0f;
    float s3 = 0f;
    int j = 0;
    for (; j + 3 < dims; j += 4) {
      s0 += d[base + j] * q[j];
      s1 += d[base + j + 1] * q[j + 1];
      s2 += d[base + j + 2] * q[j + 2];
      s3 += d[base + j + 3] * q[j + 3];
    }
    for (; j < dims; j++) {
      s0 += d[base + j] * q[j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public int size() {
    lock.readLock().lock();
    try {
      return size;
    } finally {
      lock.readLock().unlock();
    }
  }

  private void checkLength(float[] v, String name) {
    Objects.requireNonNull(v, name);
    if (v.length != dimensions) {
      throw new IllegalArgumentException(name + " must have " + dimensions + " dimensions, had " + v.length);
    }
  }
}
