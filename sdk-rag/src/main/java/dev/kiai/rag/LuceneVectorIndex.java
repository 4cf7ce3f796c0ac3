package dev.kiai.rag;

import dev.kiai.core.cache.VectorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The semantic cache's {@link VectorIndex} on a Lucene HNSW graph, in memory: approximate
 * nearest-neighbour search that stays fast where the default brute-force index slows down (tens of
 * thousands of entries and more). Scores are the exact dot products of query and stored vectors
 * (Lucene's maximum-inner-product similarity, converted back). HNSW is probabilistic: a true neighbour
 * is missed with small probability, which {@link #search(float[], int, double)}'s contract allows.
 * Every completed {@link #add} and {@link #remove} is visible to the next search. Thread-safe.
 *
 * <p>Plug it into the semantic cache with {@code SemanticCache.builder().indexFactory(LuceneVectorIndex::create)}, or wherever
 * a {@link VectorIndex} is accepted; {@link #close()} releases it.
 */
public final class LuceneVectorIndex implements VectorIndex, AutoCloseable {
  private static final String ID = "id";
  private static final String VECTOR = "v";
  private static final int MIN_CANDIDATES = 64;

  private final int dimensions;
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Set<String> ids = ConcurrentHashMap.newKeySet();
  private final Object writeLock = new Object();
  private final Object refreshLock = new Object();
  private volatile long writes;
  private volatile long visible;

  private LuceneVectorIndex(int dimensions) throws IOException {
    this.dimensions = dimensions;
    this.writer = new IndexWriter(directory, new IndexWriterConfig());
    this.searchers = new SearcherManager(writer, null);
  }

  /**
   * @param dimensions the length of every vector, 1..1024
   * @return an empty index
   */
  public static LuceneVectorIndex create(int dimensions) {
    if (dimensions < 1 || dimensions > 1024) {
      throw new IllegalArgumentException("dimensions must be within 1..1024, was " + dimensions);
    }
    try {
      return new LuceneVectorIndex(dimensions);
    } catch (IOException e) {
      throw new UncheckedIOException("creating an in-memory index failed", e);
    }
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public void add(String id, float[] vector) {
    java.util.Objects.requireNonNull(id, "id");
    check(vector, "vector");
    org.apache.lucene.document.Document d = new org.apache.lucene.document.Document();
    d.add(new StringField(ID, id, Field.Store.YES));
    d.add(new KnnFloatVectorField(VECTOR, vector.clone(), VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT));
    synchronized (writeLock) {
      try {
        writer.updateDocument(new Term(ID, id), d);
      } catch (IOException e) {
        throw new UncheckedIOException("adding to the index failed", e);
      }
      ids.add(id);
      writes++;
    }
  }

  @Override
  public boolean remove(String id) {
    synchronized (writeLock) {
      if (!ids.remove(id)) {
        return false;
      }
      try {
        writer.deleteDocuments(new Term(ID, id));
      } catch (IOException e) {
        throw new UncheckedIOException("removing from the index failed", e);
      }
      writes++;
      return true;
    }
  }

  @Override
  public List<Match> search(float[] query, int k) {
    check(query, "query");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    try {
      refreshIfBehind();
      IndexSearcher s = searchers.acquire();
      try {
        // explore at least MIN_CANDIDATES graph neighbours: HNSW's recall for a small k is poor otherwise
        TopDocs top = s.search(new KnnFloatVectorQuery(VECTOR, query, Math.max(k, MIN_CANDIDATES)), k);
        StoredFields stored = s.storedFields();
        List<Match> out = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
          out.add(new Match(stored.document(sd.doc).get(ID), dot(sd.score)));
        }
        return List.copyOf(out);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("searching the index failed", e);
    }
  }

  /** Inverts Lucene's maximum-inner-product score: {@code dot < 0 ? 1 / (1 - dot) : dot + 1}. */
  static double dot(float score) {
    return score >= 1 ? score - 1.0 : 1.0 - 1.0 / score;
  }

  private void refreshIfBehind() throws IOException {
    long target = writes;
    if (visible >= target) {
      return;
    }
    synchronized (refreshLock) {
      if (visible < target) {
        long now = writes;
        searchers.maybeRefreshBlocking();
        visible = now;
      }
    }
  }

  @Override
  public int size() {
    return ids.size();
  }

  private void check(float[] v, String name) {
    java.util.Objects.requireNonNull(v, name);
    if (v.length != dimensions) {
      throw new IllegalArgumentException(name + " must have " + dimensions + " dimensions, had " + v.length);
    }
  }

  /** Releases the index. */
  @Override
  public void close() {
    synchronized (writeLock) {
      try {
        searchers.close();
        writer.close();
        directory.close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing the index failed", e);
      }
    }
  }
}
