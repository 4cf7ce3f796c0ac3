package dev.kiai.core.budget;

import dev.kiai.core.RequestContext;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * What the budget stage tells later stages (the router above all) about a request that is close to or
 * at a cap: downgrade to a cheaper model, or shrink the output. Carried in the request context under
 * {@link #ATTRIBUTE}.
 *
 * @param action what the budget asks for
 * @param scope the scope whose limit triggered it, e.g. {@code tenant:acme}
 * @param downgradeTo the model to use for {@link Action#DOWNGRADE} when configured, else null (a router
 *     then picks the cheapest eligible model)
 * @param maxTokens the output limit for {@link Action#SHRINK}, else null
 * @param remainingUsd money left in the tightest window, or null when the limit is in tokens only
 */
public record BudgetSignal(Action action, String scope, String downgradeTo, Integer maxTokens,
    BigDecimal remainingUsd) {

  /** Request-context attribute holding the signal. */
  public static final String ATTRIBUTE = "kiai.budget.signal";

  /** What a budget asks of the rest of the chain. */
  public enum Action {
    /** Use the cheapest eligible model. */
    DOWNGRADE,
    /** Lower the output limit (and trim history) to what remains. */
    SHRINK
  }

  public BudgetSignal {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(scope, "scope");
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
    }
  }

  /**
   * @param context a request context
   * @return the budget signal it carries, if any
   */
  public static Optional<BudgetSignal> of(RequestContext context) {
    return context.attribute(ATTRIBUTE).filter(BudgetSignal.class::isInstance).map(BudgetSignal.class::cast);
  }
}
