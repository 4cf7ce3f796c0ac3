package dev.kiai.core.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Where one scope stands in one window: spent, reserved and remaining, and committed spend by model
 * and by feature.
 *
 * @param state spent, reserved and remaining against the limit
 * @param byModel committed spend per model that actually ran
 * @param byFeature committed spend per feature ({@code none} for requests without one)
 */
public record BudgetReport(LimitState state, Map<String, Spend> byModel, Map<String, Spend> byFeature) {
  /** Copies the maps. */
  public BudgetReport {
    Objects.requireNonNull(state, "state");
    byModel = Map.copyOf(byModel);
    byFeature = Map.copyOf(byFeature);
  }

  /** @return when the window resets (see {@link LimitState#resetsAt()}) */
  public Instant resetsAt() {
    return state.resetsAt();
  }

  /**
   * Committed spend.
   *
   * @param usd money
   * @param tokens tokens
   */
  public record Spend(BigDecimal usd, long tokens) {
    /** @throws NullPointerException when usd is null */
    public Spend {
      Objects.requireNonNull(usd, "usd");
    }
  }
}
