package dev.kiai.eval;

import java.util.List;
import java.util.Objects;

/**
 * Finds personal data in a model answer, for the {@code no-pii} assertion. {@link #builtIn()} detects
 * e-mail addresses, phone numbers, IBANs (validated with ISO 13616 mod-97) and payment card numbers
 * (validated with the Luhn checksum). {@code kiai-guardrails} can supply a fuller detector (names,
 * addresses, national ids) through this interface. Implementations are thread-safe.
 */
public interface PiiDetector {

  /**
   * @param text the text to scan
   * @return every finding in order of position, possibly empty
   */
  List<Finding> find(String text);

  /** @return the built-in detector for e-mail, phone, IBAN and card numbers */
  static PiiDetector builtIn() {
    return BuiltInPiiDetector.INSTANCE;
  }

  /**
   * One piece of personal data.
   *
   * @param type e.g. {@code EMAIL}, {@code PHONE}, {@code IBAN}, {@code CREDIT_CARD}
   * @param start offset of the first character
   * @param end offset after the last character
   */
  record Finding(String type, int start, int end) {
    public Finding {
      Objects.requireNonNull(type, "type");
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("start/end must satisfy 0 <= start <= end, was " + start + "/" + end);
      }
    }
  }
}
