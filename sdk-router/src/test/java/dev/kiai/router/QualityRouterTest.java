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

  /**
   * Weak and strong both fail the "riddle" prompts and both pass the trivia; only the "integral" prompts
   * separate them. A router of P(weak as good as strong) sees no difference between riddles and trivia;
   * the expected gain P(strong) - P(weak) ranks the integrals first.
   */
  static List<OutcomeExample> threeKinds(int n, long seed) {
    Random rnd = new Random(seed);
    List<OutcomeExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int kind = i % 3;
      String word = kind == 0 ? "integral" : kind == 1 ? "proof" : "capital";
      double weak = kind == 0 ? (rnd.nextDouble() < 0.2 ? 1 : 0) : kind == 1 ? 0 : 1;
      double strong = kind == 0 ? 1 : kind == 1 ? 0 : 1;
      out.add(new OutcomeExample("question " + i + " about the " + word, Map.of("weak", weak, "strong", strong)));
    }
    return out;
  }

  @Test
  void gainTargetRanksByExpectedAdvantageOfTheStrongModel(@TempDir Path dir) {
    List<OutcomeExample> train = threeKinds(300, 1);
    KeywordEmbedding e = new KeywordEmbedding();
    for (QualityRouter.Method m : QualityRouter.Method.values()) {
      QualityRouter gain = QualityRouter.train(train, e, "strong", "weak",
          QualityRouter.Training.defaults(m).withTarget(QualityRouter.Target.GAIN));
      double integral = gain.score(e.embed("an integral"));
      double proof = gain.score(e.embed("a proof"));
      double capital = gain.score(e.embed("a capital"));
      // P(strong) - P(weak): integral about 0.8, proof and capital about 0 -> scores about 0.1, 0.5, 0.5
      assertThat(integral).as(m + " integral").isLessThan(0.25);
      assertThat(proof).as(m + " proof").isBetween(0.4, 0.6);
      assertThat(capital).as(m + " capital").isBetween(0.4, 0.6);
      assertThat(gain.target()).isEqualTo(QualityRouter.Target.GAIN);

      Path file = dir.resolve(m + ".json");
      gain.save(file);
      QualityRouter loaded = QualityRouter.load(file);
      assertThat(loaded.target()).isEqualTo(QualityRouter.Target.GAIN);
      assertThat(loaded.score(e.embed("an integral"))).isCloseTo(integral, within(1e-6));
    }
    // the as-good label puts the proofs (both fail: "as good") with the trivia, above the integrals
    QualityRouter asGood = QualityRouter.train(train, e, "strong", "weak",
        QualityRouter.Training.defaults(QualityRouter.Method.LOGISTIC));
    assertThat(asGood.score(e.embed("an integral"))).isLessThan(0.3);
    assertThat(asGood.score(e.embed("a proof"))).isGreaterThan(0.9);
    // the weak target ranks by P(weak) alone: proofs (weak always fails) first, then integrals
    QualityRouter weakOnly = QualityRouter.train(train, e, "strong", "weak",
        QualityRouter.Training.defaults(QualityRouter.Method.LOGISTIC).withTarget(QualityRouter.Target.WEAK));
    assertThat(weakOnly.score(e.embed("a proof"))).isLessThan(0.1);
    assertThat(weakOnly.score(e.embed("an integral"))).isBetween(0.1, 0.35);
    assertThat(weakOnly.score(e.embed("a capital"))).isGreaterThan(0.9);
  }

  @Test
  void groupedCalibrationHoldsOutWholeGroupsAndBalancesThem() {
    List<OutcomeExample> train = synthetic(400, 6);
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      groups.add("g" + (i % 10));
    }
    QualityRouter.Training t = QualityRouter.Training.defaults(QualityRouter.Method.LOGISTIC).withBalanceGroups(true);
    QualityRouter router = QualityRouter.train(train, groups, new KeywordEmbedding(), "strong", "weak", t);
    assertThat(router.calibrationSize()).isEqualTo(400);
    assertThat(router.calibrationCurve().apgr()).isGreaterThan(0.68);
    assertThatThrownBy(() -> QualityRouter.train(train, groups.subList(0, 10), new KeywordEmbedding(), "strong",
        "weak", t)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("groups must have one entry per example, had 10 for 400 examples");
    List<String> three = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      three.add("g" + (i % 3));
    }
    assertThatThrownBy(() -> QualityRouter.train(train, three, new KeywordEmbedding(), "strong", "weak", t))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("groups must number at least folds (5), were 3");
    assertThatThrownBy(() -> QualityRouter.train(train, null, new KeywordEmbedding(), "strong", "weak", t))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("balanceGroups needs groups: without them it would be ignored");
  }

  @Test
  void promptFeaturesNeedThePromptAndSurviveSaveAndLoad(@TempDir Path dir) {
    List<OutcomeExample> train = synthetic(300, 7);
    KeywordEmbedding e = new KeywordEmbedding();
    QualityRouter router = QualityRouter.train(train, e, "strong", "weak",
        QualityRouter.Training.defaults(QualityRouter.Method.LOGISTIC).withPromptFeatures(true)
            .withTarget(QualityRouter.Target.GAIN));
    assertThat(router.usesPromptFeatures()).isTrue();
    String hard = "what is the integral of x^2 + 3x from 0 to 12?";
    double s = router.score(hard, e.embed(hard));
    assertThat(s).isLessThan(0.3);
    assertThatThrownBy(() -> router.score(e.embed(hard))).isInstanceOf(IllegalStateException.class)
        .hasMessage("this router also uses the prompt text; call score(prompt, embedding)");
    Path file = dir.resolve("pf.json");
    router.save(file);
    QualityRouter loaded = QualityRouter.load(file);
    assertThat(loaded.usesPromptFeatures()).isTrue();
    assertThat(loaded.score(hard, e.embed(hard))).isCloseTo(s, within(1e-6));
    // the policy passes the prompt along
    QualityRoutingPolicy policy = QualityRoutingPolicy.of(loaded, e, 0.5);
    assertThat(policy.score(hard)).isCloseTo(s, within(1e-6));
  }

  @Test
  void promptFeaturesCountDigitsSymbolsAndOptions() {
    double[] f = PromptFeatures.of("Compute 2+2.\nA. 3\nB. 4\nC. 5\nD. 22\nAnswer:");
    assertThat(f).hasSize(PromptFeatures.COUNT);
    assertThat(f[4]).isCloseTo(Math.log1p(4), within(1e-12));
    assertThat(f[5]).isCloseTo(Math.log1p(5), within(1e-12));
    assertThat(f[2]).isCloseTo(7.0 / 41, within(1e-12));
    assertThat(f[3]).isCloseTo(1.0 / 41, within(1e-12));
  }

  @Test
  void loadsVersionOneFilesAndRejectsUnknownVersions(@TempDir Path dir) throws java.io.IOException {
    // a version-1 file: as-good logistic over 2 dims
    String v1 = "{\"format\":\"kiai-quality-router/1\",\"strong_model\":\"s\",\"weak_model\":\"w\","
        + "\"embedding_model\":\"m\",\"dimensions\":2,\"method\":\"logistic\",\"k\":32,\"prior\":0.5,"
        + "\"weights\":\"AACAPwAAAAA=\",\"bias\":0.0,\"calibration\":{\"scores\":[0.2,0.8],\"weak\":[0,1],"
        + "\"strong\":[1,1]}}";
    Path file = dir.resolve("v1.json");
    java.nio.file.Files.writeString(file, v1);
    QualityRouter old = QualityRouter.load(file);
    assertThat(old.target()).isEqualTo(QualityRouter.Target.AS_GOOD);
    assertThat(old.usesPromptFeatures()).isFalse();
    // weights (1, 0): sigmoid(1) for the unit vector (1, 0)
    assertThat(old.score(new float[] {1, 0})).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-6));
    java.nio.file.Files.writeString(file, v1.replace("kiai-quality-router/1", "kiai-quality-router/9"));
    assertThatThrownBy(() -> QualityRouter.load(file)).isInstanceOf(ConfigurationException.class)
        .hasMessage(file + " has router format kiai-quality-router/9; this version reads kiai-quality-router/2 and "
            + "kiai-quality-router/1");
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
