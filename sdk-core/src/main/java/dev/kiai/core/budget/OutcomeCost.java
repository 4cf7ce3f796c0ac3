package dev.kiai.core.budget;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What one business outcome of a feature cost, from {@link BudgetLedger#costPerOutcome(String)}.
 *
 * @param feature the feature ({@code none} for requests without one)
 * @param outcome the outcome, e.g. {@code resolved}
 * @param count how many requests recorded it
 * @param attributedUsd what the requests that recorded it cost
 * @param featureUsd what every committed request of the feature cost, with or without an outcome
 * @param usdPerOutcome {@code featureUsd / count}: the full cost of the feature per outcome, rounded up
 *     to 9 decimals
 */
public record OutcomeCost(String feature, String outcome, long count, BigDecimal attributedUsd,
    BigDecimal featureUsd, BigDecimal usdPerOutcome) {
  /** @throws NullPointerException when a field is null */
  public OutcomeCost {
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(attributedUsd, "attributedUsd");
    Objects.requireNonNull(featureUsd, "featureUsd");
    Objects.requireNonNull(usdPerOutcome, "usdPerOutcome");
  }
}
