package dev.kiai.rag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.core.error.ConfigurationException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link RagIndex} in PostgreSQL with the <a href="https://github.com/pgvector/pgvector">pgvector</a>
 * extension, for corpora that outgrow one JVM or must be shared by several.
 *
 * <p>Two tables per store, named from a {@link Builder#table prefix}: {@code <prefix>_docs}
 * (id, content hash, updated_at, chunk count) and {@code <prefix>_chunks} (the chunk, its metadata as
 * {@code jsonb}, its embedding as {@code vector(d)} with an HNSW index for cosine distance, and a
 * generated {@code tsvector} (English configuration, title weighted A) with a GIN index). The lexical
 * side is PostgreSQL full-text search ranked by {@code ts_rank_cd} over the query's words OR-ed
 * together — PostgreSQL has no BM25, so lexical scores differ from {@link LuceneRagIndex}'s. Hybrid
 * search with {@link Fusion#rrf() RRF} fuses both sides in one SQL statement; weighted fusion, MMR
 * and per-document collapsing run in Java on the candidates. Metadata filters are {@code jsonb}
 * containment ({@code metadata @> filter}).
 *
 * <p>Each call opens its own connection from the {@link ConnectionFactory}; writes run in one
 * transaction per document and are serialised within this instance. Thread-safe.
 */
public final class PgVectorStore implements RagIndex {
  private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,40}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Opens JDBC connections, e.g. {@code () -> DriverManager.getConnection(url)} or a pool's {@code getConnection}. */
  @FunctionalInterface
  public interface ConnectionFactory {
    /**
     * @return a new connection, closed by the store after use
     * @throws SQLException when none can be opened
     */
    Connection open() throws SQLException;
  }

  private final ConnectionFactory connections;
  private final String docs;
  private final String chunks;
  private final EmbeddingModel embeddings;
  private final Chunker chunker;
  private final Object writeLock = new Object();

  private PgVectorStore(Builder b) {
    this.connections = b.connections;
    this.docs = b.table + "_docs";
    this.chunks = b.table + "_chunks";
    this.embeddings = b.embeddings;
    this.chunker = b.chunker == null ? Chunker.create() : b.chunker;
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  private void createSchema() {
    int dims = embeddings.dimensions();
    try (Connection c = connections.open(); Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS vector");
      s.execute("CREATE TABLE IF NOT EXISTS " + docs + " (doc_id text PRIMARY KEY, content_hash text NOT NULL, "
          + "updated_at timestamptz NOT NULL, chunks int NOT NULL, embedding_model text NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS " + chunks + " (chunk_id text PRIMARY KEY, "
          + "doc_id text NOT NULL REFERENCES " + docs + "(doc_id) ON DELETE CASCADE, idx int NOT NULL, "
          + "title text NOT NULL, body text NOT NULL, section text NOT NULL, source text NOT NULL, "
          + "start_pos int NOT NULL, end_pos int NOT NULL, tokens int NOT NULL, metadata jsonb NOT NULL, "
          + "embedding vector(" + dims + ") NOT NULL, "
          + "tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A') || "
          + "to_tsvector('english', body)) STORED)");
      s.execute("CREATE INDEX IF NOT EXISTS " + chunks + "_hnsw ON " + chunks + " USING hnsw (embedding vector_cosine_ops)");
      s.execute("CREATE INDEX IF NOT EXISTS " + chunks + "_tsv ON " + chunks + " USING gin (tsv)");
      s.execute("CREATE INDEX IF NOT EXISTS " + chunks + "_meta ON " + chunks + " USING gin (metadata jsonb_path_ops)");
      s.execute("CREATE INDEX IF NOT EXISTS " + chunks + "_doc ON " + chunks + " (doc_id)");
      try (ResultSet r = s.executeQuery("SELECT DISTINCT embedding_model FROM " + docs)) {
        while (r.next()) {
          if (!r.getString(1).equals(embeddings.modelId())) {
            throw new ConfigurationException("table " + docs + " holds vectors of embedding model '" + r.getString(1)
                + "' but the store is opened with '" + embeddings.modelId() + "'; use another table prefix or re-index");
          }
        }
      }
    } catch (SQLException e) {
      throw new ConfigurationException("cannot set up pgvector tables " + docs + "/" + chunks + ": " + e.getMessage(), e);
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
    synchronized (writeLock) {
      Map<String, DocumentState> states = documents();
      Set<String> seen = new HashSet<>();
      try (Connection c = connections.open()) {
        c.setAutoCommit(false);
        for (Document d : documents) {
          seen.add(d.id());
          DocumentState old = states.get(d.id());
          if (old != null && old.contentHash().equals(d.contentHash())) {
            unchanged.add(d.id());
            continue;
          }
          List<Chunk> cs = chunker.chunk(d);
          List<float[]> vectors = cs.isEmpty() ? List.of()
              : embeddings.embedAll(cs.stream().map(LuceneRagIndex::embeddingText).toList());
          try (PreparedStatement del = c.prepareStatement("DELETE FROM " + docs + " WHERE doc_id = ?");
              PreparedStatement doc = c.prepareStatement("INSERT INTO " + docs
                  + " (doc_id, content_hash, updated_at, chunks, embedding_model) VALUES (?, ?, ?, ?, ?)");
              PreparedStatement ins = c.prepareStatement("INSERT INTO " + chunks + " (chunk_id, doc_id, idx, title, body, "
                  + "section, source, start_pos, end_pos, tokens, metadata, embedding) "
                  + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::vector)")) {
            del.setString(1, d.id());
            del.executeUpdate();
            doc.setString(1, d.id());
            doc.setString(2, d.contentHash());
            doc.setTimestamp(3, Timestamp.from(d.updatedAt()));
            doc.setInt(4, cs.size());
            doc.setString(5, embeddings.modelId());
            doc.executeUpdate();
            for (int i = 0; i < cs.size(); i++) {
              Chunk ch = cs.get(i);
              ins.setString(1, ch.id());
              ins.setString(2, ch.documentId());
              ins.setInt(3, ch.index());
              ins.setString(4, ch.title());
              ins.setString(5, ch.text());
              ins.setString(6, ch.section());
              ins.setString(7, ch.sourceUri());
              ins.setInt(8, ch.start());
              ins.setInt(9, ch.end());
              ins.setInt(10, ch.tokens());
              ins.setString(11, JSON.writeValueAsString(ch.metadata()));
              ins.setString(12, vectorLiteral(vectors.get(i)));
              ins.addBatch();
            }
            ins.executeBatch();
          }
          c.commit();
          written += cs.size();
          (old == null ? added : updated).add(d.id());
        }
        if (deleteOthers) {
          List<String> gone = states.keySet().stream().filter(id -> !seen.contains(id)).sorted().toList();
          deleted.addAll(delete(c, gone));
          c.commit();
        }
      } catch (SQLException | JsonProcessingException e) {
        throw new IllegalStateException("writing to " + chunks + " failed: " + e.getMessage(), e);
      }
    }
    return new IngestReport(added, updated, unchanged, deleted, written, 0);
  }

  @Override
  public List<String> delete(Collection<String> documentIds) {
    synchronized (writeLock) {
      try (Connection c = connections.open()) {
        return delete(c, documentIds);
      } catch (SQLException e) {
        throw new IllegalStateException("deleting from " + docs + " failed: " + e.getMessage(), e);
      }
    }
  }

  private List<String> delete(Connection c, Collection<String> ids) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement del = c.prepareStatement("DELETE FROM " + docs + " WHERE doc_id = ?")) {
      for (String id : ids) {
        del.setString(1, id);
        if (del.executeUpdate() > 0) {
          out.add(id);
        }
      }
    }
    return out;
  }

  @Override
  public Map<String, DocumentState> documents() {
    Map<String, DocumentState> out = new LinkedHashMap<>();
    try (Connection c = connections.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT doc_id, content_hash, updated_at, chunks FROM " + docs + " ORDER BY doc_id")) {
      while (r.next()) {
        out.put(r.getString(1), new DocumentState(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant(), r.getInt(4)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + docs + " failed: " + e.getMessage(), e);
    }
    return Map.copyOf(out);
  }

  private static final String COLUMNS = "c.chunk_id, c.doc_id, c.idx, c.body, c.start_pos, c.end_pos, c.title, c.section, "
      + "c.source, c.metadata::text, c.tokens, c.embedding::text";

  @Override
  public List<ScoredChunk> search(SearchRequest req) {
    Objects.requireNonNull(req, "req");
    String filter;
    try {
      filter = JSON.writeValueAsString(req.filter());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("filter cannot be written as JSON", e);
    }
    String tsquery = orQuery(req.query());
    int depth = req.depth();
    String lex = "SELECT chunk_id, row_number() OVER (ORDER BY s DESC, chunk_id) AS r, s FROM (SELECT chunk_id, "
        + "ts_rank_cd(tsv, q) AS s FROM " + chunks + ", to_tsquery('english', ?) q WHERE tsv @@ q AND metadata @> ?::jsonb "
        + "ORDER BY s DESC, chunk_id LIMIT ?) l";
    String vec = "SELECT chunk_id, row_number() OVER (ORDER BY d, chunk_id) AS r, 1 - d AS s FROM (SELECT chunk_id, "
        + "embedding <=> ?::vector AS d FROM " + chunks + " WHERE metadata @> ?::jsonb ORDER BY d LIMIT ?) v";
    Map<String, String> vectorsById = new java.util.HashMap<>();
    try (Connection c = connections.open()) {
      List<ScoredChunk> hits;
      String vector = req.mode() == SearchMode.BM25 ? null
          : vectorLiteral(req.queryVector() != null ? req.queryVector() : embeddings.embed(req.query()));
      if (req.mode() == SearchMode.HYBRID && req.fusion().kind() == Fusion.Kind.RRF) {
        String sql = "WITH lex AS (" + lex + "), vec AS (" + vec + ") SELECT " + COLUMNS + ", "
            + "COALESCE(1.0 / (? + lex.r), 0) + COALESCE(1.0 / (? + vec.r), 0) AS score, COALESCE(lex.r, 0), COALESCE(vec.r, 0) "
            + "FROM lex FULL OUTER JOIN vec USING (chunk_id) JOIN " + chunks + " c USING (chunk_id) "
            + "ORDER BY score DESC, LEAST(COALESCE(lex.r, 2147483647), COALESCE(vec.r, 2147483647)), c.chunk_id LIMIT ?";
        try (PreparedStatement p = c.prepareStatement(sql)) {
          int i = 1;
          p.setString(i++, tsquery);
          p.setString(i++, filter);
          p.setInt(i++, depth);
          p.setString(i++, vector);
          p.setString(i++, filter);
          p.setInt(i++, depth);
          p.setInt(i++, req.fusion().rrfK());
          p.setInt(i++, req.fusion().rrfK());
          p.setInt(i, depth * 2);
          hits = read(p, 13, vectorsById);
        }
      } else {
        List<ScoredChunk> lexical = req.mode() == SearchMode.VECTOR || tsquery.isEmpty() ? List.of()
            : side(c, lex, tsquery, filter, depth, true, vectorsById);
        List<ScoredChunk> dense = req.mode() == SearchMode.BM25 ? List.of() : side(c, vec, vector, filter, depth, false, vectorsById);
        Map<String, ScoredChunk> byId = new LinkedHashMap<>();
        lexical.forEach(h -> byId.put(h.chunk().id(), h));
        dense.forEach(h -> byId.putIfAbsent(h.chunk().id(), h));
        List<Ranking.Hit<String>> fused = switch (req.mode()) {
          case BM25 -> Ranking.single(entries(lexical), true);
          case VECTOR -> Ranking.single(entries(dense), false);
          case HYBRID -> Ranking.fuse(entries(lexical), entries(dense), req.fusion());
        };
        hits = new ArrayList<>();
        for (Ranking.Hit<String> h : fused) {
          hits.add(new ScoredChunk(byId.get(h.key()).chunk(), h.score(), h.lexicalRank(), h.vectorRank()));
        }
      }
      hits = Ranking.collapse(hits, req.maxChunksPerDocument());
      if (req.mmrLambda() != null && hits.size() > 1) {
        List<ScoredChunk> pool = hits;
        List<float[]> vectors = pool.stream().map(h -> parseVector(vectorsById.get(h.chunk().id()))).toList();
        List<Integer> picks = Ranking.mmr(pool.stream().map(ScoredChunk::score).toList(), req.k(), req.mmrLambda(),
            (a, b) -> Math.max(0, Ranking.cosine(vectors.get(a), vectors.get(b))));
        hits = picks.stream().map(pool::get).toList();
      }
      return List.copyOf(hits.subList(0, Math.min(req.k(), hits.size())));
    } catch (SQLException e) {
      throw new IllegalStateException("searching " + chunks + " failed: " + e.getMessage(), e);
    }
  }

  private List<ScoredChunk> side(Connection c, String cte, String first, String filter, int depth, boolean lexical,
      Map<String, String> vectors) throws SQLException {
    String sql = "WITH x AS (" + cte + ") SELECT " + COLUMNS + ", x.s, x.r FROM x JOIN " + chunks
        + " c USING (chunk_id) ORDER BY x.r";
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, first);
      p.setString(2, filter);
      p.setInt(3, depth);
      List<ScoredChunk> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          int rank = r.getInt(14);
          out.add(new ScoredChunk(chunk(r, vectors), r.getDouble(13), lexical ? rank : 0, lexical ? 0 : rank));
        }
      }
      return out;
    }
  }

  private static List<Map.Entry<String, Double>> entries(List<ScoredChunk> hits) {
    return hits.stream().map(h -> Map.entry(h.chunk().id(), h.score())).toList();
  }

  private static List<ScoredChunk> read(PreparedStatement p, int scoreColumn, Map<String, String> vectors)
      throws SQLException {
    List<ScoredChunk> out = new ArrayList<>();
    try (ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.add(new ScoredChunk(chunk(r, vectors), r.getDouble(scoreColumn), r.getInt(scoreColumn + 1), r.getInt(scoreColumn + 2)));
      }
    }
    return out;
  }

  /** Reads a chunk row; its vector (column 12, pgvector text form) goes to {@code vectors} for MMR. */
  private static Chunk chunk(ResultSet r, Map<String, String> vectors) throws SQLException {
    Map<String, String> meta;
    try {
      meta = new LinkedHashMap<>(JSON.readValue(r.getString(10), new TypeReference<Map<String, String>>() {}));
    } catch (JsonProcessingException e) {
      throw new SQLException("metadata of chunk " + r.getString(1) + " is not a JSON object of strings", e);
    }
    vectors.put(r.getString(1), r.getString(12));
    return new Chunk(r.getString(1), r.getString(2), r.getInt(3), r.getString(4), r.getInt(5), r.getInt(6), r.getString(7),
        r.getString(8), r.getString(9), meta, r.getInt(11));
  }

  /** The query's words OR-ed for {@code to_tsquery}; PostgreSQL stems them and drops stop words. */
  static String orQuery(String query) {
    List<String> words = new ArrayList<>();
    for (String w : query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty() && words.size() < 256) {
        words.add(w);
      }
    }
    return String.join(" | ", words);
  }

  static String vectorLiteral(float[] v) {
    StringBuilder sb = new StringBuilder(v.length * 10).append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(v[i]);
    }
    return sb.append(']').toString();
  }

  static float[] parseVector(String literal) {
    String body = literal.strip();
    body = body.substring(1, body.length() - 1);
    if (body.isBlank()) {
      return new float[0];
    }
    String[] parts = body.split(",");
    float[] v = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      v[i] = Float.parseFloat(parts[i].strip());
    }
    return v;
  }

  /** Nothing to release: every call opens and closes its own connection. */
  @Override
  public void close() {
    // connections are per call; a pool behind the factory is the caller's to close
  }

  /** Configures a {@link PgVectorStore}. */
  public static final class Builder {
    private ConnectionFactory connections;
    private String table = "kiai_rag";
    private EmbeddingModel embeddings;
    private Chunker chunker;

    private Builder() {}

    /**
     * @param jdbcUrl e.g. {@code jdbc:postgresql://localhost:5432/kiai?user=kiai&password=...}
     * @return this
     */
    public Builder url(String jdbcUrl) {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      this.connections = () -> DriverManager.getConnection(jdbcUrl);
      return this;
    }

    /**
     * @param connections opens connections (a pool's {@code getConnection}, for instance)
     * @return this
     */
    public Builder connections(ConnectionFactory connections) {
      this.connections = Objects.requireNonNull(connections, "connections");
      return this;
    }

    /**
     * @param prefix table name prefix: lower-case letters, digits and {@code _}; {@code kiai_rag} by default
     * @return this
     */
    public Builder table(String prefix) {
      if (prefix == null || !TABLE.matcher(prefix).matches()) {
        throw new IllegalArgumentException("table must match [a-z_][a-z0-9_]{0,40}, was " + prefix);
      }
      this.table = prefix;
      return this;
    }

    /**
     * @param model embeds chunks and queries (required: the tables store vectors)
     * @return this
     */
    public Builder embeddingModel(EmbeddingModel model) {
      this.embeddings = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * @param chunker how documents are cut; {@link Chunker#create()} by default
     * @return this
     */
    public Builder chunker(Chunker chunker) {
      this.chunker = Objects.requireNonNull(chunker, "chunker");
      return this;
    }

    /**
     * Connects, creates the extension, tables and indexes when absent, and checks that existing
     * vectors come from the same embedding model.
     *
     * @return the store
     * @throws ConfigurationException when the database cannot be set up or holds another model's vectors
     */
    public PgVectorStore build() {
      if (connections == null) {
        throw new IllegalStateException("url or connections is required");
      }
      if (embeddings == null) {
        throw new IllegalStateException("embeddingModel is required");
      }
      PgVectorStore store = new PgVectorStore(this);
      store.createSchema();
      return store;
    }
  }
}
