package dev.kiai.benchmarks;

import dev.kiai.core.RequestContext;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.core.pricing.PriceTable;
import dev.kiai.router.ModelCatalog;
import dev.kiai.router.OutcomeExample;
import dev.kiai.router.QualityRouter;
import dev.kiai.router.QualityRoutingPolicy;
import dev.kiai.router.RouteDecision;
import dev.kiai.router.RouterInterceptor;
import dev.kiai.router.RoutingPolicy;
import dev.kiai.router.Rule;
import dev.kiai.router.RulesPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The routing decision excluding the embedding: rules (feature, regex), then the learned logistic router
 * on a precomputed 384-dimensional embedding (the size of all-MiniLM-L6-v2), budget and eligibility
 * checks including the prompt's token count. Target: p99 below 50 µs.
 *
 * <pre>java -jar benchmarks/target/kiai-benchmarks.jar RouterDecisionBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouterDecisionBenchmark {
  private static final int DIMS = 384;

  private RouterInterceptor router;
  private QualityRouter quality;
  private float[] vector;
  private List<ChatRequest> requests;
  private int next;

  /** An embedding model that returns precomputed vectors: the embedding itself is excluded. */
  static final class PrecomputedEmbedding implements EmbeddingModel {
    final Map<String, float[]> vectors = new HashMap<>();

    @Override
    public float[] embed(String text) {
      float[] v = vectors.get(text);
      if (v == null) {
        throw new IllegalArgumentException("no precomputed vector for the prompt");
      }
      return v;
    }

    @Override
    public int dimensions() {
      return DIMS;
    }

    @Override
    public String modelId() {
      return "precomputed-384";
    }
  }

  static float[] randomUnit(SplittableRandom rnd) {
    float[] v = new float[DIMS];
    double n = 0;
    for (int i = 0; i < DIMS; i++) {
      v[i] = (float) rnd.nextGaussian();
      n += v[i] * v[i];
    }
    for (int i = 0; i < DIMS; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }

  /** Trains a logistic router on 2,000 synthetic labelled vectors and prepares 256 requests. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(7);
    PrecomputedEmbedding embedding = new PrecomputedEmbedding();
    List<OutcomeExample> examples = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      String prompt = "training prompt " + i;
      float[] v = randomUnit(rnd);
      embedding.vectors.put(prompt, v);
      boolean weakOk = v[0] + rnd.nextGaussian() * 0.05 > 0;
      examples.add(new OutcomeExample(prompt, Map.of("gpt-4o-mini", weakOk ? 1.0 : 0.0, "gpt-4.1", 1.0)));
    }
    quality = QualityRouter.train(examples, embedding, "gpt-4.1", "gpt-4o-mini",
        QualityRouter.Training.defaults(QualityRouter.Method.LOGISTIC));
    requests = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      String prompt = "Summarise the customer's complaint about invoice " + i + " in two sentences.";
      embedding.vectors.put(prompt, randomUnit(rnd));
      requests.add(ChatRequest.builder().addSystem("You are a support assistant.").addUser(prompt).maxTokens(200)
          .context(RequestContext.builder().tenant("acme").feature(i % 10 == 0 ? "legal" : "support").build())
          .build());
    }
    vector = embedding.vectors.get(requests.get(0).lastUserText());
    RoutingPolicy policy = RoutingPolicy.firstOf(
        RulesPolicy.of(
            Rule.named("legal").feature("legal").routeTo("gpt-4.1", "gpt-4o-mini"),
            Rule.named("sql").promptMatches("(?i)\\bselect\\b.+\\bfrom\\b").routeTo("gpt-4.1")),
        QualityRoutingPolicy.of(quality, embedding, quality.thresholdForPremiumShare(0.3)));
    router = RouterInterceptor.builder().catalog(ModelCatalog.of(PriceTable.bundled(), "gpt-4o-mini", "gpt-4.1"))
        .policy(policy).build();
  }

  /** Closes the router. */
  @TearDown(Level.Trial)
  public void tearDown() {
    router.close();
  }

  /** @return the full decision for the next request (rules, learned score, eligibility, token count) */
  @Benchmark
  public RouteDecision decide() {
    ChatRequest r = requests.get(next++ & 255);
    return router.decide(r).orElseThrow();
  }

  /** @return the learned router's score alone, on a precomputed embedding */
  @Benchmark
  public double score() {
    return quality.score(vector);
  }
}
