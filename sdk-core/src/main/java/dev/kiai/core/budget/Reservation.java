package dev.kiai.core.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Budget held for one request between {@link BudgetLedger#reserve} and {@link BudgetLedger#commit} or
 * {@link BudgetLedger#release}. Tells the caller how to send the request: on which model, with which
 * output limit and at most how many input tokens.
 */
public final class Reservation {
  private final String id;
  private final BudgetDecision decision;
  private final String model;
  private final int maxTokens;
  private final long inputTokens;
  private final long reservedNanos;
  private final long reservedTokens;
  private final long expiresAtMs;
  private final LimitState trigger;
  private final Supplier<List<LimitState>> limitsSource;
  private volatile List<LimitState> limits;
  private final boolean unaccounted;
  final Charge charge;
  final BudgetStore.Reserve reserve;
  final List<BudgetLedger.Rule> rules;

  Reservation(String id, BudgetDecision decision, String model, int maxTokens, long inputTokens,
      long reservedNanos, long reservedTokens, long expiresAtMs, LimitState trigger, Supplier<List<LimitState>> limits,
      boolean unaccounted, Charge charge, BudgetStore.Reserve reserve, List<BudgetLedger.Rule> rules) {
    this.id = Objects.requireNonNull(id, "id");
    this.decision = decision;
    this.model = model;
    this.maxTokens = maxTokens;
    this.inputTokens = inputTokens;
    this.reservedNanos = reservedNanos;
    this.reservedTokens = reservedTokens;
    this.expiresAtMs = expiresAtMs;
    this.trigger = trigger;
    this.limitsSource = limits;
    this.unaccounted = unaccounted;
    this.charge = charge;
    this.reserve = reserve;
    this.rules = rules;
  }

  /** @return the reservation id */
  public String id() {
    return id;
  }

  /** @return admitted as asked, downgraded or shrunk */
  public BudgetDecision decision() {
    return decision;
  }

  /** @return the model to send the request to (the downgrade model when downgraded) */
  public String model() {
    return model;
  }

  /** @return the output limit to send (lowered when shrunk) */
  public int maxTokens() {
    return maxTokens;
  }

  /** @return the most input tokens the request may have (lower than asked when its history must be trimmed) */
  public long inputTokens() {
    return inputTokens;
  }

  /** @return money held: input tokens at the input price plus {@link #maxTokens()} at the output price */
  public BigDecimal reservedUsd() {
    return BudgetLedger.usd(reservedNanos);
  }

  /** @return tokens held: input plus {@link #maxTokens()} */
  public long reservedTokens() {
    return reservedTokens;
  }

  /** @return when the hold lapses if neither committed nor released */
  public Instant expiresAt() {
    return Instant.ofEpochMilli(expiresAtMs);
  }

  /** @return the limit whose policy downgraded or shrank the request, or null when admitted as asked */
  public LimitState trigger() {
    return trigger;
  }

  /** @return every limit that applies to the request, as of the reservation */
  public List<LimitState> limits() {
    List<LimitState> l = limits;
    if (l == null) {
      l = List.copyOf(limitsSource.get());
      limits = l;
    }
    return l;
  }

  /**
   * @return true when the store was unreachable and the ledger, configured to fail open, admitted the
   *     request without holding budget; its commit is not charged
   */
  public boolean unaccounted() {
    return unaccounted;
  }

  @Override
  public String toString() {
    return "Reservation[" + id + " " + decision + " " + model + " maxTokens=" + maxTokens + " reserved="
        + reservedUsd().toPlainString() + " USD/" + reservedTokens + " tokens]";
  }
}
