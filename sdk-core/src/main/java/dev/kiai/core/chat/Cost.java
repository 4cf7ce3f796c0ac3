package dev.kiai.core.chat;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a request cost, in exact decimal, split by the kind of token.
 *
 * @param currency ISO currency code, normally {@code USD}
 * @param input uncached input tokens at the input price
 * @param cachedInput cache-read input tokens at the cached-input price
 * @param cacheWrite cache-write input tokens at the cache-write price
 * @param output output tokens at the output price
 * @param pricedAs the price-table entry used (model id and table date), or null when the model has no
 *     price: then every amount is zero and {@link #known()} is false
 */
public record Cost(
    String currency, BigDecimal input, BigDecimal cachedInput, BigDecimal cacheWrite, BigDecimal output,
    String pricedAs) {

  /** Cost of a request whose model has no price. */
  public static final Cost UNKNOWN =
      new Cost("USD", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null);

  public Cost {
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(cachedInput, "cachedInput");
    Objects.requireNonNull(cacheWrite, "cacheWrite");
    Objects.requireNonNull(output, "output");
  }

  /** @return the sum of all parts */
  public BigDecimal total() {
    return input.add(cachedInput).add(cacheWrite).add(output);
  }

  /** @return true when a price was found for the model */
  public boolean known() {
    return pricedAs != null;
  }

  /**
   * @param other cost to add, in the same currency
   * @return the sum, e.g. for a cascade that made two calls
   */
  public Cost plus(Cost other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
    }
    String priced = pricedAs == null ? other.pricedAs
        : other.pricedAs == null || other.pricedAs.equals(pricedAs) ? pricedAs
        : pricedAs + "+" + other.pricedAs;
    return new Cost(currency, input.add(other.input), cachedInput.add(other.cachedInput),
        cacheWrite.add(other.cacheWrite), output.add(other.output), priced);
  }
}
