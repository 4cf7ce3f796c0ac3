package dev.kiai.core.cache;

import java.util.List;

/**
 * Nearest-neighbour search over vectors, keyed by id: the storage behind the semantic cache tier.
 * {@link InMemoryVectorIndex} is the default (exact, brute force); an approximate index (HNSW) or an
 * external vector store plugs in through this interface. Implementations are thread-safe. Vectors are
 * compared by dot product, which is the cosine similarity for L2-normalised vectors.
 */
public interface VectorIndex {

  /** @return the length every vector must have */
  int dimensions();

  /**
   * Adds a vector, replacing any vector stored under the same id.
   *
   * @param id the id returned by {@link #search}
   * @param vector the vector, {@link #dimensions()} long; the index keeps a copy
   * @throws IllegalArgumentException when the vector has the wrong length
   */
  void add(String id, float[] vector);

  /**
   * @param id the id to remove
   * @return true when a vector was removed
   */
  boolean remove(String id);

  /**
   * @param query the query vector, {@link #dimensions()} long
   * @param k the most matches to return, >= 1
   * @return up to {@code k} matches, the most similar first
   * @throws IllegalArgumentException when the query has the wrong length or {@code k < 1}
   */
  List<Match> search(float[] query, int k);

  /**
   * Like {@link #search(float[], int)}, with a hint that only matches scoring at least {@code minScore}
   * matter: an index may then skip vectors it can tell score below it (never one scoring above, except
   * with negligible probability for an index documented as probabilistic). Matches below
   * {@code minScore} may still be returned. The default ignores the hint.
   *
   * @param query the query vector, {@link #dimensions()} long
   * @param k the most matches to return, >= 1
   * @param minScore the lowest score of interest
   * @return up to {@code k} matches, the most similar first
   */
  default List<Match> search(float[] query, int k, double minScore) {
    return search(query, k);
  }

  /** @return the number of vectors stored */
  int size();

  /**
   * One search result.
   *
   * @param id the id the vector was added under
   * @param score the dot product of the query and the stored vector
   */
  record Match(String id, double score) {}
}
