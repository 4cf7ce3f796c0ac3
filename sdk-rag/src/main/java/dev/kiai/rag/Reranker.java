package dev.kiai.rag;

import java.util.List;

/**
 * Re-orders retrieved chunks by a more expensive judgement of relevance to the query. Implementations
 * are thread-safe: {@link LexicalReranker} (in-process) and {@link LlmReranker} (any chat model).
 */
@FunctionalInterface
public interface Reranker {

  /**
   * @param query the query
   * @param candidates retrieved chunks, best first
   * @return the same chunks, best first under this re-ranker, with its scores
   */
  List<ScoredChunk> rerank(String query, List<ScoredChunk> candidates);
}
