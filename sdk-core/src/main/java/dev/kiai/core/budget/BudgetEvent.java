package dev.kiai.core.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A limit's committed spend crossed its soft threshold in the current window. Emitted once per limit,
 * scope, unit and window: by the commit that crossed it (across replicas too, with a shared store).
 *
 * @param limitIndex the limit's position in {@link BudgetLimits#limits()}
 * @param limit the limit
 * @param scope the concrete scope, e.g. {@code tenant:acme}
 * @param unit {@code USD} or {@code tokens}
 * @param cap the hard cap in that unit
 * @param spent committed spend in the window after the crossing commit
 * @param at when it happened
 */
public record BudgetEvent(int limitIndex, BudgetLimit limit, String scope, String unit, BigDecimal cap,
    BigDecimal spent, Instant at) {
  /** @throws NullPointerException when a field is null */
  public BudgetEvent {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(spent, "spent");
    Objects.requireNonNull(at, "at");
  }
}
