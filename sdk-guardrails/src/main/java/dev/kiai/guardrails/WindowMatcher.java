package dev.kiai.guardrails;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a pattern for digit-bearing values (cards, IBANs, phone numbers, ids) only in windows around the
 * number tokens of a {@link TextScan}, instead of at every position of the text: prose costs nothing.
 * Windows reach {@code before} characters before and {@code after} characters after each number and are
 * merged where they overlap; bounds are transparent, so look-arounds see the whole text.
 */
final class WindowMatcher {
  private final Matcher m;
  private final int[] from;
  private final int[] to;
  private final int count;
  private int w = -1;

  private final boolean anchored;
  private final TextScan scan;
  private final int after;
  private final Gate gate;
  private int lastEnd = -1;

  /**
   * Anchored mode: tries {@code lookingAt} once at the start of each number token (or at a {@code +} or
   * {@code (} just before it), within {@code after} characters past the token; for patterns whose match
   * always begins at the start of a digit run. The pattern is tried only where {@code gate} allows: each
   * attempt resets the matcher, which for the larger patterns costs more than the failed match itself.
   */
  static WindowMatcher atNumbers(TextScan s, Pattern p, int after, Gate gate) {
    return new WindowMatcher(s, p, after, gate);
  }

  /**
   * A necessary condition for the pattern to match at a number token, read off the pattern (e.g. an SSN
   * begins with a run of exactly 3 or 9 digits): where it is false the pattern cannot match, so skipping
   * the attempt changes no result. {@code WindowGatesTest} checks each gate against its pattern.
   */
  @FunctionalInterface
  interface Gate {
    /** Every position may match. */
    Gate ALWAYS = (s, token, from) -> true;

    /**
     * @param s the scan
     * @param token a number token
     * @param from where the attempt would start: the token's start, or a {@code +} or {@code (} before it
     * @return false only where the pattern cannot match from {@code from}
     */
    boolean mayMatch(TextScan s, int token, int from);
  }

  private WindowMatcher(TextScan s, Pattern p, int after, Gate gate) {
    this.m = p.matcher(s.text);
    m.useTransparentBounds(true);
    m.useAnchoringBounds(false);
    this.scan = s;
    this.anchored = true;
    this.after = after;
    this.gate = gate;
    // the windows are derived from the number tokens one at a time in find(): no arrays to fill
    this.from = null;
    this.to = null;
    this.count = 0;
  }

  WindowMatcher(TextScan s, Pattern p, int before, int after) {
    this.anchored = false;
    this.scan = s;
    this.after = after;
    this.gate = Gate.ALWAYS;
    this.m = p.matcher(s.text);
    m.useTransparentBounds(true);
    m.useAnchoringBounds(false);
    int[] f = new int[8];
    int[] t = new int[8];
    int c = 0;
    int len = s.text.length();
    for (int i = 0; i < s.size; i++) {
      if ((s.flags[i] & TextScan.NUMBER) == 0) {
        continue;
      }
      int a = Math.max(0, s.start[i] - before);
      int b = Math.min(len, s.end[i] + after);
      if (c > 0 && a <= t[c - 1]) {
        t[c - 1] = Math.max(t[c - 1], b);
      } else {
        if (c == f.length) {
          f = java.util.Arrays.copyOf(f, c * 2);
          t = java.util.Arrays.copyOf(t, c * 2);
        }
        f[c] = a;
        t[c] = b;
        c++;
      }
    }
    this.from = f;
    this.to = t;
    this.count = c;
  }

  boolean find() {
    if (anchored) {
      // w walks the number tokens; each one's window starts at the number (or at a "+" or "(" up to
      // two characters before it) and reaches `after` characters past its end
      String text = scan.text;
      int[] numbers = scan.numbers();
      while (++w < numbers.length) {
        int t = numbers[w];
        int a = scan.start[t];
        while (a > 0 && a > scan.start[t] - 2 && (text.charAt(a - 1) == '+' || text.charAt(a - 1) == '(')) {
          a--;
        }
        if (a < lastEnd || !gate.mayMatch(scan, t, a)) {
          continue;
        }
        m.region(a, Math.min(text.length(), scan.end[t] + after));
        if (m.lookingAt()) {
          lastEnd = m.end();
          return true;
        }
      }
      return false;
    }
    while (true) {
      if (w >= 0 && w < count && m.find()) {
        return true;
      }
      w++;
      if (w >= count) {
        return false;
      }
      m.region(from[w], to[w]);
    }
  }

  String group() {
    return m.group();
  }

  String group(int g) {
    return m.group(g);
  }

  int start() {
    return m.start();
  }

  int start(int g) {
    return m.start(g);
  }

  int end() {
    return m.end();
  }

  int end(int g) {
    return m.end(g);
  }
}
