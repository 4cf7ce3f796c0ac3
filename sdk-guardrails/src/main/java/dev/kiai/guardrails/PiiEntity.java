package dev.kiai.guardrails;

import java.util.Objects;

/**
 * One piece of personal or secret data found in a text.
 *
 * @param type entity type, Presidio's names where they exist ({@code EMAIL_ADDRESS}, {@code PERSON},
 *     ...) and Kiai's own otherwise ({@code DE_TAX_ID}, {@code SECRET}, ...); see {@link PiiTypes}
 * @param start offset of the first character in the scanned text
 * @param end offset after the last character (exclusive)
 * @param score confidence 0..1; checksum-validated matches score 1.0
 * @param text the matched characters
 */
public record PiiEntity(String type, int start, int end, double score, String text) {
  public PiiEntity {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(text, "text");
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("start/end must satisfy 0 <= start < end, was " + start + ".." + end);
    }
    if (text.length() != end - start) {
      throw new IllegalArgumentException("text length must equal end - start");
    }
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score must be within 0..1, was " + score);
    }
  }

  /** @return true when this entity's range overlaps {@code other}'s */
  boolean overlaps(PiiEntity other) {
    return start < other.end && other.start < end;
  }

  @Override
  public String toString() {
    // never prints the value: entities end up in logs and traces
    return type + "[" + start + ".." + end + ", score=" + score + "]";
  }
}
