package dev.kiai.guardrails;

import java.util.List;

/**
 * The outcome of an injection scan.
 *
 * @param flagged true when {@code score} reached the threshold for the text's source
 * @param score combined score 0..1 of all layers
 * @param reasons why, one entry per matched rule or layer, e.g. {@code instruction_override:de} or
 *     {@code base64>instruction_override:en} for a rule that matched decoded text
 */
public record InjectionVerdict(boolean flagged, double score, List<String> reasons) {
  public InjectionVerdict {
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score must be within 0..1, was " + score);
    }
    reasons = List.copyOf(reasons);
  }
}
