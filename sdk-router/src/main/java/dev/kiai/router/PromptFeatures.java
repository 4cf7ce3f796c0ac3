package dev.kiai.router;

/**
 * Surface statistics of a prompt that hint at its difficulty whatever its topic: length in characters
 * and words, density of digits and of mathematical symbols, number of lettered answer options
 * ({@code "A. ..."} at the start of a line), number of lines, mean word length and share of non-ASCII
 * characters. The learned router can append them (standardised) to the embedding, so that it can
 * learn, for example, that long quantitative prompts need the strong model even on unseen topics.
 * Stateless.
 */
final class PromptFeatures {
  /** Number of features. */
  static final int COUNT = 8;
  private static final String MATH = "=+-*/^<>()[]{}|%";

  private PromptFeatures() {}

  /**
   * @param prompt the prompt text
   * @return {@link #COUNT} raw (unscaled) features
   */
  static double[] of(String prompt) {
    int n = prompt.length();
    int digits = 0;
    int math = 0;
    int nonAscii = 0;
    int lines = 0;
    int options = 0;
    int words = 0;
    int wordChars = 0;
    boolean inWord = false;
    boolean lineStart = true;
    for (int i = 0; i < n; i++) {
      char c = prompt.charAt(i);
      if (Character.isDigit(c)) {
        digits++;
      }
      if (MATH.indexOf(c) >= 0) {
        math++;
      }
      if (c > 127) {
        nonAscii++;
      }
      if (lineStart && c >= 'A' && c <= 'Z' && i + 2 < n && prompt.charAt(i + 1) == '.'
          && prompt.charAt(i + 2) == ' ') {
        options++;
      }
      if (c == '\n') {
        lines++;
        lineStart = true;
      } else {
        lineStart = false;
      }
      if (Character.isWhitespace(c)) {
        inWord = false;
      } else {
        if (!inWord) {
          words++;
        }
        inWord = true;
        wordChars++;
      }
    }
    double len = Math.max(n, 1);
    return new double[] {
        Math.log1p(n), Math.log1p(words), digits / len, math / len, Math.log1p(options), Math.log1p(lines),
        wordChars / (double) Math.max(words, 1) / 10, nonAscii / len};
  }
}
