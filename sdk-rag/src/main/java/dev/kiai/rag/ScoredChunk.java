package dev.kiai.rag;

import java.util.Objects;

/**
 * A search result.
 *
 * @param chunk the chunk
 * @param score its score under the search's mode (BM25 score, vector similarity, fused score, or a
 *     re-ranker's score); higher is better
 * @param lexicalRank its rank (from 1) in the BM25 list, 0 when absent from it
 * @param vectorRank its rank (from 1) in the vector list, 0 when absent from it
 */
public record ScoredChunk(Chunk chunk, double score, int lexicalRank, int vectorRank) {
  public ScoredChunk {
    Objects.requireNonNull(chunk, "chunk");
    if (lexicalRank < 0 || vectorRank < 0) {
      throw new IllegalArgumentException("ranks must be >= 0, were " + lexicalRank + " and " + vectorRank);
    }
  }

  /**
   * @param newScore the new score
   * @return this result with another score (after re-ranking)
   */
  public ScoredChunk withScore(double newScore) {
    return new ScoredChunk(chunk, newScore, lexicalRank, vectorRank);
  }
}
