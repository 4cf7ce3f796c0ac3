package dev.kiai.guardrails;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Language pack for PII detection: context words and formats. {@link #AUTO} detects per text. */
public enum PiiLanguage {
  /** English. */
  EN,
  /** German. */
  DE,
  /** Detect per text from frequent function words; English when undecided. */
  AUTO;

  private static final Pattern WORD = Pattern.compile("\\p{L}+");
  private static final Set<String> EN_WORDS = Set.of("the", "and", "is", "are", "of", "to", "my", "your",
      "with", "for", "this", "that", "was", "you", "have", "please", "at", "on", "in", "it", "name");
  private static final Set<String> DE_WORDS = Set.of("der", "die", "das", "und", "ist", "sind", "ich", "mein",
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
    Matcher m = WORD.matcher(text);
    int words = 0;
    while (m.find() && words < 400) {
      words++;
      String w = m.group().toLowerCase(Locale.ROOT);
      if (EN_WORDS.contains(w)) {
        en++;
      }
      if (DE_WORDS.contains(w)) {
        de++;
      }
      if (w.indexOf('ß') >= 0 || w.indexOf('ä') >= 0 || w.indexOf('ö') >= 0 || w.indexOf('ü') >= 0) {
        de++;
      }
    }
    return de > en ? DE : EN;
  }
}
