package dev.kiai.rag;

import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;

/**
 * The language of indexed text, which decides how BM25 and the lexical support checks split, fold and
 * stem words (Lucene analyzers; index and queries must use the same one).
 */
public enum TextLanguage {
  /** Lucene's {@code EnglishAnalyzer}: lower case, possessives, English stop words, Porter stemming. */
  ENGLISH,
  /**
   * Lucene's {@code GermanAnalyzer}: lower case, German stop words, umlaut and sharp-s normalisation,
   * light stemming.
   */
  GERMAN,
  /**
   * Lucene's {@code StandardAnalyzer}: Unicode word splitting and lower case only (no stop words, no
   * stemming), for languages without a dedicated analyzer here.
   */
  STANDARD;

  /** @return a new analyzer for this language; the caller closes it */
  Analyzer analyzer() {
    return switch (this) {
      case ENGLISH -> new EnglishAnalyzer();
      case GERMAN -> new GermanAnalyzer();
      case STANDARD -> new StandardAnalyzer();
    };
  }

  /**
   * @param name {@code english}, {@code german} or {@code standard}, in any case
   * @return the language
   * @throws IllegalArgumentException for any other name
   */
  public static TextLanguage of(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown language '" + name + "'; known: english, german, standard", e);
    }
  }
}
