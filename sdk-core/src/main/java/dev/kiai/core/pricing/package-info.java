/**
 * Model metadata and prices: {@link dev.kiai.core.pricing.PriceTable} loads a dated JSON table and
 * prices a {@link dev.kiai.core.chat.Usage} exactly.
 */
package dev.kiai.core.pricing;
