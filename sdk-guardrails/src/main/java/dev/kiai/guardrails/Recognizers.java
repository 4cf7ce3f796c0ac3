package dev.kiai.guardrails;

import dev.kiai.core.text.CheckDigits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The built-in recognizers: regular expressions, then validation (checksums, ranges) and context words. */
final class Recognizers {
  private Recognizers() {}

  /** Finds entities of one or more types. Stateless and thread-safe. */
  interface Recognizer {
    void find(TextScan scan, PiiLanguage lang, List<PiiEntity> out);
  }

  /** A recognizer that needs only the text. */
  interface TextRecognizer {
    void find(String text, PiiLanguage lang, List<PiiEntity> out);
  }

  private static Recognizer text(TextRecognizer r) {
    return (s, lang, out) -> r.find(s.text, lang, out);
  }

  static List<Recognizer> all() {
    return List.of(text(Recognizers::email), Recognizers::secrets, text(Recognizers::urlCredentials),
        Recognizers::iban, Recognizers::creditCard, text(Recognizers::ip), Recognizers::deTaxId,
        Recognizers::vat, Recognizers::socialSecurity, Recognizers::usSsn, Recognizers::phone,
        Recognizers::dates, Recognizers::age, Recognizers::streetAddress, Recognizers::person,
        NameRecognizers::find, Recognizers::url, Recognizers::zipCode);
  }

  // --- helpers ----------------------------------------------------------------------------------------

  static void add(List<PiiEntity> out, String text, String type, int start, int end, double score) {
    out.add(new PiiEntity(type, start, end, Math.min(1.0, score), text.substring(start, end)));
  }

  /** True when one of {@code words} occurs (case-insensitive) within {@code window} chars before start. */
  static boolean contextBefore(String text, int start, int window, List<String> words) {
    String before = text.substring(Math.max(0, start - window), start).toLowerCase(Locale.ROOT);
    for (String w : words) {
      if (before.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@link #contextBefore} on the scan's lower-case copy, in place: the same answer without copying and
   * lower-casing the window. The per-character lower case of {@link TextScan#lower} equals
   * {@code String.toLowerCase(Locale.ROOT)} except where the text has a dotted capital I or a capital
   * sigma (context-dependent lower case); such texts take the copying path.
   */
  static boolean contextBefore(TextScan scan, int start, int window, List<String> words) {
    if (scan.specialLowerCase) {
      return contextBefore(scan.text, start, window, words);
    }
    return lowerContextBefore(scan.lower, start, window, words);
  }

  /**
   * {@link #contextBefore} for text that is already lower case (a {@link TextScan#lower}), searched in
   * place: lower-casing it again changes no character a context word could match.
   */
  static boolean lowerContextBefore(String lower, int start, int window, List<String> words) {
    int from = Math.max(0, start - window);
    for (String w : words) {
      if (w.isEmpty()) {
        return true;
      }
      // searched within the window only (an indexOf would run on to the end of the text)
      char first = w.charAt(0);
      for (int at = from, last = start - w.length(); at <= last; at++) {
        if (lower.charAt(at) == first && lower.regionMatches(at, w, 0, w.length())) {
          return true;
        }
      }
    }
    return false;
  }

  /** @return true when one of the keywords occurs in {@code haystack} */
  static boolean anyOf(String haystack, List<String> keywords) {
    for (String k : keywords) {
      if (haystack.contains(k)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code pattern} only where one of the lower-case {@code keywords} starts a word, anchored there;
   * far cheaper than searching every position. The pattern must begin with the keyword.
   */
  static void atKeywords(Pattern pattern, TextScan scan, List<String> keywords, int window,
      java.util.function.Consumer<Matcher> onMatch) {
    String lower = scan.lower;
    TextScan.Ints starts = new TextScan.Ints();
    for (String k : keywords) {
      if (!k.isEmpty() && Character.isLetterOrDigit(k.charAt(0))) {
        scan.wordStartsWith(k, starts);
        continue;
      }
      int at = lower.indexOf(k);
      while (at >= 0) {
        if (at == 0 || !Character.isLetterOrDigit(lower.charAt(at - 1))) {
          starts.add(at);
        }
        at = lower.indexOf(k, at + 1);
      }
    }
    atStarts(pattern, scan.text, starts, window, onMatch);
  }

  /**
   * Like {@link #atKeywords}, but only where the keyword is a whole word and the next letter after it
   * (at most three characters on) is upper case, as a name after a cue or title is: "Dear Anna",
   * "Mr. Smith". Cheap filters first, so the pattern runs at few positions.
   */
  static void atCueWords(Pattern pattern, TextScan scan, List<String> keywords, int window,
      java.util.function.Consumer<Matcher> onMatch) {
    String text = scan.text;
    String lower = scan.lower;
    TextScan.Ints starts = new TextScan.Ints();
    TextScan.Ints found = new TextScan.Ints();
    for (String k : keywords) {
      found.clear();
      if (!k.isEmpty() && Character.isLetterOrDigit(k.charAt(0))) {
        scan.wordStartsWith(k, found);
      } else {
        for (int at = lower.indexOf(k); at >= 0; at = lower.indexOf(k, at + 1)) {
          found.add(at);
        }
      }
      for (int f = 0; f < found.size; f++) {
        int at = found.values[f];
        int e = at + k.length();
        if ((at == 0 || !Character.isLetterOrDigit(lower.charAt(at - 1)))
            && (e >= text.length() || !Character.isLetter(text.charAt(e)) || !Character.isLetter(k.charAt(k.length() - 1)))
            && upperSoon(text, e)) {
          starts.add(at);
        }
      }
    }
    atStarts(pattern, text, starts, window, onMatch);
  }

  /**
   * Runs {@code pattern} anchored at each of {@code starts} (sorted here, duplicates once) that lies past
   * the previous match, within {@code window} characters.
   */
  private static void atStarts(Pattern pattern, String text, TextScan.Ints positions, int window,
      java.util.function.Consumer<Matcher> onMatch) {
    int count = positions.size;
    if (count == 0) {
      return;
    }
    positions.sort();
    int[] starts = positions.values;
    Matcher m = pattern.matcher(text);
    m.useTransparentBounds(true);
    m.useAnchoringBounds(false);
    int lastEnd = -1;
    for (int i = 0; i < count; i++) {
      int start = starts[i];
      if (start < lastEnd || (i > 0 && starts[i - 1] == start)) {
        continue;
      }
      m.region(start, Math.min(text.length(), start + window));
      if (m.lookingAt()) {
        onMatch.accept(m);
        lastEnd = m.end();
      }
    }
  }

  private static boolean upperSoon(String text, int from) {
    for (int i = from; i < Math.min(text.length(), from + 4); i++) {
      char c = text.charAt(i);
      if (Character.isLetter(c)) {
        return Character.isUpperCase(c);
      }
    }
    return false;
  }

  /** @return the language pack's context words: English or German, plus words both packs share */
  static List<String> pack(PiiLanguage lang, List<String> en, List<String> de, List<String> shared) {
    List<String> out = new ArrayList<>(shared);
    out.addAll(lang == PiiLanguage.DE ? de : en);
    return out;
  }

  static boolean boundary(String text, int start, int end) {
    boolean left = start == 0 || !Character.isLetterOrDigit(text.charAt(start - 1));
    boolean right = end >= text.length() || !Character.isLetterOrDigit(text.charAt(end));
    return left && right;
  }

  // --- e-mail -----------------------------------------------------------------------------------------

  private static final Pattern EMAIL = Pattern.compile(
      "(?<![\\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
          + "[A-Za-z]{2,24}(?![\\w-])");

  static void email(String text, PiiLanguage lang, List<PiiEntity> out) {
    if (text.indexOf('@') < 0) {
      return;
    }
    Matcher m = EMAIL.matcher(text);
    m.useTransparentBounds(true);
    m.useAnchoringBounds(false);
    int from = 0;
    int at = text.indexOf('@');
    while (at >= 0) {
      int start = at;
      while (start > Math.max(from, at - 65) && emailLocalChar(text.charAt(start - 1))) {
        start--;
      }
      m.region(start, Math.min(text.length(), at + 256));
      if (m.find() && m.start() <= at && m.end() > at) {
        add(out, text, PiiTypes.EMAIL_ADDRESS, m.start(), m.end(), 1.0);
        from = m.end();
      }
      at = text.indexOf('@', Math.max(at + 1, from));
    }
  }

  private static boolean emailLocalChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
        || c == '%' || c == '+' || c == '-';
  }

  // --- URL and ZIP code -----------------------------------------------------------------------------

  private static final Pattern URL_P = Pattern.compile("(?:https?://|www\\.)[^\\s<>\"'()\\[\\]{}]{3,2000}");

  static void url(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    int at = text.indexOf("http");
    int www = scan.lower.indexOf("www.");
    if (at < 0 && www < 0) {
      return;
    }
    Matcher m = URL_P.matcher(text);
    m.region(at < 0 ? www : www < 0 ? at : Math.min(at, www), text.length());
    while (m.find()) {
      if (m.start() > 0 && Character.isLetterOrDigit(text.charAt(m.start() - 1))) {
        continue;
      }
      int end = m.end();
      while (end > m.start() && ".,;:!?".indexOf(text.charAt(end - 1)) >= 0) {
        end--;
      }
      if (text.substring(m.start(), end).indexOf('.') > 0) {
        add(out, text, PiiTypes.URL, m.start(), end, 0.6);
      }
    }
  }

  private static final Pattern ZIP_CUED = Pattern.compile(
      "(?i)(?:zip(?:\\s?code)?|postal\\s?code|post\\s?code|plz|postleitzahl)(?:\\s?(?:is|ist|lautet|:|#|-))?\\s*"
          + "(\\d{3,5}(?:[ -]\\d{2,4})?|[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2})(?![\\w-])");
  private static final List<String> ZIP_CUES = List.of("zip", "postal", "postcode", "post code", "plz",
      "postleitzahl");

  static void zipCode(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    if (scan.digits == 0) {
      return;
    }
    atKeywords(ZIP_CUED, scan, ZIP_CUES, 40,
        m -> add(out, scan.text, PiiTypes.ZIP_CODE, m.start(1), m.end(1), 0.7));
  }

  // --- secrets ----------------------------------------------------------------------------------------

  private static final Pattern SECRET_TOKENS = Pattern.compile(
      "(?<![\\w-])(?:sk-ant-[A-Za-z0-9_-]{20,}|sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}"
          + "|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}"
          + "|xox[abpr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}"
          + "|eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,})(?![\\w-])");
  private static final Pattern PRIVATE_KEY = Pattern.compile(
      "-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\\s\\S]*?-----END (?:[A-Z]+ )?PRIVATE KEY-----");
  private static final Pattern KEYED_VALUE = Pattern.compile(
      "(?i)\\b(?:api[_ -]?key|access[_ -]?key|secret|token|password|passwort|kennwort|pwd|passphrase|key|"
          + "schlüssel|credential)s?\\b[\"']?\\s*(?:[:=]|is|ist|lautet)\\s*[\"']?([A-Za-z0-9+/_\\-.=!@#$%^&*]{12,})");

  private static final List<String> SECRET_PREFIXES = List.of("sk-", "AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_",
      "ghr_", "github_pat_", "xox", "AIza", "eyJ");
  private static final List<String> KEYED_WORDS = List.of("api", "access", "secret", "token", "password", "passwort",
      "kennwort", "pwd", "passphrase", "key", "schlüssel", "credential");

  static void secrets(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    Matcher m;
    if (anyOf(text, SECRET_PREFIXES)) {
      m = SECRET_TOKENS.matcher(text);
      while (m.find()) {
        add(out, text, PiiTypes.SECRET, m.start(), m.end(), 1.0);
      }
    }
    if (text.contains("PRIVATE KEY-----")) {
      m = PRIVATE_KEY.matcher(text);
      while (m.find()) {
        add(out, text, PiiTypes.SECRET, m.start(), m.end(), 1.0);
      }
    }
    atKeywords(KEYED_VALUE, scan, KEYED_WORDS, 120, km -> {
      String v = km.group(1);
      boolean mixed = v.chars().anyMatch(Character::isDigit) && v.chars().anyMatch(Character::isLetter);
      if (mixed && Checksums.entropy(v) >= 3.0) {
        add(out, text, PiiTypes.SECRET, km.start(1), km.end(1), 0.85);
      }
    });
  }

  // --- URL with credentials ---------------------------------------------------------------------------

  private static final Pattern URL_CREDS = Pattern.compile(
      "\\b[a-zA-Z][a-zA-Z0-9+.-]{1,15}://[^\\s:/@]+:[^\\s/@]+@[^\\s\"'<>]+");

  static void urlCredentials(String text, PiiLanguage lang, List<PiiEntity> out) {
    if (text.indexOf("://") < 0) {
      return;
    }
    Matcher m = URL_CREDS.matcher(text);
    while (m.find()) {
      int end = m.end();
      while (end > m.start() && ".,;:!?)".indexOf(text.charAt(end - 1)) >= 0) {
        end--;
      }
      add(out, text, PiiTypes.URL_CREDENTIALS, m.start(), end, 1.0);
    }
  }

  // --- IBAN -------------------------------------------------------------------------------------------

  private static final Pattern IBAN = Pattern.compile(
      "(?i)\\b[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\\b");

  static void iban(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    Matcher m = IBAN.matcher(text);
    m.useTransparentBounds(true);
    m.useAnchoringBounds(false);
    int lastEnd = -1;
    for (int i = 0; i < scan.size; i++) {
      // an IBAN starts with two letters glued to the two check digits: "DE89", "es91"
      int st = scan.start[i] - 2;
      if (!scan.is(i, TextScan.NUMBER) || st < Math.max(0, lastEnd) || !Character.isLetter(text.charAt(st))
          || !Character.isLetter(text.charAt(st + 1)) || (st > 0 && Character.isLetterOrDigit(text.charAt(st - 1)))) {
        continue;
      }
      m.region(st, Math.min(text.length(), st + 50));
      if (!m.lookingAt()) {
        continue;
      }
      lastEnd = m.end();
      // try the longest valid prefix (a following word may have been glued on); only a prefix whose
      // compact length is the country's IBAN length can pass Checksums.iban, so the others are skipped
      // without building their compact strings
      String raw = m.group();
      Integer expected = Checksums.IBAN_LENGTHS.get(raw.substring(0, 2).toUpperCase(Locale.ROOT));
      if (expected == null) {
        continue;
      }
      int compactLength = 0;
      for (int c = 0; c < raw.length(); c++) {
        compactLength += raw.charAt(c) == ' ' ? 0 : 1;
      }
      for (int end = raw.length(); end >= 15; end--) {
        if (end < raw.length() && raw.charAt(end) != ' ') {
          compactLength--; // now the length of raw[0, end) without spaces
        }
        if (end < raw.length() && raw.charAt(end - 1) == ' ' || compactLength != expected) {
          continue;
        }
        String compact = raw.substring(0, end).replace(" ", "").toUpperCase(Locale.ROOT);
        if (Checksums.iban(compact)) {
          if (boundary(text, m.start(), m.start() + end)) {
            add(out, text, PiiTypes.IBAN_CODE, m.start(), m.start() + end, 1.0);
          }
          break;
        }
      }
    }
  }

  // --- payment cards ----------------------------------------------------------------------------------

  static final Pattern CARD = Pattern.compile("(?<![\\d+-])\\d(?:[ -]?+\\d){11,18}+(?![\\d-])");
  /** A card number starts at a digit and has at least 12 digits, separated by at most one space or hyphen. */
  static final WindowMatcher.Gate CARD_GATE = (s, i, from) -> from == s.start[i] && s.digitsJoinedBy(i, " -") >= 12;
  private static final List<String> CARD_CONTEXT = List.of("card", "karte", "visa", "mastercard", "maestro", "amex",
      "kreditkarte", "carte", "tarjeta");

  static void creditCard(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    WindowMatcher m = WindowMatcher.atNumbers(scan, CARD, 40, CARD_GATE);
    while (m.find()) {
      String digits = Checksums.digitsOnly(m.group());
      char first = digits.charAt(0);
      boolean network = first == '3' || first == '4' || first == '5' || first == '6' || first == '2'
          || digits.startsWith("1800");
      boolean longEnough = digits.length() >= 13
          || (digits.length() == 12 && contextBefore(scan, m.start(), 30, CARD_CONTEXT));
      if (longEnough && network && CheckDigits.luhn(digits) && consistentGroups(m.group())) {
        add(out, text, PiiTypes.CREDIT_CARD, m.start(), m.end(), 1.0);
      }
    }
  }

  /**
   * Separators, if any, must be of one kind and split the number the way cards are printed: groups of
   * four with a last group of three or four, or Amex/Diners 4-6-5 and 4-6-4.
   */
  /** Precompiled: {@code String.split} with this regex compiles it on every call. */
  private static final Pattern CARD_SEPARATOR = Pattern.compile("[ -]");

  static boolean consistentGroups(String s) {
    boolean space = s.indexOf(' ') >= 0;
    boolean dash = s.indexOf('-') >= 0;
    if (space && dash) {
      return false;
    }
    if (!space && !dash) {
      return true;
    }
    String[] groups = CARD_SEPARATOR.split(s);
    if (groups.length == 3 && groups[0].length() == 4 && groups[1].length() == 6
        && (groups[2].length() == 5 || groups[2].length() == 4)) {
      return true;
    }
    for (int i = 0; i < groups.length - 1; i++) {
      if (groups[i].length() != 4) {
        return false;
      }
    }
    int last = groups[groups.length - 1].length();
    return last >= 3 && last <= 4;
  }

  // --- IP addresses -----------------------------------------------------------------------------------

  private static final Pattern IPV4 = Pattern.compile(
      "(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\d]|\\.\\d)");
  private static final Pattern IPV6 = Pattern.compile(
      "(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\\w:])");

  /** @return true when some digit is followed by a dot and a digit three times in a row (a.b.c.d) */
  private static boolean dottedQuadLikely(String text) {
    int dots = 0;
    for (int i = 1; i + 1 < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.' && Character.isDigit(text.charAt(i - 1)) && Character.isDigit(text.charAt(i + 1))) {
        if (++dots >= 3) {
          return true;
        }
      } else if (!Character.isDigit(c) && c != '.') {
        dots = 0;
      }
    }
    return false;
  }

  static void ip(String text, PiiLanguage lang, List<PiiEntity> out) {
    Matcher m;
    if (dottedQuadLikely(text)) {
      m = IPV4.matcher(text);
      while (m.find()) {
        add(out, text, PiiTypes.IP_ADDRESS, m.start(), m.end(), 0.95);
      }
    }
    if (text.indexOf(':') < 0) {
      return;
    }
    m = IPV6.matcher(text);
    while (m.find()) {
      if (validIpv6(m.group())) {
        add(out, text, PiiTypes.IP_ADDRESS, m.start(), m.end(), 0.95);
      }
    }
  }

  static boolean validIpv6(String s) {
    int dc = s.indexOf("::");
    if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
      return false;
    }
    String[] groups = s.split(":", -1);
    int nonEmpty = 0;
    boolean hasLetterOrLong = false;
    for (String g : groups) {
      if (!g.isEmpty()) {
        nonEmpty++;
        if (g.length() > 4) {
          return false;
        }
        hasLetterOrLong |= g.length() >= 3 || g.chars().anyMatch(Character::isLetter);
      }
    }
    // a time like 12:30:45 is not an address: require 8 groups or "::" plus a hex-looking group
    return (dc < 0 ? nonEmpty == 8 : nonEmpty <= 7) && hasLetterOrLong;
  }

  // --- German tax id ----------------------------------------------------------------------------------

  static final Pattern DE_TAX = Pattern.compile("(?<![\\d/])\\d{2} ?\\d{3} ?\\d{3} ?\\d{3}(?![\\d/])");

  private static final List<String> TAX_EN = List.of("tax", "tin", "taxpayer");
  private static final List<String> TAX_DE = List.of("steuer", "idnr", "id-nr", "identifikationsnummer");
  private static final List<String> TAX_SHARED = List.of("steuer-id");
  private static final List<String> TAX_CONTEXT_EN = pack(PiiLanguage.EN, TAX_EN, TAX_DE, TAX_SHARED);
  private static final List<String> TAX_CONTEXT_DE = pack(PiiLanguage.DE, TAX_EN, TAX_DE, TAX_SHARED);

  /** 2-3-3-3 digits, each space optional: the first digit run has 2, 5, 8 or 11 digits. */
  static final WindowMatcher.Gate DE_TAX_GATE = (s, i, from) -> from == s.start[i]
      && (s.length(i) == 2 || s.length(i) == 5 || s.length(i) == 8 || s.length(i) == 11);

  static void deTaxId(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    WindowMatcher m = WindowMatcher.atNumbers(scan, DE_TAX, 16, DE_TAX_GATE);
    while (m.find()) {
      String d = Checksums.digitsOnly(m.group());
      if (Checksums.deTaxId(d)) {
        boolean ctx = contextBefore(scan, m.start(), 50, lang == PiiLanguage.DE ? TAX_CONTEXT_DE : TAX_CONTEXT_EN);
        add(out, text, PiiTypes.DE_TAX_ID, m.start(), m.end(), ctx ? 1.0 : 0.75);
      }
    }
  }

  // --- VAT ids ----------------------------------------------------------------------------------------

  private static final Pattern VAT = Pattern.compile(
      "\\b(?:DE ?(\\d{9})|ATU ?(\\d{8})|CHE[- ]?(\\d{3}[.]?\\d{3}[.]?\\d{3})(?: ?(?:MWST|TVA|IVA))?)\\b");

  static void vat(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    if (text.indexOf("DE") < 0 && text.indexOf("ATU") < 0 && text.indexOf("CHE") < 0) {
      return; // every alternative of VAT begins with one of these (case-sensitive): nothing to find
    }
    WindowMatcher m = new WindowMatcher(scan, VAT, 5, 8);
    while (m.find()) {
      boolean ok = m.group(1) != null ? Checksums.deVat(m.group(1))
          : m.group(2) != null ? Checksums.atVat(m.group(2))
          : Checksums.chUid(Checksums.digitsOnly(m.group(3)));
      if (ok) {
        add(out, text, PiiTypes.VAT_ID, m.start(), m.end(), 1.0);
      }
    }
  }

  // --- social security (DE, AT, CH) -------------------------------------------------------------------

  static final Pattern DE_RVNR = Pattern.compile("\\b(\\d{2}) ?(\\d{6}) ?([A-Za-z]) ?(\\d{3})\\b");
  static final Pattern AT_SVNR = Pattern.compile("(?<!\\d)(\\d{4}) ?(\\d{6})(?!\\d)");
  static final Pattern CH_AHV_P = Pattern.compile("\\b756[. ]?\\d{4}[. ]?\\d{4}[. ]?\\d{2}\\b");
  /** 2 + 6 digits, the space optional: the first digit run has 2 or 8 digits. */
  static final WindowMatcher.Gate DE_RVNR_GATE = (s, i, from) -> from == s.start[i]
      && (s.length(i) == 2 || s.length(i) == 8);
  /** 4 + 6 digits, the space optional: the first digit run has 4 or 10 digits. */
  static final WindowMatcher.Gate AT_SVNR_GATE = (s, i, from) -> from == s.start[i]
      && (s.length(i) == 4 || s.length(i) == 10);
  /** Starts with 756. */
  static final WindowMatcher.Gate CH_AHV_GATE = (s, i, from) -> from == s.start[i] && s.text.startsWith("756", from);
  private static final List<String> SOCIAL_EN = List.of("social", "insurance", "ssn");
  private static final List<String> SOCIAL_DE = List.of("versicherung", "sv-nr", "sv-nummer", "sv nummer",
      "sozialversicherung", "versicherungsnummer");
  private static final List<String> SOCIAL_SHARED = List.of("svnr", "rvnr", "ahv", "svn");
  private static final List<String> SOCIAL_CONTEXT_EN = pack(PiiLanguage.EN, SOCIAL_EN, SOCIAL_DE, SOCIAL_SHARED);
  private static final List<String> SOCIAL_CONTEXT_DE = pack(PiiLanguage.DE, SOCIAL_EN, SOCIAL_DE, SOCIAL_SHARED);

  static void socialSecurity(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    WindowMatcher m = WindowMatcher.atNumbers(scan, DE_RVNR, 16, DE_RVNR_GATE);
    while (m.find()) {
      String v = m.group(1) + m.group(2) + m.group(3) + m.group(4);
      if (Checksums.deSocialSecurity(v)) {
        add(out, text, PiiTypes.DE_SOCIAL_SECURITY, m.start(), m.end(), 1.0);
      }
    }
    m = WindowMatcher.atNumbers(scan, AT_SVNR, 12, AT_SVNR_GATE);
    while (m.find()) {
      String d = m.group(1) + m.group(2);
      // ten digits are common; only with context words is the checksum match reported
      if (Checksums.atSocialSecurity(d) && contextBefore(scan, m.start(), 50,
          lang == PiiLanguage.DE ? SOCIAL_CONTEXT_DE : SOCIAL_CONTEXT_EN)) {
        add(out, text, PiiTypes.AT_SOCIAL_SECURITY, m.start(), m.end(), 0.95);
      }
    }
    m = WindowMatcher.atNumbers(scan, CH_AHV_P, 16, CH_AHV_GATE);
    while (m.find()) {
      if (Checksums.ean13(Checksums.digitsOnly(m.group()))) {
        add(out, text, PiiTypes.CH_AHV, m.start(), m.end(), 1.0);
      }
    }
  }

  // --- US SSN -----------------------------------------------------------------------------------------

  static final Pattern SSN = Pattern.compile("(?<![\\d-])(\\d{3})([- ]?)(\\d{2})\\2(\\d{4})(?![\\d-])");

  /** 3-2-4 digits with one separator kind or none: the first digit run has 3 or 9 digits. */
  static final WindowMatcher.Gate SSN_GATE = (s, i, from) -> from == s.start[i]
      && (s.length(i) == 3 || s.length(i) == 9);
  private static final List<String> SSN_CONTEXT = List.of("ssn", "social security", "social sec");

  static void usSsn(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    WindowMatcher m = WindowMatcher.atNumbers(scan, SSN, 10, SSN_GATE);
    while (m.find()) {
      String d = m.group(1) + m.group(3) + m.group(4);
      if (!Checksums.usSsn(d)) {
        continue;
      }
      boolean ctx = contextBefore(scan, m.start(), 40, SSN_CONTEXT);
      if (!m.group(2).isEmpty()) {
        add(out, text, PiiTypes.US_SSN, m.start(), m.end(), ctx ? 1.0 : 0.85);
      } else if (ctx) {
        add(out, text, PiiTypes.US_SSN, m.start(), m.end(), 0.8);
      }
    }
  }

  // --- phone numbers ----------------------------------------------------------------------------------

  static final Pattern PHONE = Pattern.compile(
      "(?<![\\w+])(?:"
          // E.164 and international with separators: +49 30 1234567, +1 (415) 555-0100, 0049 ...
          + "(?:\\+|00)[1-9]\\d{0,2}[ .-]?(?:\\(0\\)[ ]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,5}(?:[ .-]?\\d{2,5}){1,4}"
          // US/NANP: (415) 555-0100, 415-555-0100, 415.555.0100, 1-800-555-0199
          + "|(?:1[ .-])?\\(\\d{3}\\)[ .-]?\\d{3}[ .-]\\d{4}|(?:1[ .-])?\\d{3}[.-]\\d{3}[.-]\\d{4}"
          // national with trunk 0: DE/AT/CH/UK/FR: 030 1234567, 030/123456, 0171-1234567, 020 7946 0958,
          // 01 23 45 67 89, 044 668 18 00
          + "|0\\d{1,4}(?:[ /-]|\\) ?)?\\d{2,8}(?:[ -]\\d{2,5}){0,3}"
          + "|\\(0\\d{1,4}\\) ?\\d{3,8}(?:[ -]\\d{2,5}){0,2}"
          + ")(?![\\w])");
  /**
   * The alternatives of {@link #PHONE} start with {@code +} or {@code (} (then the attempt starts before
   * the number), with a trunk or international {@code 0}, with {@code 1} and a separator, or with three
   * digits and a dot or hyphen (415.555.0100).
   */
  static final WindowMatcher.Gate PHONE_GATE = (s, i, from) -> {
    int st = s.start[i];
    if (from < st || s.text.charAt(st) == '0') {
      return true;
    }
    char next = s.end[i] < s.text.length() ? s.text.charAt(s.end[i]) : ' ';
    int length = s.length(i);
    return length == 1 && s.text.charAt(st) == '1' && (next == ' ' || next == '.' || next == '-')
        || length == 3 && (next == '.' || next == '-');
  };
  private static final List<String> PHONE_EN = List.of("phone", "call", "mobile", "cell", "number", "contact",
      "dial", "reach", "text me");
  private static final List<String> PHONE_DE = List.of("telefon", "handy", "mobil", "ruf", "anruf", "nummer",
      "kontakt", "erreichbar");
  private static final List<String> PHONE_SHARED = List.of("tel", "fax", "whatsapp", "sms", "téléphone", "portable");

  private static final Pattern PHONE_CUED = Pattern.compile(
      "(?i)(?:\\bphone|\\btel\\.?|\\btelephone|\\bmobile|\\bcell|\\bfax|\\bcall (?:me |us )?(?:on|at)|"
          + "\\breach (?:me |us )?(?:on|at)|\\btelefon|\\bhandy|\\bmobil|\\brufnummer|\\bt[ée]l[ée]phone|"
          + "\\bportable|\\btext me (?:on|at))"
          + "(?:\\s*(?:number|nummer|no\\.?|nr\\.?|#))?\\s*[:.]?\\s*"
          + "(\\+?\\(?\\d[\\d().\\-/ ]{4,20}\\d(?:\\s?(?:x|ext\\.?)\\s?\\d{1,5})?)(?![\\d])");

  private static final List<String> PHONE_CUES = List.of("phone", "tel", "mobile", "cell", "fax", "call", "reach",
      "telefon", "handy", "mobil", "rufnummer", "tél", "portable", "text me");

  private static final Pattern NANP_DOTTED = Pattern.compile("(?:1[ .-])?\\d{3}[.-]\\d{3}[.-]\\d{4}");
  private static final List<String> PHONE_CONTEXT_EN = pack(PiiLanguage.EN, PHONE_EN, PHONE_DE, PHONE_SHARED);
  private static final List<String> PHONE_CONTEXT_DE = pack(PiiLanguage.DE, PHONE_EN, PHONE_DE, PHONE_SHARED);

  static void phone(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    atKeywords(PHONE_CUED, scan, PHONE_CUES, 80, cued -> {
      String digits = Checksums.digitsOnly(cued.group(1));
      if (digits.length() >= 7 && digits.length() <= 18) {
        add(out, text, PiiTypes.PHONE_NUMBER, cued.start(1), cued.end(1), 0.8);
      }
    });
    WindowMatcher m = WindowMatcher.atNumbers(scan, PHONE, 30, PHONE_GATE);
    while (m.find()) {
      String g = m.group();
      String digits = Checksums.digitsOnly(g);
      if (m.start() >= 2 && g.charAt(0) != '+' && text.charAt(m.start() - 1) == ' '
          && Character.isDigit(text.charAt(m.start() - 2))) {
        continue; // the tail of a longer digit group (an account number), not a phone number
      }
      if (digits.length() < 7 || digits.length() > 15) {
        continue;
      }
      boolean international = g.startsWith("+") || g.startsWith("00");
      boolean nanp = g.startsWith("(") && !g.startsWith("(0") || NANP_DOTTED.matcher(g).matches();
      boolean separated = g.indexOf(' ') >= 0 || g.indexOf('-') >= 0 || g.indexOf('/') >= 0
          || g.indexOf('(') >= 0 || g.indexOf('.') >= 0;
      boolean ctx = contextBefore(scan, m.start(), 40,
          lang == PiiLanguage.DE ? PHONE_CONTEXT_DE : PHONE_CONTEXT_EN);
      double score;
      if (international) {
        score = 0.9;
      } else if (nanp) {
        score = 0.8;
      } else if (separated) {
        score = ctx ? 0.8 : 0.5;
      } else {
        score = ctx ? 0.7 : 0.3;
      }
      if (ctx && score < 0.95) {
        score += 0.1;
      }
      if (score >= 0.5) {
        add(out, text, PiiTypes.PHONE_NUMBER, m.start(), m.end(), score);
      }
    }
  }

  // --- dates ------------------------------------------------------------------------------------------

  private static final String MONTHS_EN = "January|February|March|April|May|June|July|August|September|October"
      + "|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec";
  private static final String MONTHS_DE = "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September"
      + "|Oktober|November|Dezember";
  private static final Pattern DATE = Pattern.compile(
      "\\b(?:"
          + "\\d{1,2}\\.\\s?\\d{1,2}\\.\\s?(?:19|20)\\d{2}"
          + "|\\d{1,2}/\\d{1,2}/(?:19|20)?\\d{2}"
          + "|(?:19|20)\\d{2}-\\d{2}-\\d{2}(?:[ T]\\d{2}:\\d{2}(?::\\d{2})?)?"
          + "|\\d{1,2}(?:st|nd|rd|th)?\\.?\\s(?:of\\s)?(?:" + MONTHS_EN + "|" + MONTHS_DE + ")\\.?,?\\s(?:19|20)\\d{2}"
          + "|(?:" + MONTHS_EN + ")\\.?\\s\\d{1,2}(?:st|nd|rd|th)?,?\\s(?:19|20)\\d{2}"
          + "|(?:" + MONTHS_EN + "|" + MONTHS_DE + ")\\s(?:19|20)\\d{2}"
          + ")\\b");
  private static final List<String> BIRTH_EN = List.of("born", "birth", "dob", "birthday");
  private static final List<String> BIRTH_DE = List.of("geboren", "geb.", "geburtsdatum", "geburtstag");
  private static final List<String> BIRTH_SHARED = List.of("né", "née", "nacido");
  private static final List<String> BIRTH_CONTEXT_EN = pack(PiiLanguage.EN, BIRTH_EN, BIRTH_DE, BIRTH_SHARED);
  private static final List<String> BIRTH_CONTEXT_DE = pack(PiiLanguage.DE, BIRTH_EN, BIRTH_DE, BIRTH_SHARED);

  static final Pattern DATE_NUMERIC = Pattern.compile(
      "\\b(?:\\d{1,2}\\.\\s?\\d{1,2}\\.\\s?(?:19|20)\\d{2}|\\d{1,2}/\\d{1,2}/(?:19|20)?\\d{2}|(?:19|20)\\d{2}-\\d{2}-\\d{2}(?:[ T]\\d{2}:\\d{2}(?::\\d{2})?)?)\\b");
  /** d.m.yyyy and d/m/yy begin with 1 or 2 digits and a dot or slash, yyyy-mm-dd with 4 digits and a hyphen. */
  static final WindowMatcher.Gate DATE_NUMERIC_GATE = (s, i, from) -> {
    if (from != s.start[i] || s.end[i] >= s.text.length()) {
      return false;
    }
    char next = s.text.charAt(s.end[i]);
    int length = s.length(i);
    return length <= 2 && (next == '.' || next == '/') || length == 4 && next == '-';
  };
  private static final WordSet MONTH_WORDS = monthWords();

  private static WordSet monthWords() {
    Set<String> out = new HashSet<>();
    for (String m : (MONTHS_EN + "|" + MONTHS_DE).split("\\|")) {
      out.add(m.toLowerCase(Locale.ROOT));
    }
    return WordSet.of(out);
  }

  static void dates(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    WindowMatcher m = scan.hasWord(MONTH_WORDS) ? new WindowMatcher(scan, DATE, 24, 24)
        : WindowMatcher.atNumbers(scan, DATE_NUMERIC, 20, DATE_NUMERIC_GATE);
    while (m.find()) {
      if (!plausibleNumericDate(m.group(), lang)) {
        continue;
      }
      boolean birth = contextBefore(scan, m.start(), 40, lang == PiiLanguage.DE ? BIRTH_CONTEXT_DE : BIRTH_CONTEXT_EN);
      add(out, text, PiiTypes.DATE_TIME, m.start(), m.end(), birth ? 0.95 : 0.6);
    }
    yearsAndWeekdays(scan, out);
  }

  /** Prepositions that make a following four-digit number a year ("in 1977", "seit 2001"). */
  private static final WordSet YEAR_CUES = WordSet.of("in", "during", "since", "until", "till", "by", "from",
      "before", "after", "around", "circa", "year", "im", "seit", "bis", "ab", "vor", "nach", "jahr", "um");
  private static final WordSet WEEKDAYS = WordSet.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
      "Saturday", "Sunday", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag");

  /**
   * DATE_TIME also covers what Presidio's DATE_TIME covers beyond full dates: a year 1900-2099 after a
   * temporal preposition ("during 1971"), after "of" closing a name ("the Clean Air Act of 1970") or
   * between an article and a singular noun ("a 2017 film"), and a capitalised weekday name. Both score
   * 0.55, below full dates (0.6) and birth dates (0.95), so {@code minScore(0.6)} drops them.
   */
  static void yearsAndWeekdays(TextScan s, List<PiiEntity> out) {
    for (int i = 0; i < s.size; i++) {
      if (s.is(i, TextScan.NUMBER)) {
        if (s.end[i] - s.start[i] != 4 || i == 0 || !s.joined(i - 1)
            || !s.is(i - 1, TextScan.LOWER | TextScan.CAPITALISED)) {
          continue;
        }
        char c0 = s.text.charAt(s.start[i]);
        char c1 = s.text.charAt(s.start[i] + 1);
        boolean year = (c0 == '1' && c1 == '9') || (c0 == '2' && c1 == '0');
        int e = s.end[i];
        boolean alone = e >= s.text.length() || !Character.isLetterOrDigit(s.text.charAt(e))
            && !(e + 1 < s.text.length() && (s.text.charAt(e) == '.' || s.text.charAt(e) == ',' || s.text.charAt(e) == '-')
            && Character.isDigit(s.text.charAt(e + 1)));
        if (year && alone && (s.lowerIn(YEAR_CUES, i - 1) || yearOf(s, i) || yearAsAdjective(s, i))) {
          add(out, s.text, PiiTypes.DATE_TIME, s.start[i], e, 0.55);
        }
      } else if (s.is(i, TextScan.CAPITALISED) && s.tokenIn(WEEKDAYS, i)) {
        add(out, s.text, PiiTypes.DATE_TIME, s.start[i], s.end[i], 0.55);
      }
    }
  }

  /** @return true for "of YEAR" after a capitalised name: "the Clean Air Act of 1970", "Class of 2001" */
  private static boolean yearOf(TextScan s, int i) {
    return i > 1 && s.lowerIs(i - 1, "of") && s.joined(i - 2) && s.is(i - 2, TextScan.CAPITALISED);
  }

  /**
   * @return true for "a/the YEAR noun": "a 2017 film", "the 2016 election"; not before a plural ("the
   *     2000 employees"), where the number is a count
   */
  private static boolean yearAsAdjective(TextScan s, int i) {
    if (!(s.lowerIs(i - 1, "a") || s.lowerIs(i - 1, "the")) || i + 1 >= s.size || !s.joined(i)) {
      return false;
    }
    int n = i + 1;
    return s.is(n, TextScan.LOWER | TextScan.CAPITALISED) && s.text.charAt(s.end[n] - 1) != 's';
  }

  /** What {@code String.split("[./-]\\s?")} and {@code matches("[\\d./\\s-]+")} compiled on every call. */
  private static final Pattern DATE_SEPARATOR = Pattern.compile("[./-]\\s?");
  private static final Pattern NUMERIC_DATE_CHARS = Pattern.compile("[\\d./\\s-]+");

  /** German numeric dates are day first; English ones may be either (US month first). */
  private static boolean plausibleNumericDate(String s, PiiLanguage lang) {
    String[] parts = DATE_SEPARATOR.split(s);
    if (parts.length != 3 || !NUMERIC_DATE_CHARS.matcher(s).matches()) {
      return true;
    }
    try {
      int a = Integer.parseInt(parts[0].trim());
      int b = Integer.parseInt(parts[1].trim());
      int c = Integer.parseInt(parts[2].trim());
      if (a > 31) { // ISO yyyy-mm-dd
        return b >= 1 && b <= 12 && c >= 1 && c <= 31;
      }
      boolean dayFirst = a <= 31 && b <= 12;
      boolean monthFirst = a <= 12 && b <= 31;
      return a >= 1 && b >= 1 && (lang == PiiLanguage.DE ? dayFirst : dayFirst || monthFirst) && c >= 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  // --- age --------------------------------------------------------------------------------------------

  private static final Pattern AGE_P = Pattern.compile(
      "(?i)\\b(\\d{1,3})(?:\\s|-)(?:years?|yrs?|year-old|jahre?|jährige[rn]?|ans)(?:\\s|-)?(?:old|alt|of age)?\\b"
          + "|\\b(?:aged?|im alter von|alter:?|âgée? de|at the age of|turned|turns|turning|(?:will|i'll|he'll|she'll) "
          + "turn|wurde|werde|wird) (\\d{1,3})\\b(?!\\s?(?:%|percent|prozent|dollars?|euros?|minutes?|hours?|"
          + "days?|weeks?|months?|km|kg|miles|times|mal|x\\b))"
          + "|\\b(\\d{1,3}) ?(?:y/o|y\\.o\\.|yo|yrs? old)(?![\\p{L}])");

  private static final List<String> AGE_WORDS = List.of("year", "yr", "jahr", "jährig", "ans ", "age ", "aged ",
      "alter", "turn", "wurde ", "werde ", "wird ", "y/o", "y.o.", "yo ", "âgé", "im alter");

  static void age(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    if (!scan.anyWordStartsWith(AGE_WORDS)) {
      return;
    }
    Matcher m = AGE_P.matcher(text);
    while (m.find()) {
      String full = m.group().toLowerCase(Locale.ROOT);
      int g = m.group(1) != null ? 1 : m.group(2) != null ? 2 : 3;
      int age = Integer.parseInt(m.group(g));
      boolean stated = m.group(2) != null || m.group(3) != null || full.contains("old") || full.contains("alt") || full.contains("jährig")
          || full.contains("year-old") || full.contains("of age");
      if (age <= 125 && stated) {
        add(out, text, PiiTypes.AGE, m.start(g), m.end(g), 0.85);
      }
    }
  }

  // --- street addresses -------------------------------------------------------------------------------

  private static final String US_SUFFIX = "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct"
      + "|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Loop|Alley|Crescent|Row";
  private static final Pattern US_ADDRESS = Pattern.compile(
      "\\b\\d{1,6}[A-Z]?\\s(?:[NSEW]\\.?\\s|North\\s|South\\s|East\\s|West\\s)?(?:[A-Z0-9][\\p{L}'’.-]*\\s){1,4}"
          + "(?:" + US_SUFFIX + ")\\b\\.?"
          + "(?:,?\\s(?:Apt|Apartment|Suite|Ste|Unit|#)\\.?\\s?#?[\\w-]{1,6})?"
          + "(?:,?\\s[A-Z][\\p{L}'’.-]+(?:\\s[A-Z][\\p{L}'’.-]+){0,2},\\s?[A-Z]{2}(?:\\s\\d{5}(?:-\\d{4})?)?)?");
  private static final Pattern DE_ADDRESS = Pattern.compile(
      "\\b(?:[A-ZÄÖÜ][\\p{L}-]*(?:straße|strasse|str\\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|steig|pfad)"
          + "|(?:Am|An der|Auf dem|Im|In der|Zum|Zur)\\s[A-ZÄÖÜ][\\p{L}-]+)"
          + "\\s\\d{1,4}(?:\\s?[a-zA-Z](?!\\p{L}))?(?:-\\d{1,4})?"
          + "(?:,?\\s(?:[A-Z]-|D-|CH-|A-)?\\d{4,5}\\s[A-ZÄÖÜ][\\p{L}-]+(?:\\s(?:am|an der|im|bei)\\s[A-ZÄÖÜ][\\p{L}-]+)?)?");

  private static final Pattern ADDRESS_CUE = Pattern.compile(
      "(?i)(?:\\baddress(?: is)?:?|\\blives at|\\bliving at|\\blocated at|\\bresides at"
          + "|\\bsend (?:it |them )?to|\\bwohnt (?:in der|in|an der|am)|\\bwohnhaft in"
          + "|\\banschrift:?|\\badresse:?|\\blieferadresse:?)[ \\t]+");

  private static final String STREET_PREFIX = "Rue|Avenue|Boulevard|Calle|Carrer|Avenida|Rua|Travessa|Via|Viale|Piazza|"
      + "Corso|Largo|Ulica|ul\\.|Strada|Calea|Plaza|Paseo|Camino";
  private static final String STREET_SUFFIX = "straße|strasse|str\\.|gasse|weg|platz|allee|ring|damm|ufer|katu|tie|"
      + "kuja|polku|gatan|gata|vägen|väg|vej|vænget|gade|stræti|straat|laan|plein|gracht|kade|steeg|utca|tér|út|"
      + "ulica|street|road|lane";
  static final Pattern INTL_ADDRESS = Pattern.compile(
      "\\b(?:\\d{1,6}\\s)?(?:"
          + "(?:" + STREET_PREFIX + ")(?:\\s(?:d[aeiou]s?|de la|de|del|della|di|du|des|do|da|\\p{Lu}[\\p{L}'’.-]*)){1,4}"
          + "|\\p{Lu}[\\p{L}'’-]*(?:" + STREET_SUFFIX + ")"
          + "|(?:\\p{Lu}[\\p{L}'’.-]*\\s){1,3}(?:u\\.|utca|út|tér|krt\\.|Gade|Vej|Straat|Weg)"
          + ")\\s\\d{1,5}[a-zA-Z]?(?:[/-]\\d{1,4})?\\.?");
  private static final Pattern ADDRESS_TAIL = Pattern.compile(
      "\\G[ \\t,]*\\n?[ \\t,]*(?:(?:Apt|Apartment|Suite|Ste|Unit|Flat|Wohnung|Whg)\\.?\\s?#?[\\w-]{1,6}"
          + "|\\d{4,6}(?:-\\d{3,4})?|[A-Z]{1,2}-?\\d{4,5}"
          + "|\\p{Lu}[\\p{L}'’.-]*(?:\\s(?:am|an der|im|bei|de|del|sur|\\p{Lu}[\\p{L}'’.-]*)){0,3}"
          + "|\\((?:\\p{Lu}[\\p{L}]*)\\))");

  /** Extends an address over following unit, city, state, postcode and country segments. */
  static int extendAddress(String text, int end) {
    Matcher t = ADDRESS_TAIL.matcher(text);
    t.useTransparentBounds(true);
    int limit = Math.min(text.length(), end + 120);
    t.region(end, limit);
    int segments = 0;
    while (segments < 6 && t.lookingAt()) {
      String seg = t.group().strip();
      if (seg.isEmpty()) {
        break;
      }
      int lead = 0;
      while (lead < seg.length() && (seg.charAt(lead) == ' ' || seg.charAt(lead) == ',')) {
        lead++;
      }
      String word = seg.substring(lead);
      int sp = word.indexOf(' ');
      if (NOT_NAMES.contains(sp < 0 ? word : word.substring(0, sp)) && !isPlace(word)) {
        break;
      }
      end = t.end();
      segments++;
      t.region(end, limit);
    }
    return end;
  }

  /** Street-name endings and street words of DE, AT, CH, Nordic, Dutch, Hungarian and English addresses. */
  private static final List<String> STREET_WORDS = List.of("straße", "strasse", "str.", "gasse", "weg", "platz",
      "allee", "ring", "damm", "ufer", "chaussee", "steig", "pfad", "katu", "tie", "kuja", "polku", "gatan", "gata",
      "vägen", "väg", "vej", "vænget", "gade", "stræti", "straat", "laan", "plein", "gracht", "kade", "steeg", "utca",
      "tér", "út", "ulica", "street", "road", "lane", "u.", "krt.");
  private static final List<String> STREET_PREFIXES = List.of("rue ", "avenue ", "boulevard ", "calle ", "carrer ",
      "avenida ", "rua ", "travessa ", "via ", "viale ", "piazza ", "corso ", "largo ", "ulica ", "ul. ", "strada ",
      "calea ", "plaza ", "paseo ", "camino ");
  private static final List<String> DE_STREET_PREFIXES = List.of("am ", "an der ", "auf dem ", "im ", "in der ",
      "zum ", "zur ");
  private static final List<String> US_STREET_WORDS = List.of("street", "st ", "st.", "st,", "avenue", "ave",
      "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr ", "dr.", "dr,", "court", "ct", "way", "place",
      "pl ", "pl.", "terrace", "ter", "circle", "cir", "parkway", "pkwy", "highway", "hwy", "square", "sq", "trail",
      "trl", "loop", "alley", "crescent", "row");

  private static final List<String> ADDRESS_CUES = List.of("address", "lives at", "living at", "located at",
      "resides at", "send", "wohnt", "wohnhaft", "anschrift", "adresse", "lieferadresse");

  static void streetAddress(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    boolean suffix = scan.hasWordEnding(STREET_ENDINGS_BY_LAST);
    byte[] streetish = new byte[scan.size];
    if (suffix || scan.anyWordStartsWith(STREET_PREFIXES)) {
      beforeNumbers(scan, INTL_ADDRESS, 6, 12, streetish, Recognizers::intlAddressMayStart, m -> {
        if (!everydayWordFirst(text, m.start(), m.end())) {
          add(out, text, PiiTypes.STREET_ADDRESS, m.start(), extendAddress(text, m.end()), 0.8);
        }
      });
    }
    suffixAddresses(scan, out);
    List<int[]> cues = new ArrayList<>();
    atKeywords(ADDRESS_CUE, scan, ADDRESS_CUES, 60, c -> cues.add(new int[] {c.end()}));
    for (int[] cue : cues) {
      int start = cue[0];
      int end = start;
      int limit = Math.min(text.length(), start + 140);
      boolean digit = false;
      while (end < limit) {
        char c = text.charAt(end);
        if (c == '?' || c == '!' || c == ';' || (c == '.' && (end + 1 >= text.length()
            || Character.isWhitespace(text.charAt(end + 1))) && end > start && Character.isDigit(text.charAt(end - 1)))
            || (c == '\n' && end + 1 < text.length() && text.charAt(end + 1) == '\n')) {
          break;
        }
        digit |= Character.isDigit(c);
        end++;
      }
      while (end > start && (Character.isWhitespace(text.charAt(end - 1)) || text.charAt(end - 1) == ',')) {
        end--;
      }
      if (digit && end - start >= 6 && Character.isLetterOrDigit(text.charAt(start))) {
        add(out, text, PiiTypes.STREET_ADDRESS, start, end, 0.75);
      }
    }
    if (scan.hasWord(US_STREET_TOKENS)) {
      beforeNumbers(scan, US_ADDRESS, 0, 160,
          m -> add(out, text, PiiTypes.STREET_ADDRESS, m.start(), extendAddress(text, m.end()), 0.8));
    }
    if (suffix || scan.anyWordStartsWith(DE_STREET_PREFIXES)) {
      beforeNumbers(scan, DE_ADDRESS, 4, 60, streetish, m -> {
        if (!everydayWordFirst(text, m.start(), m.end())) {
          add(out, text, PiiTypes.STREET_ADDRESS, m.start(), extendAddress(text, m.end()), 0.85);
        }
      });
    }
  }

  /**
   * @return true when the first word of a street match is a frequent word that ends like a street word
   *     but is longer, such as "During" or "Spring" (ending in "ring"): "During 1971" is a year, not a street. A street
   *     word alone ("Ring 5") and compounds ("Hauptstraße") are not frequent words and pass.
   */
  static boolean everydayWordFirst(String text, int from, int to) {
    int a = from;
    while (a < to && !TextScan.isLetter(text.charAt(a))) {
      a++;
    }
    int b = a;
    while (b < to && TextScan.isLetter(text.charAt(b))) {
      b++;
    }
    if (b - a <= 4) {
      return false;
    }
    String word = text.substring(a, b).toLowerCase(Locale.ROOT);
    if (!Gazetteer.FREQUENT.contains(word)) {
      return false;
    }
    Matcher m = STREET_SUFFIX_AT_END.matcher(word);
    return m.find() && m.start() > 0; // "Ring 5" alone is a street
  }

  private static final Pattern STREET_SUFFIX_AT_END = Pattern.compile("(?:" + STREET_SUFFIX + ")$");

  /**
   * Address patterns all contain a house number: runs {@code pattern} anchored ({@code lookingAt}) at the
   * starts of the {@code back} tokens before each number token and at the number itself, farthest first,
   * keeping a match that reaches the number. A handful of anchored attempts per number instead of a
   * search from every position of the text.
   */
  static void beforeNumbers(TextScan s, Pattern pattern, int back, int after,
      java.util.function.Consumer<Matcher> onMatch) {
    beforeNumbers(s, pattern, back, after, null, StartGate.ALWAYS, onMatch);
  }

  /** A necessary condition for an address pattern to match from the start of token {@code k}. */
  @FunctionalInterface
  interface StartGate {
    /** Every token may start a match. */
    StartGate ALWAYS = (s, k) -> true;

    /** @return false only where the pattern cannot match from the start of token {@code k} */
    boolean mayStart(TextScan s, int k);
  }

  private static final String[] STREET_PREFIX_ALTERNATIVES = STREET_PREFIX.replace("\\.", ".").split("\\|");

  /**
   * Gate of {@link #INTL_ADDRESS} at a word token (a number token may start it with its house number):
   * it begins with one of the street prefixes ("Rue", "ul."), or else with at most four words of letters,
   * apostrophes, periods and hyphens, each followed by exactly one whitespace character, all but the last
   * capitalised, the last followed by a digit ("Hauptstraße 12", "Andrássy út 5"). Where neither holds the
   * pattern cannot match, so the attempt (a costly backtracking over street suffixes) is skipped;
   * {@code AddressGateTest} compares with and without this gate.
   */
  static boolean intlAddressMayStart(TextScan s, int k) {
    if (s.is(k, TextScan.NUMBER)) {
      return true;
    }
    String text = s.text;
    int p = s.start[k];
    for (String prefix : STREET_PREFIX_ALTERNATIVES) {
      if (text.startsWith(prefix, p)) {
        return true;
      }
    }
    int n = text.length();
    for (int word = 0; word < 4; word++) {
      char first = text.charAt(p);
      boolean capital = Character.isUpperCase(first) || Character.isSurrogate(first);
      while (p < n && addressWordChar(text.charAt(p))) {
        p++;
      }
      if (p + 1 >= n || !regexSpace(text.charAt(p))) {
        return false;
      }
      char next = text.charAt(p + 1);
      if (next >= '0' && next <= '9') {
        return true;
      }
      if (!capital || !addressWordChar(next)) {
        return false; // only a capitalised word may be followed by another before the street word
      }
      p++;
    }
    return false;
  }

  /** @return true for a character of {@code [\p{L}'’.-]} (or half of a supplementary character) */
  private static boolean addressWordChar(char c) {
    return Character.isLetter(c) || c == '\'' || c == '’' || c == '.' || c == '-' || Character.isSurrogate(c);
  }

  /** @return true for a character of the pattern class {@code \s}: {@code [ \t\n\x0B\f\r]} */
  private static boolean regexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  /** As above; with {@code streetish} (a per-token cache), only where a street word precedes the number. */
  static void beforeNumbers(TextScan s, Pattern pattern, int back, int after, byte[] streetish,
      java.util.function.Consumer<Matcher> onMatch) {
    beforeNumbers(s, pattern, back, after, streetish, StartGate.ALWAYS, onMatch);
  }

  /** As above; the pattern is tried only at tokens {@code gate} allows. */
  static void beforeNumbers(TextScan s, Pattern pattern, int back, int after, byte[] streetish, StartGate gate,
      java.util.function.Consumer<Matcher> onMatch) {
    if (s.digits == 0) {
      return;
    }
    Matcher m = pattern.matcher(s.text);
    m.useTransparentBounds(true);
    m.useAnchoringBounds(false);
    int lastEnd = -1;
    for (int i = 0; i < s.size; i++) {
      if (!s.is(i, TextScan.NUMBER) || s.end[i] - s.start[i] > 6 || s.start[i] < lastEnd) {
        continue;
      }
      if (streetish != null && !streetWordBefore(s, i, back, streetish)) {
        continue;
      }
      int limit = Math.min(s.text.length(), s.end[i] + after);
      for (int k = Math.max(0, i - back); k <= i; k++) {
        if (s.start[k] < lastEnd || s.start[i] - s.start[k] > 100
            || !(s.is(k, TextScan.NUMBER) || Character.isUpperCase(s.text.charAt(s.start[k])))
            || (streetish != null && k < i && !s.is(k, TextScan.NUMBER) && !streetSoon(streetish, k, i))
            || !gate.mayStart(s, k)) {
          continue;
        }
        m.region(s.start[k], limit);
        if (m.lookingAt() && m.end() >= s.end[i]) {
          onMatch.accept(m);
          lastEnd = m.end();
          break;
        }
      }
    }
  }

  private static final WordSet STREET_PREFIX_WORDS = streetPrefixWords();
  private static final Set<String> STREET_ENDING_SET = STREET_WORDS.stream().map(w -> w.replace(".", ""))
      .collect(java.util.stream.Collectors.toUnmodifiableSet());
  /** {@link #STREET_ENDING_SET} grouped by last character, so a token is checked against a few only. */
  private static final TextScan.Endings STREET_ENDINGS_BY_LAST = new TextScan.Endings(STREET_ENDING_SET);
  private static final WordSet US_STREET_TOKENS = WordSet.of(US_STREET_WORDS.stream()
      .map(w -> w.replaceAll("[ .,]", "")).collect(java.util.stream.Collectors.toUnmodifiableSet()));

  private static WordSet streetPrefixWords() {
    Set<String> out = new HashSet<>();
    for (String p : STREET_PREFIXES) {
      out.add(p.strip().replace(".", ""));
    }
    for (String p : DE_STREET_PREFIXES) {
      out.add(p.strip().split(" ")[0]);
    }
    return WordSet.of(out);
  }

  /** @return true when a street word (already cached) is among tokens {@code k..k+3} before {@code i} */
  private static boolean streetSoon(byte[] cache, int k, int i) {
    for (int j = k; j < Math.min(i, k + 4); j++) {
      if (cache[j] == 1) {
        return true;
      }
    }
    return false;
  }

  /** @return true when one of the {@code back} tokens before token {@code i} is or ends like a street word */
  private static boolean streetWordBefore(TextScan s, int i, int back, byte[] cache) {
    boolean any = false;
    for (int k = Math.max(0, i - back); k < i; k++) {
      if (cache[k] == 0) {
        boolean street = s.lowerIn(STREET_PREFIX_WORDS, k) || STREET_ENDINGS_BY_LAST.endsToken(s, k, Integer.MAX_VALUE);
        cache[k] = (byte) (street ? 1 : 2);
      }
      any |= cache[k] == 1;
    }
    return any;
  }

  /**
   * US and UK order with the bundled street-type words: a house number, one to four capitalised words of
   * which the last is a street type ("Close", "Gardens", "Parkway"), then unit, city, state and ZIP.
   */
  static void suffixAddresses(TextScan s, List<PiiEntity> out) {
    for (int i = 0; i + 2 < s.size; i++) {
      if (!s.is(i, TextScan.NUMBER) || s.end[i] - s.start[i] > 6 || !s.joined(i)
          || (i > 0 && s.is(i - 1, TextScan.NUMBER) && s.joined(i - 1))) {
        continue;
      }
      int k = i + 1;
      int words = 0;
      int found = -1;
      while (k < s.size && words < 5 && (s.is(k, TextScan.CAPITALISED) || s.is(k, TextScan.ALL_UPPER)
          || s.is(k, TextScan.NUMBER) && words == 0)) {
        words++;
        if (words >= 2 && s.lowerIn(Gazetteer.STREET_SUFFIXES, k)) {
          found = k;
        }
        if (!s.joined(k)) {
          break;
        }
        k++;
      }
      if (found < 0) {
        continue;
      }
      int end = s.end[found];
      if (end < s.text.length() && s.text.charAt(end) == '.') {
        end++;
      }
      add(out, s.text, PiiTypes.STREET_ADDRESS, s.start[i], extendAddress(s.text, end), 0.8);
      i = found;
    }
  }

  // --- person names -----------------------------------------------------------------------------------

  private static final String NAME_WORD = "\\p{Lu}[\\p{Ll}'’\\p{Lu}-]*\\p{Ll}[\\p{Ll}'’-]*";
  private static final String NAME = NAME_WORD + "(?:\\s(?:\\p{Lu}\\.?\\s)?" + NAME_WORD + "){0,2}";
  private static final Pattern TITLED = Pattern.compile(
      "\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Frau|Herrn|Fr|Hr|Monsieur|Madame|Mme|Señor|Señora|Sr|Sra)"
          + "\\.?\\s(?:(?:Dr|Prof)\\.?\\s)?(" + NAME + ")");
  private static final String CUES_EN = "my name is|my name's|name:|i am called|i'm called|this is|signed|"
      + "sincerely,?|regards,?|dear|hello|hi|named|called|by|with|from|contact|ask|for|to";
  private static final String CUES_DE = "ich heiße|ich heisse|mein name ist|name ist|name:|grüße,?|grüßen,?|gruß,?|"
      + "liebe|lieber|hallo|hi|von|mit|für|an|bei|namens";
  private static final String CUES_SHARED = "je m'appelle|me llamo|mi nombre es";
  private static final Pattern CONTEXT_NAME_EN = Pattern.compile(
      "(?i:" + CUES_EN + "|" + CUES_SHARED + ")\\s+(" + NAME + ")");
  private static final Pattern CONTEXT_NAME_DE = Pattern.compile(
      "(?i:" + CUES_DE + "|" + CUES_SHARED + ")\\s+(" + NAME + ")");
  private static final List<String> CUE_WORDS_EN = cueWords(CUES_EN + "|" + CUES_SHARED);
  private static final List<String> CUE_WORDS_DE = cueWords(CUES_DE + "|" + CUES_SHARED);

  private static List<String> cueWords(String alternation) {
    List<String> out = new ArrayList<>();
    for (String a : alternation.split("\\|")) {
      out.add(a.replace(",?", ""));
    }
    return List.copyOf(out);
  }

  private static final Set<String> WEAK_CUES = Set.of("by", "with", "from", "contact", "ask", "for", "to", "this is",
      "hello", "hi", "called", "named", "von", "mit", "für", "an", "bei", "hallo", "namens");
  private static final Set<String> NOT_NAMES = Set.of("The", "This", "That", "These", "Those", "There", "Then",
      "Dear", "Hello", "Hi", "Thanks", "Thank", "Please", "Bitte", "Der", "Die", "Das", "Ein", "Eine", "Ich", "Wir",
      "Sie", "Mein", "Meine", "Your", "My", "Our", "His", "Her", "Their", "We", "You", "It", "In", "On", "At",
      "For", "From", "With", "And", "But", "Or", "If", "When", "What", "Who", "How", "Why", "Where", "Which",
      "Street", "Avenue", "Road", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
      "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag", "Inc", "Ltd", "GmbH",
      "Team", "Support", "Customer", "Service", "Company", "Bank", "University", "Hospital", "January",
      "February", "March", "April", "June", "July", "August", "September", "October", "November", "December",
      "Januar", "Februar", "März", "Juni", "Juli", "Oktober", "Dezember", "Mai", "Uhr");

  private static final List<String> TITLES = List.of("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame",
      "herr", "herrn", "frau", "fr", "hr", "monsieur", "madame", "mme", "señor", "señora", "sr", "sra");

  static void person(TextScan scan, PiiLanguage lang, List<PiiEntity> out) {
    String text = scan.text;
    atCueWords(TITLED, scan, TITLES, 80, m -> {
      int titleEnd = m.start() + 1;
      while (titleEnd < text.length() && Character.isLetter(text.charAt(titleEnd))) {
        titleEnd++;
      }
      if (titleEnd < text.length() && text.charAt(titleEnd) == '.') {
        titleEnd++;
      }
      add(out, text, PiiTypes.TITLE, m.start(), titleEnd, 0.6);
      addName(text, m.start(1), m.end(1), 0.9, out);
    });
    atCueWords(lang == PiiLanguage.DE ? CONTEXT_NAME_DE : CONTEXT_NAME_EN, scan,
        lang == PiiLanguage.DE ? CUE_WORDS_DE : CUE_WORDS_EN, 80, cm -> {
          String cue = text.substring(cm.start(), cm.start(1)).strip().toLowerCase(Locale.ROOT);
          boolean strong = !WEAK_CUES.contains(cue);
          String first = WHITESPACE.split(cm.group(1))[0];
          boolean place = cm.group(1).indexOf(' ') < 0 && isPlace(first); // "travelling to France"
          if (!place && (strong || Gazetteer.GIVEN.contains(first) || cue.equals("named") || cue.equals("called")
              || cue.equals("namens"))) {
            addName(text, cm.start(1), cm.end(1), strong ? 0.85 : 0.7, out);
          }
        });
  }

  /** Precompiled: {@code String.split("\\s")} compiles its regex on every call. */
  private static final Pattern WHITESPACE = Pattern.compile("\\s");

  private static boolean isPlace(String word) {
    return Gazetteer.PLACES.contains(word.toLowerCase(Locale.ROOT));
  }

  private static void addName(String text, int start, int end, double score, List<PiiEntity> out) {
    // trim trailing words that are not names ("Mr. Smith Street" keeps Smith; "Dear Anna Thanks" drops Thanks)
    String s = text.substring(start, end);
    String[] words = WHITESPACE.split(s);
    if (NOT_NAMES.contains(words[0])) {
      return;
    }
    int cut = s.length();
    for (int i = words.length - 1; i > 0; i--) {
      if (NOT_NAMES.contains(words[i]) || isPlace(words[i])) {
        cut = s.lastIndexOf(" " + words[i]);
      } else {
        break;
      }
    }
    if (cut <= 0) {
      return;
    }
    add(out, text, PiiTypes.PERSON, start, start + cut, score);
  }
}
