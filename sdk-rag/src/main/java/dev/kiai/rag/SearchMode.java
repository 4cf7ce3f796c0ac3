package dev.kiai.rag;

/** Which side of the index answers a search. */
public enum SearchMode {
  /** Lexical BM25 over title and text. */
  BM25,
  /** Dense vectors (approximate nearest neighbours); needs an {@code EmbeddingModel}. */
  VECTOR,
  /** Both, fused by a {@link Fusion}; needs an {@code EmbeddingModel}. */
  HYBRID
}
