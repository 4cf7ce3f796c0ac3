package dev.kiai.core.cache;

import dev.kiai.core.embedding.EmbeddingModel;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** A deterministic test embedding: lower-cased words hashed into 64 buckets, L2-normalised. */
final class WordBagEmbeddings implements EmbeddingModel {
  final AtomicInteger calls = new AtomicInteger();

  @Override
  public float[] embed(String text) {
    calls.incrementAndGet();
    float[] v = new float[64];
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        v[Math.floorMod(w.hashCode(), 64)] += 1f;
      }
    }
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    n = Math.max(Math.sqrt(n), 1e-9);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / n);
    }
    return v;
  }

  @Override
  public int dimensions() {
    return 64;
  }

  @Override
  public String modelId() {
    return "word-bag-64";
  }
}
