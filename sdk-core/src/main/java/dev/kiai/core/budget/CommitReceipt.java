package dev.kiai.core.budget;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What {@link BudgetLedger#commit} charged.
 *
 * @param reservationId the reservation
 * @param model the model charged: the one that actually ran
 * @param tokens tokens charged (input plus output)
 * @param usd money charged, cached input at its cached price
 * @param limits every limit the request applies to, after the charge
 */
public record CommitReceipt(String reservationId, String model, long tokens, BigDecimal usd,
    List<LimitState> limits) {
  /** Copies {@code limits}. */
  public CommitReceipt {
    Objects.requireNonNull(reservationId, "reservationId");
    Objects.requireNonNull(usd, "usd");
    limits = List.copyOf(limits);
  }
}
