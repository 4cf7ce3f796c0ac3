package dev.kiai.core.pricing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Prices of one model per one million tokens, exact decimal.
 *
 * @param currency ISO code, normally {@code USD}
 * @param input uncached input tokens
 * @param cachedInput input tokens read from the provider's prompt cache
 * @param cacheWrite input tokens written to the provider's prompt cache
 * @param output output tokens (reasoning included)
 */
public record ModelPrice(
    String currency, BigDecimal input, BigDecimal cachedInput, BigDecimal cacheWrite, BigDecimal output) {
  public ModelPrice {
    Objects.requireNonNull(currency, "currency");
    requireNonNegative(input, "input");
    requireNonNegative(cachedInput, "cachedInput");
    requireNonNegative(cacheWrite, "cacheWrite");
    requireNonNegative(output, "output");
  }

  private static void requireNonNegative(BigDecimal value, String field) {
    Objects.requireNonNull(value, field);
    if (value.signum() < 0) {
      throw new IllegalArgumentException(field + " price must be >= 0, was " + value);
    }
  }
}
