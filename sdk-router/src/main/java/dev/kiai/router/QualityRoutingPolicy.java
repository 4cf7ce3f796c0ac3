package dev.kiai.router;

import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.core.error.ConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Routes with a {@link QualityRouter}: embeds the prompt, predicts the probability {@code p} that the
 * weak model's answer is good enough, and sends the request to the weak model when
 * {@code p >= threshold} (falling back to the strong one), otherwise to the strong model (falling back
 * to the weak one). The decision's scores carry {@code p_weak_ok} and {@code threshold}. Thread-safe
 * when the embedding model is.
 */
public final class QualityRoutingPolicy implements RoutingPolicy {
  private final QualityRouter router;
  private final EmbeddingModel embedder;
  private final double threshold;

  private QualityRoutingPolicy(QualityRouter router, EmbeddingModel embedder, double threshold) {
    this.router = router;
    this.embedder = embedder;
    this.threshold = threshold;
  }

  /**
   * @param router the trained router
   * @param embedder the embedding model it was trained with
   * @param threshold the least probability that routes to the weak model; see
   *     {@link QualityRouter#thresholdForPremiumShare} and {@link QualityRouter#thresholdForQuality}
   * @return the policy
   * @throws ConfigurationException when the embedding model differs from the one the router was trained with
   */
  public static QualityRoutingPolicy of(QualityRouter router, EmbeddingModel embedder, double threshold) {
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(embedder, "embedder");
    if (!router.embeddingModelId().equals(embedder.modelId()) || router.dimensions() != embedder.dimensions()) {
      throw new ConfigurationException("the router was trained with embedding model " + router.embeddingModelId()
          + " (" + router.dimensions() + " dimensions) but was given " + embedder.modelId() + " ("
          + embedder.dimensions() + " dimensions)");
    }
    if (Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold must be a number");
    }
    return new QualityRoutingPolicy(router, embedder, threshold);
  }

  /** @return the threshold */
  public double threshold() {
    return threshold;
  }

  /**
   * @param prompt a prompt
   * @return the probability that the weak model's answer is good enough
   */
  public double score(String prompt) {
    return router.score(prompt, embedder.embed(prompt));
  }

  @Override
  public Optional<RouteDecision> decide(RoutingInput input) {
    return Optional.of(decide(router.score(input.prompt(), embedder.embed(input.prompt()))));
  }

  /**
   * The decision for an already computed score (e.g. from a cached embedding).
   *
   * @param p the probability that the weak model suffices
   * @return the decision
   */
  public RouteDecision decide(double p) {
    boolean weak = p >= threshold;
    String model = weak ? router.weakModel() : router.strongModel();
    String other = weak ? router.strongModel() : router.weakModel();
    String reason = (weak ? "weak model likely suffices" : "strong model likely needed")
        + " (p_weak_ok " + RouteDecision.fixed(p, 3) + (weak ? " >= " : " < ")
        + "threshold " + RouteDecision.fixed(threshold, 3) + ")";
    return new RouteDecision(model, List.of(other), reason, Map.of("p_weak_ok", p, "threshold", threshold),
        name(), null);
  }

  @Override
  public String name() {
    return "learned";
  }
}
