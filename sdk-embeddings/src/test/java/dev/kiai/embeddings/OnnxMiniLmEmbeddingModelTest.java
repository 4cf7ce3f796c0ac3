package dev.kiai.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxMiniLmEmbeddingModelTest {
  private static OnnxMiniLmEmbeddingModel model;

  @BeforeAll
  static void load() {
    model = OnnxMiniLmEmbeddingModel.builder().threads(2).build();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static double cos(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double sim(String a, String b) {
    return cos(model.embed(a), model.embed(b));
  }

  @Test
  void vectorsHave384NormalisedDimensions() {
    float[] v = model.embed("How do I reset my password?");
    assertThat(v).hasSize(384);
    assertThat(cos(v, v)).isCloseTo(1.0, within(1e-5));
    assertThat(model.dimensions()).isEqualTo(384);
    assertThat(model.modelId()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(model.normalized()).isTrue();
    assertThat(model.maxTokens()).isEqualTo(256);
  }

  @Test
  void englishParaphrasesScoreHigherThanUnrelatedSentences() {
    double para = sim("How do I reset my password?", "How can I change my password?");
    double unrelated = sim("How do I reset my password?", "What is the capital of France?");
    assertThat(para).isGreaterThan(0.75);
    assertThat(unrelated).isLessThan(0.2);
    assertThat(sim("The cat sits on the mat.", "A cat is sitting on a mat."))
        .isGreaterThan(sim("The cat sits on the mat.", "Stock markets fell sharply today."));
  }

  @Test
  void germanParaphrasesScoreHigherThanUnrelatedSentences() {
    double para = sim("Wie setze ich mein Passwort zurück?", "Wie kann ich mein Passwort zurücksetzen?");
    double unrelated = sim("Wie setze ich mein Passwort zurück?", "Das Wetter in Berlin ist heute schön.");
    assertThat(para).isGreaterThan(unrelated + 0.3);
  }

  @Test
  void frenchAndSpanishParaphrasesScoreHigherThanUnrelatedSentences() {
    assertThat(sim("Quelle est la capitale de la France ?", "Quelle ville est la capitale de la France ?"))
        .isGreaterThan(sim("Quelle est la capitale de la France ?", "J'aime manger des pommes.") + 0.3);
    assertThat(sim("¿Dónde está la estación de tren?", "¿Dónde queda la estación de trenes?"))
        .isGreaterThan(sim("¿Dónde está la estación de tren?", "Mi perro come mucho.") + 0.3);
  }

  @Test
  void batchAndSingleResultsAreIdentical() {
    List<String> texts = List.of("How do I reset my password?", "What is the capital of France?",
        "Hello there friend", "I like cats a lot", "", "Wie setze ich mein Passwort zurück?");
    List<float[]> batch = model.embedAll(texts);
    assertThat(batch).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      assertThat(batch.get(i)).as(texts.get(i)).containsExactly(model.embed(texts.get(i)));
    }
  }

  @Test
  void emptyInputIsEmbedded() {
    float[] v = model.embed("");
    assertThat(cos(v, v)).isCloseTo(1.0, within(1e-5));
    assertThat(model.embedAll(List.of())).isEmpty();
  }

  @Test
  void hugeInputIsTruncatedAtTheModelLimit() {
    String head = "word ".repeat(20_000);
    float[] a = model.embed(head + "cats and dogs");
    float[] b = model.embed(head + "stock market crash");
    assertThat(a).containsExactly(b);
    OnnxMiniLmEmbeddingModel longer = OnnxMiniLmEmbeddingModel.builder().maxTokens(512).threads(1).build();
    try {
      assertThat(longer.maxTokens()).isEqualTo(512);
      assertThat(cos(longer.embed("alpha ".repeat(300) + "zebra"), longer.embed("alpha ".repeat(300) + "rocket")))
          .isLessThan(0.99999);
      assertThat(longer.embed("alpha ".repeat(600) + "zebra")).containsExactly(longer.embed("alpha ".repeat(600)));
    } finally {
      longer.close();
    }
  }

  @Test
  void concurrentCallersGetTheSameVectorsAsOneCaller() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      texts.add("Question number " + i + " about " + (i % 3 == 0 ? "billing" : "shipping"));
    }
    List<float[]> expected = new ArrayList<>();
    for (String t : texts) {
      expected.add(model.embed(t));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (String t : texts) {
          futures.add(pool.submit(() -> model.embed(t)));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get()).containsExactly(expected.get(i % texts.size()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closedModelRefusesWork() {
    OnnxMiniLmEmbeddingModel m = OnnxMiniLmEmbeddingModel.builder().threads(1).build();
    m.close();
    m.close();
    assertThatThrownBy(() -> m.embed("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void builderNamesTheBadField() {
    assertThatThrownBy(() -> OnnxMiniLmEmbeddingModel.builder().maxTokens(513))
        .hasMessage("maxTokens must be within 2..512, was 513");
    assertThatThrownBy(() -> OnnxMiniLmEmbeddingModel.builder().threads(0))
        .hasMessage("threads must be >= 1, was 0");
  }

  /**
   * Surefire points DJL at an empty cache folder under target/. With offline mode on (set by the model),
   * DJL cannot download, so the tokenizer's native library found there was extracted from the jar.
   */
  @Test
  void tokenizerNativeLibraryComesFromTheJarWithDownloadsOff() throws IOException {
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    Path cache = Path.of(System.getProperty("DJL_CACHE_DIR"));
    try (Stream<Path> files = Files.walk(cache)) {
      assertThat(files.map(p -> p.getFileName().toString())).contains("libtokenizers.so");
    }
  }
}
