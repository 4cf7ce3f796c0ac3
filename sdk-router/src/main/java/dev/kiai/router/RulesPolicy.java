package dev.kiai.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Routes by the first {@link Rule} whose conditions hold and whose model can serve the request (required
 * capabilities, context window); abstains when none does. Rules are checked in the order added.
 * Immutable and thread-safe.
 */
public final class RulesPolicy implements RoutingPolicy {
  private final List<Rule> rules;

  private RulesPolicy(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * @param rules checked in order
   * @return the policy
   */
  public static RulesPolicy of(Rule... rules) {
    return new RulesPolicy(List.of(rules));
  }

  /** @return the rules, in order */
  public List<Rule> rules() {
    return rules;
  }

  @Override
  public Optional<RouteDecision> decide(RoutingInput input) {
    List<String> skipped = null;
    for (Rule r : rules) {
      if (!r.matches(input)) {
        continue;
      }
      Optional<String> why = input.ineligibility(r.model());
      if (why.isPresent()) {
        if (skipped == null) {
          skipped = new ArrayList<>();
        }
        skipped.add(r.name() + " (" + r.model() + " " + why.get() + ")");
        continue;
      }
      String reason = "rule " + r.name() + ": " + r.description()
          + (skipped == null ? "" : "; skipped " + String.join(", ", skipped));
      return Optional.of(RouteDecision.to(r.model(), r.fallbacks(), reason).withPolicy(name()));
    }
    return Optional.empty();
  }

  @Override
  public String name() {
    return "rules";
  }

  /**
   * @param rule an extra rule, checked after the existing ones
   * @return a new policy with the rule appended
   */
  public RulesPolicy and(Rule rule) {
    List<Rule> all = new ArrayList<>(rules);
    all.add(Objects.requireNonNull(rule, "rule"));
    return new RulesPolicy(all);
  }
}
