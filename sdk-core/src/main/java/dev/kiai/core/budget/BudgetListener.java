package dev.kiai.core.budget;

/** Receives budget events (soft thresholds crossed). Must be thread-safe and quick: it runs on the committing thread. */
@FunctionalInterface
public interface BudgetListener {
  /** @param event what happened */
  void onEvent(BudgetEvent event);
}
