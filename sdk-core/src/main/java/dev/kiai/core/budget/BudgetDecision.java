package dev.kiai.core.budget;

/** How the ledger admitted a request; a refusal is a {@link dev.kiai.core.error.BudgetExceededException}. */
public enum BudgetDecision {
  /** Admitted as asked. */
  ADMIT,
  /** Admitted on a cheaper model. */
  DOWNGRADE,
  /** Admitted with a lower output limit and possibly a trimmed history. */
  SHRINK
}
