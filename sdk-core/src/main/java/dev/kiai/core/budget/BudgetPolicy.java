package dev.kiai.core.budget;

/** What a limit does to a request that would take it over its hard cap. */
public enum BudgetPolicy {
  /** Refuse the request with a {@link dev.kiai.core.error.BudgetExceededException}. */
  REJECT,
  /**
   * Run the request on a cheaper model: the limit's {@link BudgetLimit#downgradeTo()}, and mark it with a
   * {@link BudgetSignal} so a router can choose the cheapest eligible model. Rejects when even the
   * cheaper model does not fit.
   */
  DOWNGRADE,
  /**
   * Lower {@code maxTokens} to what remains and, where the conversation allows, trim its history
   * (keeping system prompt and newest turns). Rejects when not even a minimal answer fits.
   */
  SHRINK
}
