package dev.kiai.core.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One limit as it applies to one scope, at one instant.
 *
 * @param index the limit's position in {@link BudgetLimits#limits()}
 * @param limit the limit
 * @param scope the concrete scope, e.g. {@code tenant:acme} or {@code global}
 * @param spentUsd committed money in the window
 * @param spentTokens committed tokens in the window
 * @param reservedUsd money held by open reservations
 * @param reservedTokens tokens held by open reservations
 * @param remainingUsd cap minus spent minus reserved, or null when the limit has no money cap (negative
 *     when a call cost more than reserved, e.g. a fallback to a dearer model)
 * @param remainingTokens the same in tokens, or null when the limit has no token cap
 * @param resetsAt when the calendar window ends, or for a rolling window when its oldest slot leaves it
 */
public record LimitState(int index, BudgetLimit limit, String scope, BigDecimal spentUsd, long spentTokens,
    BigDecimal reservedUsd, long reservedTokens, BigDecimal remainingUsd, Long remainingTokens,
    Instant resetsAt) {

  /** @throws NullPointerException when a required field is null */
  public LimitState {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(spentUsd, "spentUsd");
    Objects.requireNonNull(reservedUsd, "reservedUsd");
  }

  /** @return the fraction of the tighter cap used (spent plus reserved), 0..1 or more */
  public double used() {
    double u = 0;
    if (limit.usd() != null) {
      u = Math.max(u, spentUsd.add(reservedUsd).doubleValue() / limit.usd().doubleValue());
    }
    if (limit.tokens() != null) {
      u = Math.max(u, (double) (spentTokens + reservedTokens) / limit.tokens());
    }
    return u;
  }
}
