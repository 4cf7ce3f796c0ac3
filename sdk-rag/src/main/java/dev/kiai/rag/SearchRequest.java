package dev.kiai.rag;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One search.
 *
 * @param query the query text
 * @param k how many chunks to return, at least 1
 * @param mode lexical, vector or hybrid
 * @param filter metadata that every result must have (all entries must match exactly)
 * @param fusion how hybrid results are combined
 * @param candidates how many chunks each side retrieves before fusion, diversification and
 *     collapsing; at least {@code k} is used
 * @param mmrLambda when not null, results are diversified by maximal marginal relevance: each pick
 *     maximises {@code lambda * relevance - (1 - lambda) * max similarity to the picks so far}; within
 *     0..1 (1 = pure relevance)
 * @param maxChunksPerDocument at most this many chunks of one document; 0 for no limit
 * @param queryVector the query's embedding when the caller already has it (skips embedding the query);
 *     null to embed {@code query}
 */
public record SearchRequest(
    String query, int k, SearchMode mode, Map<String, String> filter, Fusion fusion, int candidates,
    Double mmrLambda, int maxChunksPerDocument, float[] queryVector) {

  public SearchRequest {
    Objects.requireNonNull(query, "query");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    Objects.requireNonNull(mode, "mode");
    filter = filter == null ? Map.of() : Map.copyOf(filter);
    fusion = fusion == null ? Fusion.rrf() : fusion;
    if (candidates < 1) {
      throw new IllegalArgumentException("candidates must be >= 1, was " + candidates);
    }
    if (mmrLambda != null && !(mmrLambda >= 0 && mmrLambda <= 1)) {
      throw new IllegalArgumentException("mmrLambda must be within 0..1, was " + mmrLambda);
    }
    if (maxChunksPerDocument < 0) {
      throw new IllegalArgumentException("maxChunksPerDocument must be >= 0, was " + maxChunksPerDocument);
    }
    queryVector = queryVector == null ? null : queryVector.clone();
  }

  /**
   * @param query the query text
   * @return a builder: hybrid, k = 10, RRF (k = 60), 100 candidates per side
   */
  public static Builder builder(String query) {
    return new Builder(query);
  }

  /** @return a copy of the query vector, or null */
  @Override
  public float[] queryVector() {
    return queryVector == null ? null : queryVector.clone();
  }

  /** @return how many chunks each side retrieves: enough for {@code k}, collapsing and MMR */
  int depth() {
    int n = Math.max(candidates, k);
    if (maxChunksPerDocument > 0 || mmrLambda != null) {
      n = Math.max(n, 4 * k);
    }
    return n;
  }

  /**
   * @param k the new result count
   * @return a copy with another {@code k}
   */
  public SearchRequest withK(int k) {
    return new SearchRequest(query, k, mode, filter, fusion, candidates, mmrLambda, maxChunksPerDocument,
        queryVector);
  }

  /**
   * @param query the new query text
   * @return a copy for another query (without a precomputed vector)
   */
  public SearchRequest withQuery(String query) {
    return new SearchRequest(query, k, mode, filter, fusion, candidates, mmrLambda, maxChunksPerDocument, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SearchRequest r && query.equals(r.query) && k == r.k && mode == r.mode
        && filter.equals(r.filter) && fusion.equals(r.fusion) && candidates == r.candidates
        && Objects.equals(mmrLambda, r.mmrLambda) && maxChunksPerDocument == r.maxChunksPerDocument
        && Arrays.equals(queryVector, r.queryVector);
  }

  @Override
  public int hashCode() {
    return Objects.hash(query, k, mode, filter, fusion, candidates, mmrLambda, maxChunksPerDocument)
        * 31 + Arrays.hashCode(queryVector);
  }

  @Override
  public String toString() {
    return "SearchRequest[query=" + query + ", k=" + k + ", mode=" + mode + ", filter=" + filter + ", fusion="
        + fusion + ", candidates=" + candidates + ", mmrLambda=" + mmrLambda + ", maxChunksPerDocument="
        + maxChunksPerDocument + ", queryVector=" + (queryVector == null ? "none" : queryVector.length + " dims")
        + "]";
  }

  /** Builds a {@link SearchRequest}. */
  public static final class Builder {
    private final String query;
    private int k = 10;
    private SearchMode mode = SearchMode.HYBRID;
    private final Map<String, String> filter = new LinkedHashMap<>();
    private Fusion fusion = Fusion.rrf();
    private int candidates = 100;
    private Double mmrLambda;
    private int maxChunksPerDocument;
    private float[] queryVector;

    private Builder(String query) {
      this.query = Objects.requireNonNull(query, "query");
    }

    /**
     * @param k how many chunks to return
     * @return this
     */
    public Builder k(int k) {
      this.k = k;
      return this;
    }

    /**
     * @param mode the search mode
     * @return this
     */
    public Builder mode(SearchMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * @param key a metadata key every result must have
     * @param value its required value
     * @return this
     */
    public Builder filter(String key, String value) {
      filter.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * @param fusion hybrid fusion
     * @return this
     */
    public Builder fusion(Fusion fusion) {
      this.fusion = Objects.requireNonNull(fusion, "fusion");
      return this;
    }

    /**
     * @param candidates chunks retrieved per side before fusion
     * @return this
     */
    public Builder candidates(int candidates) {
      this.candidates = candidates;
      return this;
    }

    /**
     * @param lambda MMR trade-off within 0..1, or null to switch MMR off
     * @return this
     */
    public Builder mmr(Double lambda) {
      this.mmrLambda = lambda;
      return this;
    }

    /**
     * @param max at most this many chunks per document, 0 for no limit
     * @return this
     */
    public Builder maxChunksPerDocument(int max) {
      this.maxChunksPerDocument = max;
      return this;
    }

    /**
     * @param vector the query's embedding, or null to embed the query text
     * @return this
     */
    public Builder queryVector(float[] vector) {
      this.queryVector = vector == null ? null : vector.clone();
      return this;
    }

    /** @return the request */
    public SearchRequest build() {
      return new SearchRequest(query, k, mode, filter, fusion, candidates, mmrLambda, maxChunksPerDocument,
          queryVector);
    }
  }
}
