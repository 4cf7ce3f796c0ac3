package dev.kiai.core.tokens;

import java.util.Objects;

/**
 * A number of tokens and how it was obtained. Budgets and routers must treat a count that is not
 * {@link #exact()} as an approximation: the provider's own count may differ.
 *
 * @param tokens the number of tokens, {@code >= 0}
 * @param exact true when counted with the model's own tokenizer (and, for a whole request, its own
 *     message framing); false for estimates
 * @param method how the count was made: a jtokkit encoding name such as {@code o200k_base}, or an
 *     estimate label such as {@code estimate:cl100k_base*1.15}
 */
public record TokenCount(int tokens, boolean exact, String method) {

  /**
   * @throws IllegalArgumentException when {@code tokens} is negative or {@code method} is blank
   */
  public TokenCount {
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must be >= 0, was " + tokens);
    }
    Objects.requireNonNull(method, "method");
    if (method.isBlank()) {
      throw new IllegalArgumentException("method must not be blank");
    }
  }
}
