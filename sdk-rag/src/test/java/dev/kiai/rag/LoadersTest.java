package dev.kiai.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.error.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadersTest {
  @TempDir Path dir;

  @Test
  void htmlKeepsHeadingsParagraphsAndListsAndDropsScripts() {
    String html = "<html><head><title>Refunds &amp; returns</title><style>p{}</style></head><body>"
        + "<nav>Home</nav><h1>Refund policy</h1><p>You can return items\n   within <b>30</b> days.</p>"
        + "<script>alert('x')</script><h2>Exceptions</h2><ul><li>Gift cards</li><li>Sale&nbsp;items &#8211; final</li></ul>"
        + "<!-- hidden --><p>Contact us<br>by mail.</p></body></html>";
    Document d = Loaders.html("refunds", html, "https://example.com/refunds");

    assertThat(d.title()).isEqualTo("Refunds & returns");
    assertThat(d.text()).isEqualTo("Home\n\n# Refund policy\n\nYou can return items within 30 days.\n\n"
        + "## Exceptions\n\n- Gift cards\n\n- Sale items \u2013 final\n\nContact us\nby mail.");
    assertThat(d.sourceUri()).isEqualTo("https://example.com/refunds");
    List<Chunk> chunks = Chunker.create().chunk(d);
    assertThat(chunks).extracting(Chunk::section).containsExactly("", "Refund policy", "Refund policy > Exceptions");
  }

  @Test
  void filesGetIdsTitlesSourcesAndModificationTimes() throws Exception {
    Files.writeString(dir.resolve("a.md"), "# Alpha doc\n\nText.");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/b.txt"), "plain");
    Files.writeString(dir.resolve("c.html"), "<h1>Gamma</h1><p>g</p>");
    Files.writeString(dir.resolve("d.jsonl"),
        "{\"id\":\"r1\",\"text\":\"one\",\"metadata\":{\"lang\":\"en\",\"year\":2024},\"updated_at\":\"2024-01-02T03:04:05Z\"}\n\n"
            + "{\"id\":\"r2\",\"title\":\"Two\",\"text\":\"two\",\"source\":\"s://2\"}\n");
    Files.writeString(dir.resolve("ignored.bin"), "x");
    Files.setLastModifiedTime(dir.resolve("a.md"), java.nio.file.attribute.FileTime.from(Instant.parse("2025-05-05T00:00:00Z")));

    List<Document> docs = Loaders.directory(dir);

    assertThat(docs).extracting(Document::id).containsExactly("a.md", "c.html", "r1", "r2", "sub/b.txt");
    assertThat(docs).extracting(Document::title).containsExactly("Alpha doc", "Gamma", "", "Two", "b");
    assertThat(docs.get(0).updatedAt()).isEqualTo(Instant.parse("2025-05-05T00:00:00Z"));
    assertThat(docs.get(0).sourceUri()).isEqualTo(dir.resolve("a.md").toUri().toString());
    assertThat(docs.get(1).text()).isEqualTo("# Gamma\n\ng");
    assertThat(docs.get(2).metadata()).isEqualTo(Map.of("lang", "en", "year", "2024"));
    assertThat(docs.get(2).updatedAt()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    assertThat(docs.get(3).sourceUri()).isEqualTo("s://2");
  }

  @Test
  void badJsonlLineIsNamed() throws Exception {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(f, "{\"id\":\"ok\",\"text\":\"t\"}\n{\"id\":\"x\"}\n");
    assertThatThrownBy(() -> Loaders.jsonl(f)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("line 2").hasMessageContaining("missing \"text\"");
  }

  @Test
  void hashDependsOnContentNotOnTime() {
    Document a = Document.builder("x").title("T").text("body").updatedAt(Instant.EPOCH).build();
    Document b = Document.builder("x").title("T").text("body").updatedAt(Instant.now()).build();
    Document c = Document.builder("x").title("T").text("body!").build();
    Document d = Document.builder("x").title("T").text("body").metadata("k", "v").build();
    assertThat(a.contentHash()).isEqualTo(b.contentHash()).hasSize(64);
    assertThat(c.contentHash()).isNotEqualTo(a.contentHash());
    assertThat(d.contentHash()).isNotEqualTo(a.contentHash());
    Instant now = Instant.parse("2025-01-11T00:00:00Z");
    Document old = Document.builder("o").text("t").updatedAt(Instant.parse("2025-01-01T00:00:00Z")).build();
    assertThat(old.freshness(now, java.time.Duration.ofDays(10))).isEqualTo(0.5);
    assertThat(old.freshness(Instant.parse("2024-01-01T00:00:00Z"), java.time.Duration.ofDays(10))).isEqualTo(1.0);
  }
}
