/**
 * Retrieval-augmented generation with enforced citations.
 *
 * <p>Documents are loaded ({@link dev.kiai.rag.Loaders}), cut into token-sized chunks that point back
 * to their character span ({@link dev.kiai.rag.Chunker}) and kept in a {@link dev.kiai.rag.RagIndex}:
 * {@link dev.kiai.rag.LuceneRagIndex} (BM25 + HNSW, in memory or on disk) or
 * {@link dev.kiai.rag.PgVectorStore} (PostgreSQL with pgvector). Re-ingestion is incremental.
 * Searches are lexical, dense or hybrid (reciprocal rank fusion or a weighted score), with metadata
 * filters and maximal-marginal-relevance diversification, optionally re-ranked by a
 * {@link dev.kiai.rag.Reranker}. The {@link dev.kiai.rag.ContextBuilder} fits the best chunks into a
 * model's token budget as numbered, delimited sources, and the {@link dev.kiai.rag.CitationEnforcer}
 * checks that every factual sentence of the answer cites a source that supports it.
 * {@link dev.kiai.rag.RagPipeline} and {@link dev.kiai.rag.RagInterceptor} put the pieces on the
 * request path.
 */
package dev.kiai.rag;
