package dev.kiai.eval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the final numeric answer of a text: the first number after the last {@code ####} marker
 * (GSM8K style) or after the last "the answer is" / "answer:"; otherwise the last number in the text.
 * Understands signs, currency symbols ($ € £), thousands separators ({@code 1,234,567}), decimals,
 * fractions ({@code 3/4}) and a trailing percent sign (kept as the number, {@code 50%} is 50).
 */
final class NumericAnswer {
  private static final Pattern NUMBER = Pattern.compile(
      "(?<![\\d.])(-)?\\s?[$€£]?\\s?(-)?(\\d{1,3}(?:,\\d{3})+|\\d+)(\\.\\d+)?(?:\\s?/\\s?(\\d+)(?![\\d.,]\\d))?");
  private static final Pattern ANSWER_IS = Pattern.compile("(?i)(?:the\\s+(?:final\\s+)?answer\\s+is|answer\\s*:)");

  private NumericAnswer() {}

  static Optional<BigDecimal> extract(String text) {
    if (text == null) {
      return Optional.empty();
    }
    int marker = text.lastIndexOf("####");
    if (marker >= 0) {
      Optional<BigDecimal> n = first(text.substring(marker + 4));
      if (n.isPresent()) {
        return n;
      }
    }
    Matcher a = ANSWER_IS.matcher(text);
    int after = -1;
    while (a.find()) {
      after = a.end();
    }
    if (after >= 0) {
      Optional<BigDecimal> n = first(text.substring(after));
      if (n.isPresent()) {
        return n;
      }
    }
    Matcher m = NUMBER.matcher(text);
    BigDecimal last = null;
    while (m.find()) {
      last = parse(m);
    }
    return Optional.ofNullable(last);
  }

  private static Optional<BigDecimal> first(String text) {
    Matcher m = NUMBER.matcher(text);
    return m.find() ? Optional.of(parse(m)) : Optional.empty();
  }

  private static BigDecimal parse(Matcher m) {
    boolean negative = m.group(1) != null || m.group(2) != null;
    String digits = m.group(3).replace(",", "") + (m.group(4) == null ? "" : m.group(4));
    BigDecimal v = new BigDecimal(digits);
    if (m.group(5) != null) {
      BigDecimal den = new BigDecimal(m.group(5));
      if (den.signum() != 0) {
        v = v.divide(den, MathContext.DECIMAL64);
      }
    }
    return negative ? v.negate() : v;
  }

  static String format(BigDecimal v) {
    return v.stripTrailingZeros().toPlainString().toLowerCase(Locale.ROOT);
  }
}
