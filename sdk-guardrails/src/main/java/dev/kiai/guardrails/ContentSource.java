package dev.kiai.guardrails;

import java.util.Locale;

/** Where scanned text comes from; documents and tool outputs get the rules for indirect injection. */
public enum ContentSource {
  /** Typed by the user: direct injection and jailbreaks. */
  USER,
  /** Retrieved documents, web pages, e-mails, tool outputs: indirect injection. */
  DOCUMENT;

  /**
   * @param name {@code user} or {@code document}, any case
   * @return the source
   * @throws IllegalArgumentException for another name
   */
  public static ContentSource parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("source must be user or document, was " + name, e);
    }
  }
}
