package dev.kiai.core.error;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A request would exceed a hard budget cap. Names the scope (e.g. {@code tenant:acme}), the window, the
 * limit with its unit ({@code USD} or {@code tokens}), what is already spent and reserved, and when the
 * window resets.
 */
public final class BudgetExceededException extends KiaiException {
  private static final long serialVersionUID = 1L;

  private final String scope;
  private final String window;
  private final String unit;
  private final BigDecimal limit;
  private final BigDecimal spent;
  private final BigDecimal reserved;
  private final Instant resetsAt;

  public BudgetExceededException(
      String scope, String window, String unit, BigDecimal limit, BigDecimal spent,
      BigDecimal reserved, Instant resetsAt) {
    super("budget exceeded for " + scope + " (" + window + "): limit " + limit.toPlainString() + " " + unit
        + ", spent " + spent.toPlainString() + ", reserved " + reserved.toPlainString()
        + (resetsAt == null ? "" : ", resets at " + resetsAt), null);
    this.scope = Objects.requireNonNull(scope, "scope");
    this.window = Objects.requireNonNull(window, "window");
    this.unit = Objects.requireNonNull(unit, "unit");
    this.limit = limit;
    this.spent = spent;
    this.reserved = reserved;
    this.resetsAt = resetsAt;
  }

  /** @return the scope whose cap was hit, e.g. {@code tenant:acme} */
  public String scope() {
    return scope;
  }

  /** @return the window, e.g. {@code day} or {@code rolling 1h} */
  public String window() {
    return window;
  }

  /** @return {@code USD} or {@code tokens} */
  public String unit() {
    return unit;
  }

  /** @return the cap */
  public BigDecimal limit() {
    return limit;
  }

  /** @return committed spend in the window */
  public BigDecimal spent() {
    return spent;
  }

  /** @return reservations of in-flight requests in the window */
  public BigDecimal reserved() {
    return reserved;
  }

  /** @return when the window resets; null for a rolling window with nothing to expire */
  public Instant resetsAt() {
    return resetsAt;
  }

  @Override
  public boolean retryable() {
    return resetsAt != null;
  }
}
