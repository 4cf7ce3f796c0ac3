package dev.kiai.core.budget;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** What {@link BudgetLedger#commit} charged, and where the limits stand after it. */
public final class CommitReceipt {
  private final String reservationId;
  private final String model;
  private final long tokens;
  private final long nanos;
  private final Supplier<List<LimitState>> limitsSource;
  private volatile List<LimitState> limits;

  CommitReceipt(String reservationId, String model, long tokens, long nanos, Supplier<List<LimitState>> limits) {
    this.reservationId = Objects.requireNonNull(reservationId, "reservationId");
    this.model = Objects.requireNonNull(model, "model");
    this.tokens = tokens;
    this.nanos = nanos;
    this.limitsSource = limits;
  }

  /** @return the reservation */
  public String reservationId() {
    return reservationId;
  }

  /** @return the model charged: the one that actually ran */
  public String model() {
    return model;
  }

  /** @return tokens charged (input plus output) */
  public long tokens() {
    return tokens;
  }

  /** @return money charged, cached input at its cached price */
  public BigDecimal usd() {
    return BudgetLedger.usd(nanos);
  }

  /** @return every limit the request applies to, right after the charge */
  public List<LimitState> limits() {
    List<LimitState> l = limits;
    if (l == null) {
      l = List.copyOf(limitsSource.get());
      limits = l;
    }
    return l;
  }

  @Override
  public String toString() {
    return "CommitReceipt[" + reservationId + " " + model + " " + tokens + " tokens " + usd().toPlainString() + " USD]";
  }
}
