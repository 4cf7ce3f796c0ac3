package dev.kiai.router;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link RoutingPolicy} decided for one request: the model to call first, the models to fall back
 * to in order, why, and the scores behind the choice. When {@link #verifier()} is set the decision is a
 * <em>cascade</em>: the router accepts the chosen model's answer only when the verifier passes and
 * otherwise escalates to the next fallback.
 *
 * @param model the model id to call first
 * @param fallbacks model ids to try, in order, when the chosen one fails (never containing {@code model})
 * @param reason a human-readable explanation, recorded in the trace
 * @param scores numbers behind the decision, e.g. {@code p_weak_ok}, {@code threshold}
 * @param policy the name of the policy that decided
 * @param verifier accepts or rejects an answer in a cascade, or null for no cascade
 */
public record RouteDecision(
    String model, List<String> fallbacks, String reason, Map<String, Double> scores, String policy,
    Verifier verifier) {

  public RouteDecision {
    Objects.requireNonNull(model, "model");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    List<String> distinct = new ArrayList<>();
    for (String f : Objects.requireNonNull(fallbacks, "fallbacks")) {
      Objects.requireNonNull(f, "fallbacks must not contain null");
      if (!f.equals(model) && !distinct.contains(f)) {
        distinct.add(f);
      }
    }
    fallbacks = List.copyOf(distinct);
    reason = Objects.requireNonNull(reason, "reason");
    scores = scores == null ? Map.of() : Map.copyOf(scores);
    policy = policy == null || policy.isBlank() ? "unnamed" : policy;
  }

  /**
   * @param model the model to call
   * @param fallbacks models to fall back to, in order
   * @param reason why
   * @return a decision without scores or cascade, attributed to no policy yet
   */
  public static RouteDecision to(String model, List<String> fallbacks, String reason) {
    return new RouteDecision(model, fallbacks, reason, Map.of(), null, null);
  }

  /** @return the chosen model followed by the fallbacks */
  public List<String> candidates() {
    List<String> all = new ArrayList<>(fallbacks.size() + 1);
    all.add(model);
    all.addAll(fallbacks);
    return all;
  }

  /** @return true when the decision is a cascade (a verifier is set) */
  public boolean cascade() {
    return verifier != null;
  }

  /**
   * @param policy name of the deciding policy
   * @return a copy attributed to that policy
   */
  public RouteDecision withPolicy(String policy) {
    return new RouteDecision(model, fallbacks, reason, scores, policy, verifier);
  }

  /**
   * @param scores the scores behind the decision
   * @return a copy with those scores
   */
  public RouteDecision withScores(Map<String, Double> scores) {
    return new RouteDecision(model, fallbacks, reason, scores, policy, verifier);
  }

  /**
   * @param verifier accepts or rejects the cheaper models' answers
   * @return a copy that runs as a cascade over {@link #candidates()}
   */
  public RouteDecision withVerifier(Verifier verifier) {
    return new RouteDecision(model, fallbacks, reason, scores, policy,
        Objects.requireNonNull(verifier, "verifier"));
  }

  /**
   * Replaces the chosen model, keeping the previous choice as the first fallback.
   *
   * @param newModel the model to call first
   * @param why the reason appended to the existing one
   * @return the changed decision
   */
  public RouteDecision reroute(String newModel, String why) {
    List<String> fb = new ArrayList<>();
    fb.add(model);
    fb.addAll(fallbacks);
    return new RouteDecision(newModel, fb, reason + "; " + why, scores, policy, verifier);
  }

  /**
   * @param newModel the model to call first
   * @param newFallbacks the fallbacks
   * @param why the reason appended to the existing one
   * @return the changed decision
   */
  public RouteDecision replace(String newModel, List<String> newFallbacks, String why) {
    return new RouteDecision(newModel, newFallbacks, reason + "; " + why, scores, policy, verifier);
  }

  /**
   * Formats a number with a fixed count of decimals, without {@code String.format}'s cost on the
   * routing path.
   */
  static String fixed(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    return java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  /** @return the scores formatted for a trace attribute, e.g. {@code p_weak_ok=0.8123} */
  String scoresText() {
    Map<String, Double> sorted = new LinkedHashMap<>();
    scores.keySet().stream().sorted().forEach(k -> sorted.put(k, scores.get(k)));
    StringBuilder sb = new StringBuilder();
    sorted.forEach((k, v) -> {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(k).append('=').append(fixed(v, 4));
    });
    return sb.toString();
  }
}
