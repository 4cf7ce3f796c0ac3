package dev.kiai.core.cache;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rejects a semantic match whose prompts look alike but ask different things: one is negated and the
 * other is not, or they name different numbers, dates or codes. Embeddings place "How do I enable 2FA?"
 * next to "How do I not enable 2FA?" and "Order 4711" next to "Order 4712"; these are the wrong hits
 * users of embedding caches report. The guard is deliberately conservative: when in doubt it rejects,
 * turning a possible wrong answer into a miss.
 *
 * <p>What it compares, after Unicode normalisation (NFKC) and lower-casing:
 * <ul>
 *   <li><b>negation</b>: whether a prompt contains a negation word (English, German, French, Spanish,
 *       Italian, Dutch: {@code not, no, never, n't, without, non-..., nicht, kein, nie, ohne, ne, pas,
 *       jamais, nunca, non, niet, geen}, ...), fixed phrases that negate nothing ("not only", "or not")
 *       left out;</li>
 *   <li><b>numbers</b>: digit sequences (with decimal separators; {@code v2.1} reads as 2.1) and the English and German number
 *       words two to twelve (not "one", "eins": mostly pronouns), as values, so "3" and "three" agree;</li>
 *   <li><b>dates</b>: month and weekday names (English, German; not "may", a verb), today/tomorrow/yesterday;
 *       years are numbers already;</li>
 *   <li><b>codes</b>: tokens that mix letters and digits ({@code A320}, {@code ERR-404}, {@code v2}).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class CacheGuard {
  private static final Set<String> NEGATIONS = Set.of(
      // English
      "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "cannot", "without",
      // German
      "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "nichts", "ohne",
      "weder", "niemand",
      // French
      "ne", "pas", "jamais", "aucun", "aucune", "rien", "sans", "personne",
      // Spanish, Italian, Portuguese
      "nunca", "jamás", "ningún", "ninguna", "ninguno", "nada", "sin", "non", "nessuno", "senza",
      "nem", "não",
      // Dutch
      "niet", "geen", "nooit", "zonder");

  private static final Map<String, String> NUMBER_WORDS = Map.ofEntries(
      Map.entry("zero", "0"), Map.entry("two", "2"), Map.entry("three", "3"),
      Map.entry("four", "4"), Map.entry("five", "5"), Map.entry("six", "6"), Map.entry("seven", "7"),
      Map.entry("eight", "8"), Map.entry("nine", "9"), Map.entry("ten", "10"), Map.entry("eleven", "11"),
      Map.entry("twelve", "12"), Map.entry("zwei", "2"),
      Map.entry("drei", "3"), Map.entry("vier", "4"), Map.entry("fünf", "5"), Map.entry("sechs", "6"),
      Map.entry("sieben", "7"), Map.entry("acht", "8"), Map.entry("neun", "9"), Map.entry("zehn", "10"),
      Map.entry("zwölf", "12"));

  private static final Map<String, String> DATE_WORDS = Map.ofEntries(
      Map.entry("january", "m1"), Map.entry("jan", "m1"), Map.entry("januar", "m1"),
      Map.entry("february", "m2"), Map.entry("feb", "m2"), Map.entry("februar", "m2"),
      Map.entry("march", "m3"), Map.entry("mar", "m3"), Map.entry("märz", "m3"),
      Map.entry("april", "m4"), Map.entry("apr", "m4"),
      Map.entry("mai", "m5"),
      Map.entry("june", "m6"), Map.entry("jun", "m6"), Map.entry("juni", "m6"),
      Map.entry("july", "m7"), Map.entry("jul", "m7"), Map.entry("juli", "m7"),
      Map.entry("august", "m8"), Map.entry("aug", "m8"),
      Map.entry("september", "m9"), Map.entry("sep", "m9"), Map.entry("sept", "m9"),
      Map.entry("october", "m10"), Map.entry("oct", "m10"), Map.entry("oktober", "m10"),
      Map.entry("november", "m11"), Map.entry("nov", "m11"),
      Map.entry("december", "m12"), Map.entry("dec", "m12"), Map.entry("dezember", "m12"),
      Map.entry("monday", "d1"), Map.entry("montag", "d1"), Map.entry("tuesday", "d2"),
      Map.entry("dienstag", "d2"), Map.entry("wednesday", "d3"), Map.entry("mittwoch", "d3"),
      Map.entry("thursday", "d4"), Map.entry("donnerstag", "d4"), Map.entry("friday", "d5"),
      Map.entry("freitag", "d5"), Map.entry("saturday", "d6"), Map.entry("samstag", "d6"),
      Map.entry("sunday", "d7"), Map.entry("sonntag", "d7"), Map.entry("today", "today"),
      Map.entry("tomorrow", "tomorrow"), Map.entry("yesterday", "yesterday"), Map.entry("heute", "today"),
      Map.entry("morgen", "tomorrow"), Map.entry("gestern", "yesterday"));

  /** A word, possibly with inner hyphens, dots, apostrophes or underscores (codes, "isn't", "3.5"). */
  private static final Pattern TOKEN = Pattern.compile(
      "[\\p{L}\\p{N}]+(?:(?:[-_.'’/:]|(?<=\\d),(?=\\d))[\\p{L}\\p{N}]+)*");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
  /** Fixed phrases that contain a negation word but negate nothing: "not only ... but", "whether or not". */
  private static final Pattern NOT_A_NEGATION = Pattern.compile(
      "\\bnot only\\b|\\bor not\\b|\\bnicht nur\\b|\\boder nicht\\b|\\bnon seulement\\b|\\bno solo\\b");
  /** "v2.10" and "version 2.10" name the same number. */
  private static final Pattern VERSION = Pattern.compile("\\bv(\\d+(?:\\.\\d+)+)\\b");

  private static final CacheGuard DEFAULT = new CacheGuard();

  private CacheGuard() {}

  /** @return the guard */
  public static CacheGuard standard() {
    return DEFAULT;
  }

  /**
   * @param a one prompt
   * @param b the other
   * @return why a match between them must be rejected, or empty when the guard sees no difference in
   *     negation, numbers, dates or codes
   */
  public Optional<String> check(String a, String b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Facts fa = facts(a);
    Facts fb = facts(b);
    if (fa.negated != fb.negated) {
      return Optional.of("negation differs");
    }
    if (!fa.numbers.equals(fb.numbers)) {
      return Optional.of("numbers differ: " + fa.numbers + " vs " + fb.numbers);
    }
    if (!fa.dates.equals(fb.dates)) {
      return Optional.of("dates differ: " + fa.dates + " vs " + fb.dates);
    }
    if (!fa.codes.equals(fb.codes)) {
      return Optional.of("codes differ: " + fa.codes + " vs " + fb.codes);
    }
    return Optional.empty();
  }

  private record Facts(boolean negated, Set<String> numbers, Set<String> dates, Set<String> codes) {}

  private static Facts facts(String text) {
    String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    t = NOT_A_NEGATION.matcher(t).replaceAll(" ");
    t = VERSION.matcher(t).replaceAll("$1");
    boolean negated = false;
    Set<String> numbers = new TreeSet<>();
    Set<String> dates = new TreeSet<>();
    Set<String> codes = new TreeSet<>();
    Matcher m = TOKEN.matcher(t);
    while (m.find()) {
      String tok = m.group();
      if (tok.endsWith("n't") || tok.endsWith("n’t") || NEGATIONS.contains(tok) || tok.startsWith("non-")
          || tok.startsWith("nicht-")) {
        negated = true;
        continue;
      }
      String num = NUMBER_WORDS.get(tok);
      if (num != null) {
        numbers.add(num);
        continue;
      }
      String date = DATE_WORDS.get(tok);
      if (date != null) {
        dates.add(date);
        continue;
      }
      boolean hasDigit = tok.chars().anyMatch(Character::isDigit);
      boolean hasLetter = tok.chars().anyMatch(Character::isLetter);
      if (hasDigit && hasLetter) {
        codes.add(tok);
      } else if (hasDigit) {
        Matcher n = NUMBER.matcher(tok);
        while (n.find()) {
          numbers.add(canonicalNumber(n.group()));
        }
      } else {
        for (String part : tok.split("['’]")) {
          if (NEGATIONS.contains(part)) {
            negated = true;
          }
        }
      }
    }
    return new Facts(negated, numbers, dates, codes);
  }

  /** "1,000" and "1000" agree; "3.50" and "3.5" agree; a lone decimal comma reads as a point. */
  private static String canonicalNumber(String n) {
    String s = n;
    if (s.matches("\\d{1,3}(,\\d{3})+(\\.\\d+)?")) {
      s = s.replace(",", "");
    } else if (s.matches("\\d{1,3}(\\.\\d{3})+(,\\d+)?")) {
      s = s.replace(".", "").replace(',', '.');
    } else if (s.matches("\\d+,\\d+")) {
      s = s.replace(',', '.');
    }
    if (s.matches("\\d+\\.\\d+")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    s = s.replaceFirst("^0+(?=\\d)", "");
    return s;
  }
}
