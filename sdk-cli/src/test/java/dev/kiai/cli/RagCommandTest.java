package dev.kiai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RagCommandTest {
  @TempDir Path dir;

  private static final String DOCS = String.join("\n",
      "{\"id\":\"cats\",\"title\":\"Cats\",\"text\":\"Cats are small domestic felines that sleep a lot.\",\"metadata\":{\"topic\":\"pets\"}}",
      "{\"id\":\"tax\",\"title\":\"Taxes\",\"text\":\"File the tax return before April to avoid a penalty.\",\"metadata\":{\"topic\":\"money\"}}",
      "{\"id\":\"bad\"}",
      "{\"id\":\"dogs\",\"text\":\"Dogs are loyal domestic animals that need walks.\"}") + "\n";

  @Test
  void indexesIncrementallyAndQueriesWithRankedDocIds() throws Exception {
    Path index = dir.resolve("idx");
    CliRun first = CliRun.run(DOCS, "rag", "index", "--index", index.toString());
    assertThat(first.exitCode()).isZero();
    assertThat(first.outLines()).containsExactly(
        "{\"id\":\"cats\",\"status\":\"added\",\"chunks\":1}",
        "{\"id\":\"tax\",\"status\":\"added\",\"chunks\":1}",
        "{\"id\":\"bad\",\"error\":\"missing \\\"text\\\" (a string)\"}",
        "{\"id\":\"dogs\",\"status\":\"added\",\"chunks\":1}");
    assertThat(first.err()).contains("kiai rag index: 4 lines, 3 ok, 1 errors")
        .contains("3 added, 0 updated, 0 unchanged, 0 deleted; 3 chunks written, 3 chunks in the index");

    String changed = "{\"id\":\"cats\",\"title\":\"Cats\",\"text\":\"Cats are small domestic felines that sleep a lot.\",\"metadata\":{\"topic\":\"pets\"}}\n"
        + "{\"id\":\"dogs\",\"text\":\"Dogs are loyal animals that love frisbees.\"}\n";
    Path docs = dir.resolve("docs.jsonl");
    Files.writeString(docs, changed);
    CliRun second = CliRun.run("", "rag", "index", "--docs", docs.toString(), "--index", index.toString());
    assertThat(second.outLines()).containsExactly("{\"id\":\"cats\",\"status\":\"unchanged\",\"chunks\":1}",
        "{\"id\":\"dogs\",\"status\":\"updated\",\"chunks\":1}");
    assertThat(second.err()).contains("0 added, 1 updated, 1 unchanged, 1 deleted; 1 chunks written, 2 chunks in the index");

    CliRun q = CliRun.run("{\"id\":1,\"query\":\"domestic felines\"}\n{\"id\":2,\"query\":\"tax return\"}\n{\"id\":3}\n",
        "rag", "query", "--index", index.toString(), "--k", "5", "--mode", "bm25");
    assertThat(q.exitCode()).isZero();
    assertThat(q.outLines()).hasSize(3);
    assertThat(q.outLines().get(0)).startsWith("{\"id\":1,\"results\":[{\"doc\":\"cats\",\"chunk\":\"cats#0\",\"score\":");
    assertThat(q.outLines().get(1)).isEqualTo("{\"id\":2,\"results\":[]}");
    assertThat(q.outLines().get(2)).isEqualTo("{\"id\":3,\"error\":\"missing \\\"query\\\" (a string)\"}");

    CliRun filtered = CliRun.run("{\"id\":\"f\",\"query\":\"domestic\"}\n", "rag", "query", "--index", index.toString(),
        "--mode", "bm25", "--filter", "topic=pets");
    assertThat(filtered.outLines().get(0)).contains("\"doc\":\"cats\"").doesNotContain("dogs");

    CliRun withContext = CliRun.run("{\"id\":\"c\",\"query\":\"domestic felines\"}\n", "rag", "query", "--index",
        index.toString(), "--mode", "bm25", "--k", "1", "--context-tokens", "500");
    assertThat(withContext.outLines().get(0)).contains("\"context\":{\"system\":\"Answer the question using only the sources below.")
        .contains("<source id=\\\"1\\\" title=\\\"Cats\\\">\\nCats are small domestic felines that sleep a lot.\\n</source>")
        .contains("\"sources\":[{\"n\":1,\"chunk\":\"cats#0\",\"text\":\"Cats are small domestic felines that sleep a lot.\"}]");
  }

  @Test
  void evalScoresRunsAgainstJudgements() throws Exception {
    Path qrels = dir.resolve("qrels.jsonl");
    Files.writeString(qrels, "{\"id\":\"1\",\"relevant\":[\"a\",\"c\"]}\n");
    CliRun r = CliRun.run("{\"id\":\"1\",\"results\":[{\"doc\":\"a\"},{\"doc\":\"b\"},{\"doc\":\"c\"}]}\n"
        + "{\"id\":\"2\",\"results\":[]}\n", "rag", "eval", "--qrels", qrels.toString());
    assertThat(r.exitCode()).isZero();
    double ndcg = (1 + 0.5) / (1 + 1 / (Math.log(3) / Math.log(2)));
    assertThat(r.outLines().get(0)).isEqualTo("{\"id\":\"1\",\"ndcg\":" + ndcg + ",\"ap\":0.8333333333333333,\"recall\":1.0,\"relevant\":2}");
    assertThat(r.outLines().get(1)).isEqualTo("{\"id\":\"2\",\"error\":\"no judgements for id \\\"2\\\"\"}");
    assertThat(r.err()).contains("kiai rag eval: 1 judged queries: nDCG@10=" + String.format(java.util.Locale.ROOT, "%.4f", ndcg)
        + " MAP=0.8333 recall@100=1.0000");
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(CliRun.run("", "rag", "query", "--index", dir.resolve("none").toString()).exitCode()).isEqualTo(2);
    CliRun vector = CliRun.run("{\"id\":\"a\",\"text\":\"x y z\"}\n", "rag", "index", "--index", dir.resolve("i").toString());
    assertThat(vector.exitCode()).isZero();
    CliRun r = CliRun.run("", "rag", "query", "--index", dir.resolve("i").toString(), "--mode", "hybrid");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--mode hybrid needs vectors, but the index at").contains("was built without --embeddings");
    assertThat(CliRun.run("", "rag", "query", "--index", dir.resolve("i").toString(), "--mode", "fuzzy").err())
        .contains("unknown --mode 'fuzzy'; known: bm25, vector, hybrid");
    assertThat(CliRun.run("", "rag", "index", "--index", dir.resolve("j").toString(), "--embeddings", "magic").exitCode())
        .isEqualTo(2);
    assertThat(CliRun.run("", "rag", "index", "--index", dir.resolve("k").toString(), "--embeddings", "magic").err())
        .contains("unknown embedding model 'magic'; known: none, minilm");
    assertThat(CliRun.run("", "rag").exitCode()).isEqualTo(2);
  }
}
