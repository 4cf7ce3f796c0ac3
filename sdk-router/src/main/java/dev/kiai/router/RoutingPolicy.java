package dev.kiai.router;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the model for a request: the SPI every routing strategy implements (rules, the learned quality
 * router, the cheapest eligible model, your own). A policy may abstain by returning empty, so policies
 * compose: {@link #firstOf} asks each in turn and takes the first decision. Implementations are
 * thread-safe and fast; they are called once per request, on the request's thread.
 */
@FunctionalInterface
public interface RoutingPolicy {

  /**
   * @param input the request with lazily computed facts (token count, required capabilities)
   * @return the decision, or empty to let the next policy decide
   */
  Optional<RouteDecision> decide(RoutingInput input);

  /** @return the name recorded in the trace; the simple class name by default */
  default String name() {
    String simple = getClass().getSimpleName();
    return simple.isEmpty() || simple.contains("$$Lambda") ? "policy" : simple;
  }

  /**
   * Composes policies: the first that decides wins.
   *
   * @param policies asked in order
   * @return the composite policy; it abstains when all abstain
   */
  static RoutingPolicy firstOf(RoutingPolicy... policies) {
    List<RoutingPolicy> all = List.of(policies);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("policies must not be empty");
    }
    return new RoutingPolicy() {
      @Override
      public Optional<RouteDecision> decide(RoutingInput input) {
        for (RoutingPolicy p : all) {
          Optional<RouteDecision> d = p.decide(input);
          if (d.isPresent()) {
            RouteDecision decision = d.get();
            return Optional.of("unnamed".equals(decision.policy()) ? decision.withPolicy(p.name()) : decision);
          }
        }
        return Optional.empty();
      }

      @Override
      public String name() {
        return "firstOf";
      }
    };
  }

  /**
   * A policy that always routes to one model.
   *
   * @param model the model
   * @param fallbacks models to fall back to, in order
   * @return the policy, named {@code fixed}
   */
  static RoutingPolicy fixed(String model, String... fallbacks) {
    Objects.requireNonNull(model, "model");
    RouteDecision decision = RouteDecision.to(model, List.of(fallbacks), "fixed route").withPolicy("fixed");
    return new RoutingPolicy() {
      @Override
      public Optional<RouteDecision> decide(RoutingInput input) {
        return Optional.of(decision);
      }

      @Override
      public String name() {
        return "fixed";
      }
    };
  }

  /**
   * The cheapest model of the catalog that can serve the request (capabilities and context window), with
   * the other eligible models as fallbacks from cheapest to dearest. A sensible last policy.
   *
   * @return the policy, named {@code cheapest-eligible}; abstains when no model is eligible
   */
  static RoutingPolicy cheapestEligible() {
    return new RoutingPolicy() {
      @Override
      public Optional<RouteDecision> decide(RoutingInput input) {
        List<String> eligible = input.eligibleByCost();
        if (eligible.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(RouteDecision.to(eligible.get(0), eligible.subList(1, eligible.size()),
            "cheapest model that fits " + input.inputTokens() + " input tokens"
                + (input.requiredCapabilities().isEmpty() ? "" : " and " + input.requiredCapabilities()))
            .withPolicy(name()));
      }

      @Override
      public String name() {
        return "cheapest-eligible";
      }
    };
  }
}
