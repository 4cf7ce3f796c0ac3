package dev.kiai.router;

import dev.kiai.core.embedding.EmbeddingModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A lexical featurizer implemented as an {@link EmbeddingModel}: word unigrams and bigrams, a few
 * text-shape tokens (length bucket, digits, operators, option lines) hashed with signs into
 * {@code dimensions} buckets (the hashing trick), weighted by sublinear term frequency
 * ({@code 1 + ln tf}) and L2-normalised. Deterministic, dependency-free and fast (microseconds), it
 * captures wording and form but not meaning: it is the fallback for the learned router where no neural
 * sentence-embedding model is available, and it is named as such ({@link #modelId()}
 * {@code kiai-hashed-lexical-v1-<dims>}) so that its figures are never mistaken for a neural model's.
 * Immutable and thread-safe.
 */
public final class HashedLexicalEmbeddingModel implements EmbeddingModel {
  /** The model id prefix; the full id appends the dimensions. */
  public static final String ID_PREFIX = "kiai-hashed-lexical-v1-";

  private final int dimensions;

  /**
   * @param dimensions the vector length, a power of two from 64 to 65,536
   */
  public HashedLexicalEmbeddingModel(int dimensions) {
    if (dimensions < 64 || dimensions > 65_536 || Integer.bitCount(dimensions) != 1) {
      throw new IllegalArgumentException("dimensions must be a power of two within 64..65536, was " + dimensions);
    }
    this.dimensions = dimensions;
  }

  /**
   * @param modelId an id as {@link #modelId()} returns it
   * @return the model with those dimensions
   * @throws IllegalArgumentException when the id is not a hashed-lexical id
   */
  public static HashedLexicalEmbeddingModel fromModelId(String modelId) {
    if (modelId == null || !modelId.startsWith(ID_PREFIX)) {
      throw new IllegalArgumentException("modelId must start with " + ID_PREFIX + ", was " + modelId);
    }
    try {
      return new HashedLexicalEmbeddingModel(Integer.parseInt(modelId.substring(ID_PREFIX.length())));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("modelId must end with the dimensions, was " + modelId, e);
    }
  }

  @Override
  public float[] embed(String text) {
    Map<String, Integer> tf = new HashMap<>();
    List<String> words = words(text);
    String prev = null;
    for (String w : words) {
      tf.merge("w:" + w, 1, Integer::sum);
      if (prev != null) {
        tf.merge("b:" + prev + ' ' + w, 1, Integer::sum);
      }
      prev = w;
    }
    tf.merge("len:" + (31 - Integer.numberOfLeadingZeros(Math.max(1, words.size()))), 1, Integer::sum);
    int digits = 0;
    int operators = 0;
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isDigit(c)) {
        digits++;
      } else if ("+-*/=^<>%".indexOf(c) >= 0) {
        operators++;
      } else if (c == '\n') {
        lines++;
      }
    }
    tf.merge("digits:" + bucket(digits), 1, Integer::sum);
    tf.merge("ops:" + bucket(operators), 1, Integer::sum);
    tf.merge("lines:" + bucket(lines), 1, Integer::sum);
    float[] v = new float[dimensions];
    for (Map.Entry<String, Integer> e : tf.entrySet()) {
      int h = murmur(e.getKey());
      float weight = (float) (1 + Math.log(e.getValue()));
      v[h & (dimensions - 1)] += (h & 0x80000000) == 0 ? weight : -weight;
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm > 0) {
      float inv = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return v;
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public String modelId() {
    return ID_PREFIX + dimensions;
  }

  private static int bucket(int n) {
    return n == 0 ? 0 : 1 + (31 - Integer.numberOfLeadingZeros(n));
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    String lower = text.toLowerCase(Locale.ROOT);
    int start = -1;
    for (int i = 0; i <= lower.length(); i++) {
      boolean word = i < lower.length() && Character.isLetterOrDigit(lower.charAt(i));
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        out.add(lower.substring(start, i));
        start = -1;
      }
    }
    return out;
  }

  /** MurmurHash3 (x86, 32-bit) of the UTF-8 bytes, seed 0x9747b28c. */
  private static int murmur(String s) {
    byte[] data = s.getBytes(StandardCharsets.UTF_8);
    int h = 0x9747b28c;
    int i = 0;
    for (; i + 4 <= data.length; i += 4) {
      int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
      k *= 0xcc9e2d51;
      k = Integer.rotateLeft(k, 15);
      k *= 0x1b873593;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int rem = data.length - i;
    if (rem > 0) {
      int k = 0;
      if (rem == 3) {
        k ^= (data[i + 2] & 0xff) << 16;
      }
      if (rem >= 2) {
        k ^= (data[i + 1] & 0xff) << 8;
      }
      k ^= data[i] & 0xff;
      k *= 0xcc9e2d51;
      k = Integer.rotateLeft(k, 15);
      k *= 0x1b873593;
      h ^= k;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
