package dev.kiai.guardrails;

import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns text into the forms the injection rules read: NFKC, invisible characters removed, homoglyphs
 * and diacritics folded to ASCII letters, lower case, whitespace collapsed; plus the decoded form of
 * base64, hex, URL-encoded and (when announced) rot13 segments. Stateless.
 */
final class TextNormalizer {
  private TextNormalizer() {}

  /**
   * One form of the input.
   *
   * @param encoding {@code plain}, {@code base64}, {@code hex}, {@code url}, {@code rot13},
   *     {@code leet} or {@code spaced}
   * @param text normalised text
   */
  record Variant(String encoding, String text) {}

  private static final Pattern BASE64 = Pattern.compile("(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}+={0,2}+(?![A-Za-z0-9+/=_-])");
  private static final Pattern HEX = Pattern.compile(
      "(?i)(?<![0-9a-f])(?:\\\\x|0x)?+[0-9a-f]{2}(?:[ :]?+(?:\\\\x|0x)?+[0-9a-f]{2}){7,}+(?![0-9a-z])");
  private static final Pattern URL_ENC = Pattern.compile("(?:%[0-9A-Fa-f]{2}|\\+|[A-Za-z0-9._~-]){6,}");
  private static final Pattern ROT13_CUE = Pattern.compile("(?i)rot[ -]?13|caesar|cäsar|césar");
  private static final Pattern SPACED = Pattern.compile("(?<![\\p{L}])(?:\\p{L}[ .\\-_*]){3,}\\p{L}(?![\\p{L}])");
  /** A digit or symbol between letters, as in "1gn0re" or "pr3vious". */
  static final Pattern LEET_WORD = Pattern.compile("[a-z][013457$]+[a-z]");

  static List<Variant> variants(String raw) {
    List<Variant> out = new ArrayList<>(3);
    String plain = normalize(raw);
    out.add(new Variant("plain", plain));
    if (spacedLikely(plain) && SPACED.matcher(plain).find()) {
      Matcher m = SPACED.matcher(plain);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(sb, Matcher.quoteReplacement(m.group().replaceAll("[ .\\-_*]", "")));
      }
      m.appendTail(sb);
      out.add(new Variant("spaced", sb.toString()));
    }
    if (hasLeetWord(plain)) {
      StringBuilder sb = new StringBuilder(plain.length());
      for (int i = 0; i < plain.length(); i++) {
        char c = plain.charAt(i);
        boolean inWord = (i > 0 && Character.isLetter(plain.charAt(i - 1)))
            || (i + 1 < plain.length() && Character.isLetter(plain.charAt(i + 1)));
        sb.append(inWord ? leet(c) : c);
      }
      String leet = sb.toString();
      if (!leet.equals(plain)) {
        out.add(new Variant("leet", leet));
      }
    }
    boolean longRun = longRun(raw, 16);
    if (longRun) {
      decodeBase64(raw, out);
    }
    if (longRun || raw.contains("\\x") || raw.contains("0x")) {
      decodeHex(raw, out);
    }
    if (raw.indexOf('%') >= 0) {
      Matcher m = URL_ENC.matcher(raw);
      while (m.find()) {
        String seg = m.group();
        if (seg.chars().filter(c -> c == '%').count() >= 3) {
          try {
            out.add(new Variant("url", normalize(URLDecoder.decode(seg, StandardCharsets.UTF_8))));
          } catch (IllegalArgumentException ignored) {
            // not URL-encoded after all
          }
        }
      }
    }
    if ((plain.contains("rot") || plain.contains("sar")) && ROT13_CUE.matcher(raw).find()) {
      out.add(new Variant("rot13", rot13(plain)));
    }
    return out;
  }

  /** @return true when the text has a run of at least {@code n} base64 characters (letters, digits, +/_-) */
  private static boolean longRun(String s, int n) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean b64 = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
          || c == '_' || c == '-';
      run = b64 ? run + 1 : 0;
      if (run >= n) {
        return true;
      }
    }
    return false;
  }

  /**
   * @return what {@code LEET_WORD.matcher(s).find()} returns (a lower-case letter, one or more of
   *     {@code 013457$}, a lower-case letter), by a plain scan instead of a regex search from every position
   */
  static boolean hasLeetWord(String s) {
    int n = s.length();
    for (int i = 1; i + 1 < n; i++) {
      if (!leetDigit(s.charAt(i)) || !lowerAscii(s.charAt(i - 1))) {
        continue;
      }
      int j = i;
      while (j < n && leetDigit(s.charAt(j))) {
        j++;
      }
      if (j < n && lowerAscii(s.charAt(j))) {
        return true;
      }
      i = j; // s.charAt(j) is neither: no match can start before it
    }
    return false;
  }

  private static boolean leetDigit(char c) {
    return c == '0' || c == '1' || c == '3' || c == '4' || c == '5' || c == '7' || c == '$';
  }

  private static boolean lowerAscii(char c) {
    return c >= 'a' && c <= 'z';
  }

  /** @return true when four single letters in a row are separated by one separator each ("i g n o") */
  private static boolean spacedLikely(String s) {
    int pairs = 0;
    for (int i = 0; i + 1 < s.length(); i++) {
      char c = s.charAt(i);
      char next = s.charAt(i + 1);
      boolean single = TextScan.isLetter(c) && (i == 0 || !TextScan.isLetter(s.charAt(i - 1)));
      if (single && (next == ' ' || next == '.' || next == '-' || next == '_' || next == '*')) {
        pairs++;
        i++;
        if (pairs >= 3) {
          return true;
        }
      } else {
        pairs = 0;
      }
    }
    return false;
  }

  private static char leet(char c) {
    switch (c) {
      case '0': return 'o';
      case '1': return 'i';
      case '3': return 'e';
      case '4': return 'a';
      case '5': return 's';
      case '7': return 't';
      case '@': return 'a';
      case '$': return 's';
      default: return c;
    }
  }

  private static void decodeBase64(String raw, List<Variant> out) {
    Matcher m = BASE64.matcher(raw);
    while (m.find()) {
      String seg = m.group();
      if (seg.chars().noneMatch(Character::isDigit) && seg.chars().noneMatch(Character::isUpperCase)) {
        continue; // an ordinary lower-case word run
      }
      try {
        byte[] bytes = seg.indexOf('-') >= 0 || seg.indexOf('_') >= 0
            ? Base64.getUrlDecoder().decode(stripPad(seg)) : Base64.getDecoder().decode(padded(seg));
        String text = printable(bytes);
        if (text != null) {
          out.add(new Variant("base64", normalize(text)));
        }
      } catch (IllegalArgumentException ignored) {
        // not base64
      }
    }
  }

  private static String stripPad(String s) {
    return s.replace("=", "");
  }

  private static String padded(String s) {
    String t = s.replace("=", "");
    return t + "==".substring(0, (4 - t.length() % 4) % 4 == 3 ? 2 : (4 - t.length() % 4) % 4);
  }

  private static void decodeHex(String raw, List<Variant> out) {
    Matcher m = HEX.matcher(raw);
    while (m.find()) {
      String hex = m.group().replaceAll("(?i)\\\\x|0x|[ :]", "");
      if (hex.length() % 2 != 0 || hex.length() < 16) {
        continue;
      }
      try {
        String text = printable(HexFormat.of().parseHex(hex));
        if (text != null) {
          out.add(new Variant("hex", normalize(text)));
        }
      } catch (IllegalArgumentException ignored) {
        // not hex
      }
    }
  }

  /** @return the bytes as UTF-8 text when it is mostly letters and spaces, else null */
  private static String printable(byte[] bytes) {
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    if (s.length() < 8) {
      return null;
    }
    int letters = 0;
    int spaces = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isLetter(c)) {
        letters++;
      } else if (c == ' ') {
        spaces++;
      } else if (Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r') {
        return null;
      }
    }
    return letters + spaces >= s.length() * 0.7 && spaces >= 1 ? s : null;
  }

  static String rot13(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z') {
        c = (char) ('a' + (c - 'a' + 13) % 26);
      } else if (c >= 'A' && c <= 'Z') {
        c = (char) ('A' + (c - 'A' + 13) % 26);
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** NFKC, invisible characters out, homoglyphs and diacritics folded, lower case, whitespace collapsed. */
  static String normalize(String raw) {
    boolean ascii = true;
    boolean latin1Letters = true;
    for (int i = 0; i < raw.length() && latin1Letters; i++) {
      char c = raw.charAt(i);
      if (c >= 128) {
        ascii = false;
        latin1Letters = c >= '\u00C0' && c <= '\u00FF';
      }
    }
    return normalize(raw, ascii, !ascii && latin1Letters);
  }

  /**
   * @param ascii every character is ASCII: no Unicode normalisation at all
   * @param latin1Letters every character is ASCII or a letter U+00C0..U+00FF (and not all ASCII): these
   *     are NFKC-stable, carry no format characters, whitespace or homoglyphs, so each folds on its own
   *     through {@link #LATIN1_FOLD} instead of two whole-text normalisation passes
   */
  private static String normalize(String raw, boolean ascii, boolean latin1Letters) {
    String s = ascii || latin1Letters ? raw : Normalizer.normalize(raw, Normalizer.Form.NFKC);
    // the output goes to a char array (a StringBuilder checks capacity and coder on every append): every
    // input character gives at most one output character, except a Latin-1 fold of two ("ß" to "ss")
    char[] sb = new char[s.length() + 16];
    int length = 0;
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      if (sb.length - length < 2) { // room for the most one input character can add
        sb = Arrays.copyOf(sb, sb.length * 2);
      }
      char c = s.charAt(i);
      if (c < 128) { // fast path: ASCII has no format characters or homoglyphs
        if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\u001C' && c <= '\u001F')) {
          if (!space && length > 0) {
            sb[length++] = c == '\n' ? '\n' : ' ';
          }
          space = true;
        } else {
          space = false;
          sb[length++] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        continue;
      }
      if (latin1Letters) {
        space = false;
        String fold = LATIN1_FOLD[c - 0xC0];
        if (sb.length - length < fold.length()) {
          sb = Arrays.copyOf(sb, sb.length * 2 + fold.length());
        }
        fold.getChars(0, fold.length(), sb, length);
        length += fold.length();
        continue;
      }
      int type = Character.getType(c);
      if (type == Character.FORMAT || (c >= '\uFE00' && c <= '\uFE0F')) {
        continue; // zero-width, bidi controls, soft hyphen, variation selectors, tag characters
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
        int cp = s.codePointAt(i);
        if (cp >= 0xE0000 && cp <= 0xE007F) {
          // Unicode tag characters smuggle ASCII: decode them
          sb[length++] = (char) (cp - 0xE0000);
          i++;
          continue;
        }
      }
      c = homoglyph(c);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        if (!space && length > 0) {
          sb[length++] = c == '\n' ? '\n' : ' ';
        }
        space = true;
        continue;
      }
      space = false;
      sb[length++] = c;
    }
    if (ascii || latin1Letters) {
      return new String(sb, 0, length).strip();
    }
    String folded = Normalizer.normalize(java.nio.CharBuffer.wrap(sb, 0, length), Normalizer.Form.NFD);
    StringBuilder out = new StringBuilder(folded.length() + 8);
    for (int i = 0; i < folded.length(); i++) {
      char c = folded.charAt(i);
      if (c < 128) {
        out.append(c);
      } else if (c == '\u00DF') {
        out.append("ss");
      } else if (Character.getType(c) != Character.NON_SPACING_MARK) {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT).strip();
  }

  /**
   * What {@link #normalize} makes of each character U+00C0..U+00FF on its own (NFKC, NFD, marks dropped,
   * lower case): "Ä" becomes "a", "ß" "ss", "Ø" "ø".
   */
  private static final String[] LATIN1_FOLD = latin1Fold();

  private static String[] latin1Fold() {
    String[] fold = new String[0x100 - 0xC0];
    for (char c = '\u00C0'; c <= '\u00FF'; c++) {
      fold[c - 0xC0] = normalize(String.valueOf(c), false, false);
    }
    return fold;
  }

  private static char homoglyph(char c) {
    switch (c) {
      // Cyrillic
      case 'а': return 'a';
      case 'е': return 'e';
      case 'о': return 'o';
      case 'р': return 'p';
      case 'с': return 'c';
      case 'у': return 'y';
      case 'х': return 'x';
      case 'і': return 'i';
      case 'ј': return 'j';
      case 'ѕ': return 's';
      case 'ԁ': return 'd';
      case 'ԛ': return 'q';
      case 'ԝ': return 'w';
      case 'һ': return 'h';
      case 'А': return 'A';
      case 'В': return 'B';
      case 'Е': return 'E';
      case 'К': return 'K';
      case 'М': return 'M';
      case 'Н': return 'H';
      case 'О': return 'O';
      case 'Р': return 'P';
      case 'С': return 'C';
      case 'Т': return 'T';
      case 'Х': return 'X';
      case 'І': return 'I';
      // Greek
      case 'α': return 'a';
      case 'ο': return 'o';
      case 'ε': return 'e';
      case 'ι': return 'i';
      case 'κ': return 'k';
      case 'ν': return 'v';
      case 'ρ': return 'p';
      case 'τ': return 't';
      case 'υ': return 'u';
      case 'χ': return 'x';
      case 'Α': return 'A';
      case 'Β': return 'B';
      case 'Ε': return 'E';
      case 'Ι': return 'I';
      case 'Κ': return 'K';
      case 'Μ': return 'M';
      case 'Ν': return 'N';
      case 'Ο': return 'O';
      case 'Ρ': return 'P';
      case 'Τ': return 'T';
      case 'Χ': return 'X';
      // Latin look-alikes
      case 'ı': return 'i';
      case 'ɡ': return 'g';
      case 'ℓ': return 'l';
      default: return c;
    }
  }
}
