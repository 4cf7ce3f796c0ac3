package dev.kiai.rag;

/**
 * How hybrid search combines its lexical and vector result lists.
 *
 * <p>{@link #rrf() Reciprocal rank fusion} scores a chunk {@code sum(1 / (k + rank))} over the lists
 * it appears in (ranks from 1); it needs no score calibration and is the default with {@code k = 60}.
 * {@link #weighted(double) Weighted} fusion min-max normalises each list's scores to [0, 1] and adds
 * them as {@code w * vector + (1 - w) * lexical}.
 *
 * @param kind the method
 * @param rrfK the RRF constant (used by {@link Kind#RRF})
 * @param vectorWeight the weight of the vector score (used by {@link Kind#WEIGHTED})
 */
public record Fusion(Kind kind, int rrfK, double vectorWeight) {

  /** The fusion method. */
  public enum Kind {
    /** Reciprocal rank fusion. */
    RRF,
    /** Weighted sum of normalised scores. */
    WEIGHTED
  }

  public Fusion {
    java.util.Objects.requireNonNull(kind, "kind");
    if (rrfK < 1) {
      throw new IllegalArgumentException("rrfK must be >= 1, was " + rrfK);
    }
    if (!(vectorWeight >= 0 && vectorWeight <= 1)) {
      throw new IllegalArgumentException("vectorWeight must be within 0..1, was " + vectorWeight);
    }
  }

  /** @return reciprocal rank fusion with k = 60 */
  public static Fusion rrf() {
    return rrf(60);
  }

  /**
   * @param k the RRF constant, at least 1
   * @return reciprocal rank fusion with that constant
   */
  public static Fusion rrf(int k) {
    return new Fusion(Kind.RRF, k, 0.5);
  }

  /**
   * @param vectorWeight the weight of the vector score, within 0..1
   * @return weighted fusion of normalised scores
   */
  public static Fusion weighted(double vectorWeight) {
    return new Fusion(Kind.WEIGHTED, 60, vectorWeight);
  }
}
