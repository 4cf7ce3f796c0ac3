package dev.kiai.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiai.core.Kiai;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.pricing.PriceTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityRouterTest {

  /** Deterministic 8-dim embedding: one axis per keyword, plus a per-prompt hashed noise axis. */
  static final class KeywordEmbedding implements EmbeddingModel {
    private static final List<String> WORDS = List.of("proof", "integral", "theorem", "capital", "colour", "animal");

    @Override
    public float[] embed(String text) {
      float[] v = new float[8];
      for (int i = 0; i < WORDS.size(); i++) {
        if (text.contains(WORDS.get(i))) {
          v[i] = 1;
        }
      }
      v[6] = (text.hashCode() & 0xff) / 255f;
      v[7] = 0.5f;
      return v;
    }

    @Override
    public int dimensions() {
      return 8;
    }

    @Override
    public String modelId() {
      return "test-keywords-8";
    }
  }

  /** Prompts about maths need the strong model (the weak one fails 90 % of them); trivia does not. */
  static List<OutcomeExample> synthetic(int n, long seed) {
    return synthetic(n, seed, "strong", "weak");
  }

  static List<OutcomeExample> synthetic(int n, long seed, String strongModel, String weakModel) {
    Random rnd = new Random(seed);
    List<String> hard = List.of("proof", "integral", "theorem");
    List<String> easy = List.of("capital", "colour", "animal");
    List<OutcomeExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean isHard = i % 2 == 0;
      String word = (isHard ? hard : easy).get(rnd.nextInt(3));
      boolean weakOk = isHard ? rnd.nextDouble() < 0.1 : rnd.nextDouble() < 0.95;
      out.add(new OutcomeExample("question " + i + " about the " + word,
          Map.of(weakModel, weakOk ? 1.0 : 0.0, strongModel, 1.0)));
    }
    return out;
  }

  @Test
  void logisticAndKnnSeparateHardFromEasyPromptsAndBeatRandomOnHeldOutData() {
    List<OutcomeExample> train = synthetic(400, 1);
    List<OutcomeExample> test = synthetic(200, 2);
    for (QualityRouter.Method m : QualityRouter.Method.values()) {
      QualityRouter router = QualityRouter.train(train, new KeywordEmbedding(), "strong", "weak",
          QualityRouter.Training.defaults(m));
      double hard = router.score(new KeywordEmbedding().embed("what is the integral of x"));
      double easy = router.score(new KeywordEmbedding().embed("what colour is the sky"));
      assertThat(hard).as(m + " hard").isLessThan(0.3);
      assertThat(easy).as(m + " easy").isGreaterThan(0.8);

      double[] s = new double[test.size()];
      double[] w = new double[test.size()];
      double[] st = new double[test.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = router.score(new KeywordEmbedding().embed(test.get(i).prompt()));
        w[i] = test.get(i).score("weak");
        st[i] = test.get(i).score("strong");
      }
      RoutingCurve curve = RoutingCurve.of(s, w, st);
      // a perfect hard-first ranking reaches about 0.72 here (the gain is spread over half the prompts);
      // a random router about 0.5
      assertThat(curve.apgr()).as(m + " apgr").isGreaterThan(0.68);
      assertThat(router.calibrationSize()).isEqualTo(400);
      assertThat(router.calibrationCurve().apgr()).as(m + " calibration apgr").isGreaterThan(0.68);
    }
  }

  @Test
  void trainingIsDeterministicAndSurvivesSaveAndLoad(@TempDir Path dir) {
    List<OutcomeExample> train = synthetic(200, 3);
    QualityRouter a = QualityRouter.train(train, new KeywordEmbedding(), "strong", "weak",
        QualityRouter.Training.defaults(QualityRouter.Method.BLEND));
    QualityRouter b = QualityRouter.train(train, new KeywordEmbedding(), "strong", "weak",
        QualityRouter.Training.defaults(QualityRouter.Method.BLEND));
    float[] probe = new KeywordEmbedding().embed("a theorem about the capital");
    assertThat(a.score(probe)).isEqualTo(b.score(probe));

    Path file = dir.resolve("router.json");
    a.save(file);
    QualityRouter loaded = QualityRouter.load(file);
    assertThat(loaded.score(probe)).isCloseTo(a.score(probe), within(1e-6));
    assertThat(loaded.strongModel()).isEqualTo("strong");
    assertThat(loaded.weakModel()).isEqualTo("weak");
    assertThat(loaded.method()).isEqualTo(QualityRouter.Method.BLEND);
    assertThat(loaded.embeddingModelId()).isEqualTo("test-keywords-8");
    assertThat(loaded.thresholdForPremiumShare(0.5)).isCloseTo(a.thresholdForPremiumShare(0.5), within(1e-6));
  }

  @Test
  void thresholdsAreCalibratedToPremiumShareAndQuality() {
    QualityRouter router = QualityRouter.train(synthetic(400, 4), new KeywordEmbedding(), "strong", "weak",
        QualityRouter.Training.defaults(QualityRouter.Method.LOGISTIC));
    RoutingCurve cal = router.calibrationCurve();
    double t = router.thresholdForPremiumShare(0.5);
    // half the calibration prompts (the maths ones) score below the threshold
    List<OutcomeExample> probe = synthetic(400, 4);
    long below = probe.stream().filter(e -> router.score(new KeywordEmbedding().embed(e.prompt())) < t).count();
    assertThat(below).isBetween(180L, 220L);
    double share95 = cal.premiumShareForQuality(0.95);
    assertThat(share95).isBetween(0.4, 0.55);
    assertThat(router.thresholdForQuality(0.95)).isEqualTo(router.thresholdForPremiumShare(share95));
    assertThatThrownBy(() -> router.thresholdForPremiumShare(1.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("share must be within 0..1, was 1.5");
  }

  @Test
  void policyRoutesHardPromptsToTheStrongModelAndRefusesAnotherEmbeddingModel() {
    QualityRouter router = QualityRouter.train(synthetic(400, 5, "gpt-4.1", "gpt-4o-mini"), new KeywordEmbedding(), "gpt-4.1", "gpt-4o-mini",
        QualityRouter.Training.defaults(QualityRouter.Method.LOGISTIC));
    QualityRoutingPolicy policy = QualityRoutingPolicy.of(router, new KeywordEmbedding(), 0.5);
    FakeModel mini = FakeModel.answering("openai", "mini");
    FakeModel big = FakeModel.answering("openai", "big");
    try (RouterInterceptor r = RouterInterceptor.builder()
        .catalog(ModelCatalog.of(PriceTable.bundled(), "gpt-4o-mini", "gpt-4.1")).policy(policy).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big).interceptor(r).build()) {
      ChatResponse hard = kiai.chat(ChatRequest.of("prove this theorem"));
      ChatResponse easy = kiai.chat(ChatRequest.of("which animal barks"));

      assertThat(hard.text()).isEqualTo("big");
      assertThat(easy.text()).isEqualTo("mini");
      var routed = hard.trace().find("router").orElseThrow().attributes();
      assertThat(routed).containsEntry("policy", "learned").containsEntry("fallbacks", "gpt-4o-mini");
      assertThat(routed.get("reason")).startsWith("strong model likely needed (p_weak_ok 0.");
      assertThat(routed.get("scores")).contains("threshold=0.5000");
    }
    assertThatThrownBy(() -> QualityRoutingPolicy.of(router, new HashedLexicalEmbeddingModel(64), 0.5))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the router was trained with embedding model test-keywords-8 (8 dimensions) but was given "
            + "kiai-hashed-lexical-v1-64 (64 dimensions)");
  }

  @Test
  void routingCurveComputesApgrAndCptByHand() {
    // 4 prompts: weak fails #0 and #1; strong fails only #1. Scores rank #0 first, then #1.
    double[] scores = {0.1, 0.2, 0.8, 0.9};
    double[] weak = {0, 0, 1, 1};
    double[] strong = {1, 0, 1, 1};
    RoutingCurve c = RoutingCurve.of(scores, weak, strong);
    assertThat(c.weakQuality()).isEqualTo(0.5);
    assertThat(c.strongQuality()).isEqualTo(0.75);
    assertThat(c.premiumShareForPgr(0.5)).isEqualTo(0.25);
    assertThat(c.premiumShareForQuality(0.95)).isEqualTo(0.25);
    // PGR after 0..4 prompts: 0, 1, 1, 1, 1 -> trapezoids (0.5 + 1 + 1 + 1) / 4
    assertThat(c.apgr()).isEqualTo(0.875);
    double randomApgr = 0;
    for (int s = 0; s < 200; s++) {
      randomApgr += RoutingCurve.random(weak, strong, s).apgr() / 200;
    }
    assertThat(randomApgr).isCloseTo(0.5, within(0.05));
    assertThat(c.points(4)).extracting(RoutingCurve.Point::quality).containsExactly(0.5, 0.75, 0.75, 0.75, 0.75);
  }

  @Test
  void hashedLexicalEmbeddingIsDeterministicNormalisedAndNamed() {
    HashedLexicalEmbeddingModel m = new HashedLexicalEmbeddingModel(256);
    float[] a = m.embed("What is 2 + 2?\nA. 3\nB. 4");
    float[] b = m.embed("What is 2 + 2?\nA. 3\nB. 4");
    assertThat(a).containsExactly(b);
    double norm = 0;
    for (float x : a) {
      norm += x * x;
    }
    assertThat(norm).isCloseTo(1.0, within(1e-5));
    assertThat(m.modelId()).isEqualTo("kiai-hashed-lexical-v1-256");
    assertThat(HashedLexicalEmbeddingModel.fromModelId("kiai-hashed-lexical-v1-256").dimensions()).isEqualTo(256);
    assertThatThrownBy(() -> new HashedLexicalEmbeddingModel(100)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dimensions must be a power of two within 64..65536, was 100");
  }
}
