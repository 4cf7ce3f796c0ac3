package dev.kiai.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.error.ConfigurationException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The pgvector store against a real PostgreSQL with the {@code vector} extension, reached through the
 * JDBC URL in {@code KIAI_PG_URL} (see README, "PostgreSQL + pgvector"). Skipped when it is not set or
 * the database is not reachable.
 */
class PgVectorStoreTest {

  private static String url() {
    String url = System.getenv("KIAI_PG_URL");
    Assumptions.assumeTrue(url != null && !url.isBlank(),
        "skipped: set KIAI_PG_URL=jdbc:postgresql://host:port/db?user=...&password=... to a PostgreSQL with pgvector");
    try (Connection c = DriverManager.getConnection(url)) {
      Assumptions.assumeTrue(c.isValid(5), "skipped: PostgreSQL at KIAI_PG_URL did not answer");
      return url;
    } catch (SQLException e) {
      Assumptions.abort("skipped: PostgreSQL at KIAI_PG_URL not reachable: " + e.getMessage());
      return null;
    }
  }

  @Test
  void literalsAndTsQueries() {
    assertThat(PgVectorStore.vectorLiteral(new float[] {0.5f, -1f, 2.25f})).isEqualTo("[0.5,-1.0,2.25]");
    assertThat(PgVectorStore.parseVector("[0.5,-1,2.25]")).containsExactly(0.5f, -1f, 2.25f);
    assertThat(PgVectorStore.orQuery("What's the (refund) window? 30 days!")).isEqualTo("what | s | the | refund | window | 30 | days");
    assertThat(PgVectorStore.orQuery("&|!")).isEmpty();
    assertThatThrownBy(() -> PgVectorStore.builder().table("Bad-Name")).hasMessageContaining("table must match");
  }

  @Test
  void sameContractAsTheLuceneIndex() throws Exception {
    String url = url();
    String table = "kiai_test_" + Long.toHexString(System.nanoTime());
    try (PgVectorStore store = PgVectorStore.builder().url(url).table(table).embeddingModel(new HashingEmbeddingModel(64))
        .build()) {
      IngestReport first = store.upsert(LuceneRagIndexTest.corpus());
      assertThat(first.added()).containsExactly("cats", "dogs", "tax", "budget");
      assertThat(first.chunksWritten()).isEqualTo(4);
      List<Document> next = new ArrayList<>(LuceneRagIndexTest.corpus());
      next.set(1, Document.builder("dogs").title("Dogs").metadata("topic", "pets")
          .text("Dogs are loyal domestic animals. A dog enjoys fetching frisbees in the park.").build());
      next.remove(3);
      IngestReport second = store.sync(next);
      assertThat(second.added()).isEmpty();
      assertThat(second.updated()).containsExactly("dogs");
      assertThat(second.unchanged()).containsExactly("cats", "tax");
      assertThat(second.deleted()).containsExactly("budget");
      assertThat(second.chunksWritten()).isEqualTo(1);
      assertThat(store.documents().keySet()).containsExactlyInAnyOrder("cats", "dogs", "tax");
      assertThat(store.search(SearchRequest.builder("income expenses").mode(SearchMode.BM25).build())).isEmpty();

      List<ScoredChunk> frisbee = store.search(SearchRequest.builder("frisbee").mode(SearchMode.BM25).build());
      assertThat(frisbee).hasSize(1);
      Chunk dog = frisbee.get(0).chunk();
      assertThat(dog.id()).isEqualTo("dogs#0");
      assertThat(dog.text()).isEqualTo(next.get(1).text().substring(dog.start(), dog.end()));
      assertThat(dog.metadata()).containsEntry("topic", "pets");
      assertThat(frisbee.get(0).lexicalRank()).isEqualTo(1);
      assertThat(frisbee.get(0).vectorRank()).isZero();

      List<ScoredChunk> bm25 = store.search(SearchRequest.builder("domestic felines").mode(SearchMode.BM25).build());
      assertThat(bm25).extracting(r -> r.chunk().documentId()).containsExactly("cats", "dogs");
      List<ScoredChunk> hybrid = store.search(SearchRequest.builder("domestic cat").k(3).build());
      assertThat(hybrid.get(0).chunk().documentId()).isEqualTo("cats");
      assertThat(hybrid.get(0).score()).isEqualTo(2.0 / 61);
      assertThat(store.search(SearchRequest.builder("cat").filter("topic", "finance").build()))
          .extracting(r -> r.chunk().documentId()).containsExactly("tax");
      assertThat(store.search(SearchRequest.builder("pets").mode(SearchMode.VECTOR).k(2).mmr(0.5).build())).hasSize(2);
      // weighted fusion runs in Java over the two SQL lists; the same chunk wins
      List<ScoredChunk> weighted = store.search(SearchRequest.builder("domestic cat").k(3).fusion(Fusion.weighted(0.5)).build());
      assertThat(weighted.get(0).chunk().documentId()).isEqualTo("cats");
      assertThat(weighted.get(0).score()).isEqualTo(1.0);
      assertThat(store.delete(List.of("tax", "nope"))).containsExactly("tax");
      assertThat(store.search(SearchRequest.builder("tax").mode(SearchMode.BM25).build())).isEmpty();
    }
    try {
      assertThatThrownBy(() -> PgVectorStore.builder().url(url).table(table).embeddingModel(new HashingEmbeddingModel(32))
          .build()).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("holds vectors of embedding model 'test-hashing-64' but the store is opened with 'test-hashing-32'");
    } finally {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table + "_chunks");
        s.execute("DROP TABLE IF EXISTS " + table + "_docs");
      }
    }
  }
}
