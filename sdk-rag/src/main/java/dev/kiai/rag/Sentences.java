package dev.kiai.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits text into sentences, keeping character spans. A sentence ends at {@code .}, {@code !} or
 * {@code ?} (plus closing quotes, brackets and citation markers such as {@code [2]}) followed by
 * whitespace, unless the word before the period is a known abbreviation, a single letter (an
 * initial) or a number followed by more digits; a blank line always ends a sentence.
 */
final class Sentences {
  private static final Set<String> ABBREVIATIONS = Set.of(
      "e.g", "i.e", "etc", "vs", "cf", "al", "dr", "mr", "mrs", "ms", "prof", "st", "no", "fig", "eq",
      "vol", "pp", "jr", "sr", "inc", "ltd", "co", "corp", "approx", "dept", "est", "jan", "feb", "mar",
      "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "ph.d");

  private Sentences() {}

  /** A sentence's span. */
  record Span(int start, int end) {
    String of(String text) {
      return text.substring(start, end);
    }
  }

  static List<Span> split(String text) {
    return split(text, 0, text.length());
  }

  /** Splits {@code text[from, to)}; spans are trimmed of surrounding whitespace, empty ones dropped. */
  static List<Span> split(String text, int from, int to) {
    List<Span> out = new ArrayList<>();
    int start = from;
    int i = from;
    while (i < to) {
      char c = text.charAt(i);
      if (c == '\n' && blankLineFollows(text, i, to)) {
        add(out, text, start, i);
        start = i + 1;
        i++;
        continue;
      }
      if (c == '.' || c == '!' || c == '?') {
        int end = i + 1;
        while (end < to && (text.charAt(end) == '.' || text.charAt(end) == '!' || text.charAt(end) == '?')) {
          end++;
        }
        end = skipClosers(text, end, to);
        if (end >= to || Character.isWhitespace(text.charAt(end))) {
          if (c != '.' || !abbreviation(text, from, i)) {
            add(out, text, start, end);
            start = end;
          }
        }
        i = end;
        continue;
      }
      i++;
    }
    add(out, text, start, to);
    return out;
  }

  /** Moves past closing quotes/brackets and citation markers like {@code [1]} or {@code [1, 2]}. */
  private static int skipClosers(String text, int pos, int to) {
    int p = pos;
    while (true) {
      if (p < to && "\"')»”’".indexOf(text.charAt(p)) >= 0) {
        p++;
        continue;
      }
      int q = p;
      while (q < to && text.charAt(q) == ' ') {
        q++;
      }
      if (q < to && text.charAt(q) == '[') {
        int r = q + 1;
        while (r < to && (Character.isDigit(text.charAt(r)) || text.charAt(r) == ',' || text.charAt(r) == ' ')) {
          r++;
        }
        if (r < to && text.charAt(r) == ']' && r > q + 1) {
          p = r + 1;
          continue;
        }
      }
      return p;
    }
  }

  private static boolean blankLineFollows(String text, int newline, int to) {
    for (int j = newline + 1; j < to; j++) {
      char c = text.charAt(j);
      if (c == '\n') {
        return true;
      }
      if (!Character.isWhitespace(c)) {
        return false;
      }
    }
    return false;
  }

  private static boolean abbreviation(String text, int from, int period) {
    int j = period;
    while (j > from && !Character.isWhitespace(text.charAt(j - 1)) && text.charAt(j - 1) != '(') {
      j--;
    }
    String word = text.substring(j, period).toLowerCase(Locale.ROOT);
    if (word.isEmpty()) {
      return false;
    }
    if (word.length() == 1 && Character.isLetter(word.charAt(0))) {
      return true; // an initial: "J. Smith"
    }
    if (period + 1 < text.length() && Character.isDigit(text.charAt(period + 1))) {
      return true; // "3.5"
    }
    return ABBREVIATIONS.contains(word);
  }

  private static void add(List<Span> out, String text, int start, int end) {
    int s = start;
    int e = end;
    while (s < e && Character.isWhitespace(text.charAt(s))) {
      s++;
    }
    while (e > s && Character.isWhitespace(text.charAt(e - 1))) {
      e--;
    }
    if (s < e) {
      out.add(new Span(s, e));
    }
  }
}
