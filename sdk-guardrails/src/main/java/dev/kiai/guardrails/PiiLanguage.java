package dev.kiai.guardrails;

import java.util.Locale;

/** Language pack for PII detection: context words and formats. {@link #AUTO} detects per text. */
public enum PiiLanguage {
  /** English. */
  EN,
  /** German. */
  DE,
  /** Detect per text from frequent function words; English when undecided. */
  AUTO;

  private static final WordSet EN_WORDS = WordSet.of("the", "and", "is", "are", "of", "to", "my", "your",
      "with", "for", "this", "that", "was", "you", "have", "please", "at", "on", "in", "it", "name");
  private static final WordSet DE_WORDS = WordSet.of("der", "die", "das", "und", "ist", "sind", "ich", "mein",
      "meine", "nicht", "mit", "für", "von", "zu", "bitte", "ein", "eine", "den", "dem", "wir", "sie", "auf",
      "heiße", "straße", "herr", "frau");

  /**
   * @param name {@code en}, {@code de} or {@code auto}, any case
   * @return the language
   * @throws IllegalArgumentException for another name
   */
  public static PiiLanguage parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("language must be en, de or auto, was " + name, e);
    }
  }

  /**
   * @param text any text
   * @return {@link #DE} or {@link #EN} for this language, detected when {@link #AUTO}
   */
  public PiiLanguage resolve(String text) {
    if (this != AUTO) {
      return this;
    }
    int en = 0;
    int de = 0;
    int words = 0;
    int n = text.length();
    int i = 0;
    while (i < n && words < 400) {
      if (!TextScan.isLetter(text.charAt(i))) {
        i++;
        continue;
      }
      int from = i;
      boolean umlaut = false;
      boolean special = false;
      int h = 0; // String.hashCode of the word lower-cased per character, computed on the way
      while (i < n && TextScan.isLetter(text.charAt(i))) {
        char c = text.charAt(i);
        if (c >= 128) { // the letters tested below are all outside ASCII
          umlaut |= c == 'ß' || c == 'ä' || c == 'ö' || c == 'ü' || c == 'Ä' || c == 'Ö' || c == 'Ü' || c == 'ẞ';
          // the two letters whose toLowerCase(Locale.ROOT) is not the per-character lower case
          special |= c == '\u0130' || c == '\u03a3';
          h = 31 * h + Character.toLowerCase(c);
        } else {
          h = 31 * h + (c <= 'Z' ? c + ('a' - 'A') : c);
        }
        i++;
      }
      words++;
      if (i - from <= 6) { // every cue word is short: skip the lookup for longer ones
        boolean isEn;
        boolean isDe;
        if (special) {
          String w = text.substring(from, i).toLowerCase(Locale.ROOT);
          isEn = EN_WORDS.contains(w);
          isDe = DE_WORDS.contains(w);
        } else { // looked up in place, lower-cased on the fly: no copy per word
          isEn = EN_WORDS.containsLowerCased(text, from, i, h);
          isDe = DE_WORDS.containsLowerCased(text, from, i, h);
        }
        if (isEn) {
          en++;
        }
        if (isDe) {
          de++;
        }
      }
      if (umlaut) {
        de++;
      }
    }
    return de > en ? DE : EN;
  }
}
