package dev.kiai.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.tokens.TokenCounter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private static final TokenCounter TOKENS = TokenCounter.create();

  @Test
  void everyChunkIsExactlyItsSpanOfTheDocument() {
    StringBuilder sb = new StringBuilder("# Guide\n\nIntro sentence one. Intro sentence two!\n\n## Setup\n\n");
    for (int i = 0; i < 40; i++) {
      sb.append("Step ").append(i).append(" installs the package number ").append(i).append(" on the server. ");
    }
    sb.append("\n\n## Usage\n\nRun it. Then stop it?\n");
    Document doc = Document.of("guide", "Guide", sb.toString());
    List<Chunk> chunks = Chunker.builder().targetTokens(64).overlapTokens(16).build().chunk(doc);

    assertThat(chunks.size()).isGreaterThan(4);
    for (Chunk c : chunks) {
      assertThat(c.text()).isEqualTo(doc.text().substring(c.start(), c.end()));
      assertThat(c.documentId()).isEqualTo("guide");
      assertThat(c.id()).isEqualTo("guide#" + c.index());
      assertThat(c.tokens()).isEqualTo(TOKENS.count("text-embedding-3-small", c.text()).tokens());
      assertThat(c.tokens()).isLessThanOrEqualTo(64);
    }
    assertThat(chunks.get(0).text()).isEqualTo("# Guide\n\nIntro sentence one. Intro sentence two!");
    assertThat(chunks.get(0).section()).isEqualTo("Guide");
    assertThat(chunks.get(1).text()).startsWith("## Setup\n\nStep 0 installs");
    assertThat(chunks.get(1).section()).isEqualTo("Guide > Setup");
    Chunk last = chunks.get(chunks.size() - 1);
    assertThat(last.text()).isEqualTo("## Usage\n\nRun it. Then stop it?");
    assertThat(last.section()).isEqualTo("Guide > Usage");
  }

  @Test
  void sizeSplitChunksOverlapByWholeTrailingSentences() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      sb.append("Sentence number ").append(i).append(" talks about topic ").append(i).append(". ");
    }
    Document doc = Document.of("d", null, sb.toString().strip());
    List<Chunk> chunks = Chunker.builder().targetTokens(40).overlapTokens(12).build().chunk(doc);

    assertThat(chunks).hasSizeGreaterThan(3);
    for (int i = 1; i < chunks.size(); i++) {
      Chunk prev = chunks.get(i - 1);
      Chunk next = chunks.get(i);
      assertThat(next.start()).isLessThan(prev.end()); // overlap
      assertThat(prev.text()).endsWith(doc.text().substring(next.start(), prev.end()));
      assertThat(next.text()).startsWith("Sentence number ");
    }
    assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(doc.text().length());
  }

  @Test
  void overLongSentenceIsCutAtWordBoundaries() {
    String words = "alpha beta gamma delta epsilon ".repeat(60).strip();
    Document doc = Document.of("long", null, words);
    List<Chunk> chunks = Chunker.builder().targetTokens(32).overlapTokens(0).build().chunk(doc);

    assertThat(chunks).hasSizeGreaterThan(5);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.tokens()).isLessThanOrEqualTo(32);
      assertThat(c.text()).doesNotStartWith(" ").doesNotEndWith(" ");
      assertThat(c.text()).isEqualTo(words.substring(c.start(), c.end()));
    });
    assertThat(String.join(" ", chunks.stream().map(Chunk::text).toList())).isEqualTo(words);
  }

  @Test
  void wholeDocumentKeepsOneTrimmedChunkAndBlankTextHasNone() {
    assertThat(Chunker.wholeDocument().chunk(Document.of("a", "T", "  one. two.\n"))).singleElement()
        .satisfies(c -> {
          assertThat(c.text()).isEqualTo("one. two.");
          assertThat(c.start()).isEqualTo(2);
          assertThat(c.end()).isEqualTo(11);
        });
    assertThat(Chunker.create().chunk(Document.of("b", null, " \n\n "))).isEmpty();
  }

  @Test
  void validatesSettingsByName() {
    assertThatThrownBy(() -> Chunker.builder().targetTokens(8)).hasMessageContaining("targetTokens");
    assertThatThrownBy(() -> Chunker.builder().targetTokens(32).overlapTokens(32).build())
        .hasMessageContaining("overlapTokens must be less than targetTokens (32)");
  }

  @Test
  void sentencesKeepAbbreviationsNumbersAndCitationMarkers() {
    String text = "Dr. Smith paid 3.5 USD, e.g. for tea [1]. J. Doe agreed [2, 3]! Why? Done";
    assertThat(Sentences.split(text).stream().map(s -> s.of(text)).toList()).containsExactly(
        "Dr. Smith paid 3.5 USD, e.g. for tea [1].", "J. Doe agreed [2, 3]!", "Why?", "Done");
  }
}
