package dev.kiai.core.cache;

import java.util.Objects;

/**
 * Two prompts and whether one prompt's answer may serve the other: the input of
 * {@link SemanticCache#calibrate}.
 *
 * @param a the cached prompt
 * @param b the incoming prompt
 * @param same true when {@code a}'s answer is a correct answer to {@code b}
 */
public record LabelledPair(String a, String b, boolean same) {
  public LabelledPair {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
  }
}
