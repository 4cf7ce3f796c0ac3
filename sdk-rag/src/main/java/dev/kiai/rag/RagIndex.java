package dev.kiai.rag;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A searchable store of chunked documents: {@link LuceneRagIndex} in the JVM, {@link PgVectorStore} in
 * PostgreSQL. Ingestion is incremental: a document whose content hash is unchanged is skipped, a
 * changed one is replaced, and {@link #sync} deletes the documents it was not given. Implementations
 * are thread-safe; writes are serialised, searches run concurrently and see every completed write.
 */
public interface RagIndex extends AutoCloseable {

  /**
   * Adds new documents and replaces changed ones; unchanged ones (same hash) are skipped.
   *
   * @param documents the documents
   * @return what changed
   */
  IngestReport upsert(Collection<Document> documents);

  /**
   * Makes the index hold exactly these documents: {@link #upsert} them and delete every other one.
   *
   * @param documents the complete corpus
   * @return what changed
   */
  IngestReport sync(Collection<Document> documents);

  /**
   * @param documentIds ids of documents to remove
   * @return the ids that were present and are now removed
   */
  List<String> delete(Collection<String> documentIds);

  /**
   * @param request the search
   * @return the best chunks, best first, at most {@code request.k()}
   */
  List<ScoredChunk> search(SearchRequest request);

  /** @return every ingested document's state, by id */
  Map<String, DocumentState> documents();

  /**
   * @param documentId a document id
   * @param now the reference time
   * @param halfLife the age at which freshness is 0.5
   * @return the document's freshness, or empty when it is not in the index
   */
  default Optional<Double> freshness(String documentId, Instant now, Duration halfLife) {
    return Optional.ofNullable(documents().get(documentId)).map(s -> s.freshness(now, halfLife));
  }

  /** Persists pending writes and releases resources. */
  @Override
  void close();
}
