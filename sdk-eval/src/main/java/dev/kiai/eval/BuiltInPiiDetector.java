package dev.kiai.eval;

import dev.kiai.core.text.CheckDigits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** E-mail, phone, IBAN (mod-97) and payment card (Luhn) detection with checksums to limit false hits. */
final class BuiltInPiiDetector implements PiiDetector {
  static final BuiltInPiiDetector INSTANCE = new BuiltInPiiDetector();

  private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  private static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b");
  private static final Pattern CARD = Pattern.compile("(?<![\\d-])(?:\\d[ -]?){12,18}\\d(?![\\d-])");
  private static final Pattern PHONE = Pattern.compile(
      "(?<![\\w+]|\\d[ .-])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{2,4}(?:[ .-]\\d{2,4}){2,4}(?![\\w]|[ .-]\\d)");

  private BuiltInPiiDetector() {}

  @Override
  public List<Finding> find(String text) {
    List<Finding> out = new ArrayList<>();
    Matcher m = EMAIL.matcher(text);
    while (m.find()) {
      out.add(new Finding("EMAIL", m.start(), m.end()));
    }
    m = IBAN.matcher(text);
    while (m.find()) {
      if (validIban(m.group())) {
        out.add(new Finding("IBAN", m.start(), m.end()));
      }
    }
    m = CARD.matcher(text);
    while (m.find()) {
      String digits = m.group().replaceAll("[ -]", "");
      if (digits.length() >= 13 && digits.length() <= 19 && CheckDigits.luhn(digits) && !overlaps(out, m.start(), m.end())) {
        out.add(new Finding("CREDIT_CARD", m.start(), m.end()));
      }
    }
    m = PHONE.matcher(text);
    while (m.find()) {
      String digits = m.group().replaceAll("\\D", "");
      int maxDigits = m.group().startsWith("+") ? 15 : 12;   // E.164 allows 15 with the country code
      if (digits.length() >= 7 && digits.length() <= maxDigits && !overlaps(out, m.start(), m.end())) {
        out.add(new Finding("PHONE", m.start(), m.end()));
      }
    }
    out.sort(Comparator.comparingInt(Finding::start));
    return List.copyOf(out);
  }

  private static boolean overlaps(List<Finding> found, int start, int end) {
    return found.stream().anyMatch(f -> f.start() < end && start < f.end());
  }

  static boolean validIban(String candidate) {
    String iban = candidate.replace(" ", "").toUpperCase(Locale.ROOT);
    if (iban.length() < 15 || iban.length() > 34) {
      return false;
    }
    return CheckDigits.ibanMod97(iban);
  }
}
