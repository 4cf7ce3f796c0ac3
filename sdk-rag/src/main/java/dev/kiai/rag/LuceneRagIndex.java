package dev.kiai.rag;

import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * A {@link RagIndex} on Apache Lucene: BM25 over title and text (analysis in the index's {@link TextLanguage},
 * English by default) and HNSW vectors
 * (optionally int8 scalar-quantized) in one index, in memory or in a folder.
 *
 * <p>Writes ({@link #upsert}, {@link #sync}, {@link #delete}) are serialised and visible to the next
 * search at once; they become durable on {@link #commit()} and {@link #close()}. Without an
 * {@link EmbeddingModel} the index is lexical only and vector and hybrid searches fail with a
 * {@link ConfigurationException}. An index folder remembers the embedding model it was built with and
 * refuses to open with another one.
 */
public final class LuceneRagIndex implements RagIndex {
  static final String KIND = "kind";
  static final String KIND_CHUNK = "chunk";
  static final String KIND_DOC = "doc";
  static final String ID = "id";
  static final String DOC = "doc_id";
  static final String DOC_KEY = "doc_key";
  static final String IDX = "idx";
  static final String START = "start";
  static final String END = "end";
  static final String TITLE = "title";
  static final String BODY = "body";
  static final String SECTION = "section";
  static final String SOURCE = "source";
  static final String TOKENS = "tokens";
  static final String HASH = "hash";
  static final String UPDATED = "updated";
  static final String CHUNKS = "chunks";
  static final String VECTOR = "vec";
  static final String META = "m.";
  static final String COMMIT_MODEL = "kiai.embedding.model";
  static final String COMMIT_DIMS = "kiai.embedding.dims";
  static final String COMMIT_LANGUAGE = "kiai.language";

  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final EmbeddingModel embeddings;
  private final Chunker chunker;
  private final InjectionScreen screen;
  private final InjectionScreen.Action screenAction;
  private final float titleBoost;
  private final boolean contextual;
  private final TextLanguage language;
  private final Terms terms;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Map<String, DocumentState> states = new ConcurrentHashMap<>();
  private final Object refreshLock = new Object();
  private volatile long writes;
  private volatile long visible;

  private LuceneRagIndex(Builder b) throws IOException {
    this.directory = b.path == null ? new ByteBuffersDirectory() : FSDirectory.open(b.path);
    this.embeddings = b.embeddings;
    this.chunker = b.chunker == null ? Chunker.create() : b.chunker;
    this.screen = b.screen;
    this.screenAction = b.screenAction;
    this.titleBoost = b.titleBoost;
    this.contextual = b.contextual;
    TextLanguage lang;
    try {
      lang = b.language != null ? b.language : recordedLanguage(directory).orElse(TextLanguage.ENGLISH);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
    this.language = lang;
    this.terms = new Terms(language);
    IndexWriterConfig config = new IndexWriterConfig(terms.analyzer());
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    config.setRAMBufferSizeMB(64);
    if (b.quantized) {
      config.setCodec(new Lucene912Codec() {
        @Override
        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
          return new Lucene99HnswScalarQuantizedVectorsFormat();
        }
      });
    }
    if (b.readOnly) {
      if (b.path == null || !DirectoryReader.indexExists(directory)) {
        directory.close();
        throw new ConfigurationException("a read-only index needs an existing index folder, got " + b.path);
      }
      this.writer = null;
      try {
        SearcherManager manager = new SearcherManager(directory, null);
        this.searchers = manager;
        IndexSearcher s = manager.acquire();
        try {
          checkModel(((DirectoryReader) s.getIndexReader()).getIndexCommit().getUserData(),
              s.getIndexReader().numDocs());
        } finally {
          manager.release(s);
        }
        loadStates();
      } catch (IOException | RuntimeException e) {
        directory.close();
        throw e;
      }
      return;
    }
    IndexWriter w = new IndexWriter(directory, config);
    try {
      Map<String, String> data = new HashMap<>();
      Iterable<Map.Entry<String, String>> live = w.getLiveCommitData();
      if (live != null) {
        live.forEach(e -> data.put(e.getKey(), e.getValue()));
      }
      checkModel(data, w.getDocStats().numDocs);
      Map<String, String> commit = new LinkedHashMap<>();
      commit.put(COMMIT_MODEL, embeddings == null ? "" : embeddings.modelId());
      commit.put(COMMIT_DIMS, embeddings == null ? "0" : Integer.toString(embeddings.dimensions()));
      commit.put(COMMIT_LANGUAGE, language.name());
      w.setLiveCommitData(commit.entrySet());
      this.writer = w;
      this.searchers = new SearcherManager(w, null);
      loadStates();
    } catch (IOException | RuntimeException e) {
      w.rollback();
      directory.close();
      throw e;
    }
  }

  /** @return a builder: in memory, lexical only, {@link Chunker#create() default chunking} */
  public static Builder builder() {
    return new Builder();
  }

  /** The language a committed index was built with; empty for a new index (or one from before languages). */
  private static Optional<TextLanguage> recordedLanguage(Directory dir) throws IOException {
    String name = commitData(dir).get(COMMIT_LANGUAGE);
    if (name == null || name.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(TextLanguage.valueOf(name));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("the index records an unknown language '" + name + "'", e);
    }
  }

  /** The user data of the latest commit (read from the segments file only), or empty when there is no index. */
  private static Map<String, String> commitData(Directory dir) throws IOException {
    return DirectoryReader.indexExists(dir) ? SegmentInfos.readLatestCommit(dir).getUserData() : Map.of();
  }

  private void checkModel(Map<String, String> data, int numDocs) {
    String lang = data.getOrDefault(COMMIT_LANGUAGE, TextLanguage.ENGLISH.name());
    if (!lang.equals(language.name()) && numDocs > 0) {
      throw new ConfigurationException("the index was built for language " + lang.toLowerCase(java.util.Locale.ROOT)
          + " but is opened with " + language.name().toLowerCase(java.util.Locale.ROOT) + "; re-index or use the same language");
    }
    String had = data.getOrDefault(COMMIT_MODEL, "");
    String wanted = embeddings == null ? "" : embeddings.modelId();
    if (!had.equals(wanted) && numDocs > 0) {
      throw new ConfigurationException("the index was built with "
          + (had.isEmpty() ? "no embedding model" : "embedding model '" + had + "' (" + data.get(COMMIT_DIMS) + " dims)")
          + " but is opened with " + (wanted.isEmpty() ? "none" : "'" + wanted + "'") + "; re-index or use the same model");
    }
  }

  /**
   * Reads the embedding model id an index folder was built with, without opening it for writing.
   *
   * @param path the index folder
   * @return the model id, or empty when the index is lexical only or absent
   */
  public static Optional<String> embeddingModelOf(Path path) {
    try (Directory dir = FSDirectory.open(path)) {
      String model = commitData(dir).get(COMMIT_MODEL);
      return model == null || model.isEmpty() ? Optional.empty() : Optional.of(model);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read index " + path, e);
    }
  }

  private void loadStates() throws IOException {
    IndexSearcher s = searchers.acquire();
    try {
      TopDocs docs = s.search(new TermQuery(new Term(KIND, KIND_DOC)), Math.max(1, s.getIndexReader().maxDoc()));
      StoredFields stored = s.storedFields();
      for (ScoreDoc sd : docs.scoreDocs) {
        org.apache.lucene.document.Document d = stored.document(sd.doc);
        String id = d.get(DOC);
        states.put(id, new DocumentState(id, d.get(HASH), Instant.ofEpochMilli(d.getField(UPDATED).numericValue().longValue()),
            d.getField(CHUNKS).numericValue().intValue()));
      }
    } finally {
      searchers.release(s);
    }
  }

  @Override
  public IngestReport upsert(Collection<Document> documents) {
    return write(documents, false);
  }

  @Override
  public IngestReport sync(Collection<Document> documents) {
    return write(documents, true);
  }

  private IngestReport write(Collection<Document> documents, boolean deleteOthers) {
    Objects.requireNonNull(documents, "documents");
    List<String> added = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    List<String> unchanged = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    int written = 0;
    int dropped = 0;
    requireWritable();
    writeLock.lock();
    try {
      Set<String> seen = new HashSet<>();
      for (Document doc : documents) {
        seen.add(doc.id());
        DocumentState old = states.get(doc.id());
        if (old != null && old.contentHash().equals(doc.contentHash())) {
          unchanged.add(doc.id());
          continue;
        }
        List<Chunk> chunks = new ArrayList<>();
        for (Chunk c : chunker.chunk(doc)) {
          Optional<String> finding = screen == null ? Optional.empty() : screen.screen(c.text());
          if (finding.isPresent() && screenAction == InjectionScreen.Action.DROP) {
            dropped++;
            continue;
          }
          chunks.add(finding.map(f -> flagged(c, f)).orElse(c));
        }
        // built once: the embedding model's input and, when contextual, the BM25 field
        List<String> texts = embeddings == null && !contextual ? List.of()
            : chunks.stream().map(LuceneRagIndex::embeddingText).toList();
        List<float[]> vectors = embeddings == null || chunks.isEmpty() ? List.of() : embeddings.embedAll(texts);
        List<org.apache.lucene.document.Document> docs = new ArrayList<>(chunks.size() + 1);
        for (int i = 0; i < chunks.size(); i++) {
          Chunk c = chunks.get(i);
          docs.add(chunkDoc(c, vectors.isEmpty() ? null : vectors.get(i), contextual ? texts.get(i) : c.text()));
        }
        docs.add(marker(doc, chunks.size()));
        writer.deleteDocuments(new Term(DOC, doc.id()));
        writer.addDocuments(docs);
        written += chunks.size();
        states.put(doc.id(), new DocumentState(doc.id(), doc.contentHash(), doc.updatedAt(), chunks.size()));
        (old == null ? added : updated).add(doc.id());
      }
      if (deleteOthers) {
        List<String> gone = states.keySet().stream().filter(id -> !seen.contains(id)).sorted().toList();
        deleted.addAll(deleteLocked(gone));
      }
      writes++;
    } catch (IOException e) {
      throw new UncheckedIOException("writing the index failed", e);
    } finally {
      writeLock.unlock();
    }
    return new IngestReport(added, updated, unchanged, deleted, written, dropped);
  }

  private static Chunk flagged(Chunk c, String finding) {
    Map<String, String> meta = new LinkedHashMap<>(c.metadata());
    meta.put(InjectionScreen.Action.FLAG_KEY, finding);
    return new Chunk(c.id(), c.documentId(), c.index(), c.text(), c.start(), c.end(), c.title(), c.section(),
        c.sourceUri(), meta, c.tokens());
  }

  /**
   * The text a chunk is embedded and BM25-indexed as: its document title and the headings above it
   * give the passage its context. Each is added once, and not when the chunk text has it as one of its
   * own heading lines (a chunk that starts a section carries its heading), so context is never counted
   * twice.
   */
  static String embeddingText(Chunk c) {
    Set<String> own = new HashSet<>();
    for (String line : c.text().split("\n")) {
      String l = line.strip();
      if (l.startsWith("#")) {
        own.add(l.replaceFirst("^#+", "").strip());
      }
    }
    List<String> context = new ArrayList<>();
    if (!c.title().isBlank()) {
      context.add(c.title().strip());
    }
    for (String heading : c.section().split(" > ")) {
      if (!heading.isBlank()) {
        context.add(heading.strip());
      }
    }
    StringBuilder sb = new StringBuilder();
    Set<String> added = new HashSet<>();
    for (String h : context) {
      if (!own.contains(h) && added.add(h)) {
        sb.append(h).append('\n');
      }
    }
    return sb.append(c.text()).toString();
  }

  @Override
  public List<String> delete(Collection<String> documentIds) {
    requireWritable();
    writeLock.lock();
    try {
      List<String> out = deleteLocked(documentIds);
      writes++;
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("deleting from the index failed", e);
    } finally {
      writeLock.unlock();
    }
  }

  private List<String> deleteLocked(Collection<String> ids) throws IOException {
    List<String> out = new ArrayList<>();
    for (String id : ids) {
      if (states.remove(id) != null) {
        writer.deleteDocuments(new Term(DOC, id));
        out.add(id);
      }
    }
    return out;
  }

  /** @param bm25Text what BM25 indexes for the chunk: its embedding text when contextual, else its text */
  private org.apache.lucene.document.Document chunkDoc(Chunk c, float[] vector, String bm25Text) {
    org.apache.lucene.document.Document d = new org.apache.lucene.document.Document();
    d.add(new StringField(KIND, KIND_CHUNK, Field.Store.NO));
    d.add(new StringField(ID, c.id(), Field.Store.YES));
    d.add(new StringField(DOC, c.documentId(), Field.Store.YES));
    d.add(new SortedDocValuesField(DOC_KEY, new BytesRef(c.documentId()))); // collapsing without stored fields
    d.add(new StoredField(IDX, c.index()));
    d.add(new StoredField(START, c.start()));
    d.add(new StoredField(END, c.end()));
    d.add(new StoredField(TOKENS, c.tokens()));
    d.add(new TextField(TITLE, c.title(), Field.Store.YES));
    // stored: the chunk's own text; indexed for BM25: the same text the chunk is embedded as (title,
    // section, text), so a chunk cut from the middle of a document still matches its document's title
    d.add(new StoredField(BODY, c.text()));
    d.add(new TextField(BODY, bm25Text, Field.Store.NO));
    d.add(new StoredField(SECTION, c.section()));
    d.add(new StoredField(SOURCE, c.sourceUri()));
    c.metadata().forEach((k, v) -> d.add(new StringField(META + k, v, Field.Store.YES)));
    if (vector != null) {
      if (vector.length != embeddings.dimensions()) {
        throw new ConfigurationException("embedding model " + embeddings.modelId() + " returned " + vector.length
            + " dimensions, declared " + embeddings.dimensions());
      }
      d.add(new KnnFloatVectorField(VECTOR, vector, similarity()));
    }
    return d;
  }

  private VectorSimilarityFunction similarity() {
    return embeddings.normalized() ? VectorSimilarityFunction.DOT_PRODUCT : VectorSimilarityFunction.COSINE;
  }

  private static org.apache.lucene.document.Document marker(Document doc, int chunks) {
    org.apache.lucene.document.Document d = new org.apache.lucene.document.Document();
    d.add(new StringField(KIND, KIND_DOC, Field.Store.NO));
    d.add(new StringField(DOC, doc.id(), Field.Store.YES));
    d.add(new StoredField(HASH, doc.contentHash()));
    d.add(new StoredField(UPDATED, doc.updatedAt().toEpochMilli()));
    d.add(new StoredField(CHUNKS, chunks));
    return d;
  }

  @Override
  public List<ScoredChunk> search(SearchRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.mode() != SearchMode.BM25 && embeddings == null) {
      throw new ConfigurationException(request.mode() + " search needs an EmbeddingModel; this index is lexical only");
    }
    try {
      refreshIfBehind();
      IndexSearcher s = searchers.acquire();
      try {
        return search(s, request);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("searching the index failed", e);
    }
  }

  /** Makes every completed write visible before a search: refreshes at most once per batch of writes. */
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

  private List<ScoredChunk> search(IndexSearcher s, SearchRequest req) throws IOException {
    Query filter = filter(req.filter());
    int depth = req.depth();
    List<Map.Entry<Integer, Double>> lexical = List.of();
    List<Map.Entry<Integer, Double>> dense = List.of();
    if (req.mode() != SearchMode.VECTOR) {
      Query text = lexicalQuery(req.query());
      if (text != null) {
        Query q = filter == null ? text : new BooleanQuery.Builder().add(text, BooleanClause.Occur.MUST)
            .add(filter, BooleanClause.Occur.FILTER).build();
        lexical = entries(s.search(q, depth));
      }
    }
    float[] queryVector = null;
    if (req.mode() != SearchMode.BM25) {
      queryVector = req.queryVector() != null ? req.queryVector() : embeddings.embed(req.query());
      dense = entries(s.search(new KnnFloatVectorQuery(VECTOR, queryVector, depth, filter), depth));
    }
    List<Ranking.Hit<Integer>> hits = switch (req.mode()) {
      case BM25 -> Ranking.single(lexical, true);
      case VECTOR -> Ranking.single(dense, false);
      case HYBRID -> Ranking.fuse(lexical, dense, req.fusion());
    };
    // Stored fields (the chunk text and its metadata) are loaded for the returned chunks only: per-document
    // collapsing reads the document id from doc values, MMR reads vectors.
    List<Ranking.Hit<Integer>> kept = hits;
    if (req.maxChunksPerDocument() > 0) {
      kept = collapse(s, hits, req.maxChunksPerDocument(), req.mmrLambda() == null ? req.k() : req.depth());
    }
    if (req.mmrLambda() != null && kept.size() > 1) {
      return diversify(s, kept.subList(0, Math.min(kept.size(), req.depth())), req);
    }
    StoredFields stored = s.storedFields();
    List<ScoredChunk> results = new ArrayList<>(Math.min(req.k(), kept.size()));
    for (Ranking.Hit<Integer> h : kept) {
      if (results.size() >= req.k()) {
        break;
      }
      results.add(scored(stored, h));
    }
    return List.copyOf(results);
  }

  private static ScoredChunk scored(StoredFields stored, Ranking.Hit<Integer> h) throws IOException {
    return new ScoredChunk(chunk(stored.document(h.key())), h.score(), h.lexicalRank(), h.vectorRank());
  }

  /**
   * Keeps at most {@code max} hits per document, in order, stopping once {@code limit} are kept. The
   * document id comes from doc values (an index written before they were added falls back to the
   * stored field).
   */
  private static List<Ranking.Hit<Integer>> collapse(IndexSearcher s, List<Ranking.Hit<Integer>> hits, int max,
      int limit) throws IOException {
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    StoredFields stored = null;
    Map<String, Integer> seen = new HashMap<>();
    List<Ranking.Hit<Integer>> out = new ArrayList<>();
    for (Ranking.Hit<Integer> h : hits) {
      if (out.size() >= limit) {
        break;
      }
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(h.key(), leaves));
      SortedDocValues values = leaf.reader().getSortedDocValues(DOC_KEY);
      String doc;
      int target = h.key() - leaf.docBase;
      if (values != null && values.advanceExact(target)) {
        doc = values.lookupOrd(values.ordValue()).utf8ToString();
      } else {
        stored = stored == null ? s.storedFields() : stored;
        doc = stored.document(h.key(), Set.of(DOC)).get(DOC);
      }
      if (seen.merge(doc, 1, Integer::sum) <= max) {
        out.add(h);
      }
    }
    return out;
  }

  private List<ScoredChunk> diversify(IndexSearcher s, List<Ranking.Hit<Integer>> pool, SearchRequest req)
      throws IOException {
    List<Double> scores = pool.stream().map(Ranking.Hit::score).toList();
    StoredFields stored = s.storedFields();
    List<Integer> picks;
    if (embeddings != null) {
      List<float[]> vectors = new ArrayList<>();
      for (Ranking.Hit<Integer> h : pool) {
        vectors.add(vectorOf(s, h.key()));
      }
      picks = Ranking.mmr(scores, req.k(), req.mmrLambda(), (a, b) -> vectors.get(a) == null || vectors.get(b) == null
          ? 0 : Math.max(0, Ranking.cosine(vectors.get(a), vectors.get(b))));
    } else {
      List<Set<String>> sets = new ArrayList<>();
      for (Ranking.Hit<Integer> h : pool) {
        sets.add(terms.set(stored.document(h.key(), Set.of(BODY)).get(BODY)));
      }
      picks = Ranking.mmr(scores, req.k(), req.mmrLambda(), (a, b) -> Terms.jaccard(sets.get(a), sets.get(b)));
    }
    List<ScoredChunk> out = new ArrayList<>(picks.size());
    for (int p : picks) {
      out.add(scored(stored, pool.get(p)));
    }
    return List.copyOf(out);
  }

  private static float[] vectorOf(IndexSearcher s, int docId) throws IOException {
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docId, leaves));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
    if (values == null) {
      return null;
    }
    int target = docId - leaf.docBase;
    return values.advance(target) == target ? values.vectorValue().clone() : null;
  }

  private static List<Map.Entry<Integer, Double>> entries(TopDocs top) {
    List<Map.Entry<Integer, Double>> out = new ArrayList<>(top.scoreDocs.length);
    for (ScoreDoc sd : top.scoreDocs) {
      out.add(Map.entry(sd.doc, (double) sd.score));
    }
    return out;
  }

  /**
   * The metadata filter, or null when there is none. Document markers need no exclusion: they have no
   * text fields and no vector, so neither side can match them.
   */
  private static Query filter(Map<String, String> filter) {
    if (filter.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    filter.forEach((k, v) -> b.add(new TermQuery(new Term(META + k, v)), BooleanClause.Occur.FILTER));
    return b.build();
  }

  /** BM25 over body and title: one SHOULD clause per distinct query term and field, repeats boosted. */
  private Query lexicalQuery(String query) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String t : terms.list(query)) {
      counts.merge(t, 1, Integer::sum);
    }
    if (counts.isEmpty()) {
      return null;
    }
    int max = IndexSearcher.getMaxClauseCount() / 2;
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    int n = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (n++ >= max) {
        break;
      }
      b.add(boost(new TermQuery(new Term(BODY, e.getKey())), e.getValue()), BooleanClause.Occur.SHOULD);
      if (titleBoost > 0) {
        b.add(boost(new TermQuery(new Term(TITLE, e.getKey())), e.getValue() * titleBoost), BooleanClause.Occur.SHOULD);
      }
    }
    return b.build();
  }

  private static Query boost(Query q, float boost) {
    return boost == 1f ? q : new BoostQuery(q, boost);
  }

  private static Chunk chunk(org.apache.lucene.document.Document d) {
    Map<String, String> meta = new LinkedHashMap<>();
    for (IndexableField f : d.getFields()) {
      if (f.name().startsWith(META)) {
        meta.put(f.name().substring(META.length()), f.stringValue());
      }
    }
    return new Chunk(d.get(ID), d.get(DOC), d.getField(IDX).numericValue().intValue(), d.get(BODY),
        d.getField(START).numericValue().intValue(), d.getField(END).numericValue().intValue(), d.get(TITLE),
        d.get(SECTION), d.get(SOURCE), meta, d.getField(TOKENS).numericValue().intValue());
  }

  @Override
  public Map<String, DocumentState> documents() {
    return Map.copyOf(states);
  }

  /** @return the language the index analyses text in */
  public TextLanguage language() {
    return language;
  }

  /** @return the number of chunks searchable now */
  public int chunkCount() {
    return states.values().stream().mapToInt(DocumentState::chunks).sum();
  }

  /**
   * Merges the index down to at most {@code maxSegments} segments, for read-mostly corpora: vector
   * search visits one HNSW graph per segment, so fewer segments make searches faster. Costly on large
   * indexes (graphs are rebuilt); run it after bulk loads, not after every write.
   *
   * @param maxSegments at least 1
   */
  public void forceMerge(int maxSegments) {
    if (maxSegments < 1) {
      throw new IllegalArgumentException("maxSegments must be >= 1, was " + maxSegments);
    }
    requireWritable();
    writeLock.lock();
    try {
      writer.forceMerge(maxSegments);
      writes++;
    } catch (IOException e) {
      throw new UncheckedIOException("merging the index failed", e);
    } finally {
      writeLock.unlock();
    }
  }

  private void requireWritable() {
    if (writer == null) {
      throw new IllegalStateException("the index was opened read-only");
    }
  }

  /** Makes every write so far durable; does nothing on a read-only index. */
  public void commit() {
    if (writer == null) {
      return;
    }
    writeLock.lock();
    try {
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("committing the index failed", e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      searchers.close();
      if (writer != null) {
        writer.close();
      }
      directory.close();
      terms.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the index failed", e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Configures a {@link LuceneRagIndex}. */
  public static final class Builder {
    private Path path;
    private EmbeddingModel embeddings;
    private Chunker chunker;
    private boolean quantized;
    private InjectionScreen screen;
    private InjectionScreen.Action screenAction = InjectionScreen.Action.FLAG;
    private float titleBoost = 0f;
    private boolean contextual = true;
    private TextLanguage language;
    private boolean readOnly;

    private Builder() {}

    /**
     * @param readOnly open an existing index folder for searching only: no write lock is taken, so
     *     any number of processes may search it while (at most) one other writes; writes fail with
     *     {@link IllegalStateException}; the index shows the state committed when it was opened
     * @return this
     */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /**
     * @param path a folder to keep the index in (created when absent); in memory when never called
     * @return this
     */
    public Builder directory(Path path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * @param model embeds chunks and queries for vector and hybrid search; none means lexical only
     * @return this
     */
    public Builder embeddingModel(EmbeddingModel model) {
      this.embeddings = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * @param chunker how documents are cut
     * @return this
     */
    public Builder chunker(Chunker chunker) {
      this.chunker = Objects.requireNonNull(chunker, "chunker");
      return this;
    }

    /**
     * @param quantized store HNSW vectors int8 scalar-quantized (about 4x less memory for the graph
     *     search, slightly lower recall); raw vectors are kept for exact re-scoring; false by default
     * @return this
     */
    public Builder quantized(boolean quantized) {
      this.quantized = quantized;
      return this;
    }

    /**
     * @param screen screens every chunk at ingestion
     * @param action flag (metadata {@value InjectionScreen.Action#FLAG_KEY}) or drop what it finds
     * @return this
     */
    public Builder injectionScreen(InjectionScreen screen, InjectionScreen.Action action) {
      this.screen = Objects.requireNonNull(screen, "screen");
      this.screenAction = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * @param language how BM25 analyses text; an existing index folder keeps the language it was built
     *     with (omit this to use it; a different one fails with {@link ConfigurationException});
     *     {@link TextLanguage#ENGLISH} for a new index when never called
     * @return this
     */
    public Builder language(TextLanguage language) {
      this.language = Objects.requireNonNull(language, "language");
      return this;
    }

    /**
     * @param contextual index each chunk's text for BM25 together with its document title and section
     *     heading (the text it is embedded as), as one field: true by default. One field keeps BM25's
     *     length normalisation and term saturation over the whole passage, as for an unsplit document,
     *     instead of scoring the short title separately and adding the scores (which over-weights
     *     title words; Robertson, Zaragoza and Taylor, "Simple BM25 extension to multiple weighted
     *     fields", 2004). Stored chunk text and spans are unaffected. False indexes the chunk text only.
     * @return this
     */
    public Builder contextualText(boolean contextual) {
      this.contextual = contextual;
      return this;
    }

    /**
     * @param boost weight of an extra, separately scored match on the title field relative to the
     *     text field in BM25; 0 (the default) scores titles only through {@link
     *     #contextualText(boolean) the contextual text}
     * @return this
     */
    public Builder titleBoost(float boost) {
      if (!(boost >= 0)) {
        throw new IllegalArgumentException("titleBoost must be >= 0, was " + boost);
      }
      this.titleBoost = boost;
      return this;
    }

    /**
     * @return the index, opened (and created when absent)
     * @throws ConfigurationException when the folder was built with another embedding model
     */
    public LuceneRagIndex build() {
      try {
        return new LuceneRagIndex(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open index " + path, e);
      }
    }
  }
}
