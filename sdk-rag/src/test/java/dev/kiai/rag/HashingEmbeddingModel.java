package dev.kiai.rag;

import dev.kiai.core.embedding.EmbeddingModel;
import java.util.List;

/**
 * A deterministic test embedding: English terms (stemmed, stop words removed) hashed into
 * {@code dims} buckets, L2-normalised. Texts sharing words are close; it knows no synonyms. For tests
 * only; never used for reported figures.
 */
final class HashingEmbeddingModel implements EmbeddingModel {
  private final int dims;
  private final Terms terms = new Terms();

  HashingEmbeddingModel(int dims) {
    this.dims = dims;
  }

  @Override
  public float[] embed(String text) {
    float[] v = new float[dims];
    List<String> ts = terms.list(text);
    for (String t : ts) {
      v[Math.floorMod(t.hashCode(), dims)] += 1;
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm == 0) {
      v[0] = 1;
      return v;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dims; i++) {
      v[i] *= inv;
    }
    return v;
  }

  @Override
  public int dimensions() {
    return dims;
  }

  @Override
  public String modelId() {
    return "test-hashing-" + dims;
  }
}
