package dev.kiai.guardrails;

import java.util.Arrays;

/**
 * One pass over a text: its lower-case copy (same offsets) and its word and number tokens with offsets
 * and character-class flags. Built once per {@link PiiDetector#detect} call and shared by the
 * recognizers, which then dispatch on cheap triggers instead of each scanning the whole text.
 * Not thread-safe; confined to one call.
 */
final class TextScan {
  /** Token of letters (inner hyphens and apostrophes allowed, a trailing possessive {@code 's} excluded). */
  static final int WORD = 1;
  /** Token of ASCII digits. */
  static final int NUMBER = 2;
  /** Word whose first letter is upper case and which has a lower-case letter ("Anna", "McDonald"). */
  static final int CAPITALISED = 4;
  /** Word of two or more letters, all upper case ("BERLIN"). */
  static final int ALL_UPPER = 8;
  /** Word of lower-case letters only. */
  static final int LOWER = 16;
  /** A single upper-case letter ("J" of "J. Smith"). */
  static final int INITIAL = 32;

  final String text;
  final String lower;
  int size;
  int[] start;
  int[] end;
  int[] flags;
  /** Number of digit characters in the text. */
  int digits;

  TextScan(String text) {
    this.text = text;
    int n = text.length();
    char[] low = new char[n];
    int cap = Math.max(8, n / 4);
    start = new int[cap];
    end = new int[cap];
    flags = new int[cap];
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        int s = i;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
          low[i] = text.charAt(i);
          i++;
        }
        digits += i - s;
        push(s, i, NUMBER);
      } else if (Character.isLetter(c)) {
        int s = i;
        int upper = 0;
        int lowerCount = 0;
        while (i < n) {
          char d = text.charAt(i);
          if (Character.isLetter(d)) {
            if (Character.isUpperCase(d)) {
              upper++;
            } else if (Character.isLowerCase(d)) {
              lowerCount++;
            }
            low[i] = Character.toLowerCase(d);
            i++;
          } else if ((d == '-' || d == '\'' || d == '’') && i + 1 < n && Character.isLetter(text.charAt(i + 1))
              && !(d != '-' && (text.charAt(i + 1) == 's' || text.charAt(i + 1) == 'S')
                  && (i + 2 >= n || !Character.isLetter(text.charAt(i + 2))))) {
            low[i] = d;
            i++;
          } else {
            break;
          }
        }
        int f = WORD;
        boolean firstUpper = Character.isUpperCase(c);
        if (firstUpper && lowerCount > 0) {
          f |= CAPITALISED;
        } else if (firstUpper && upper >= 2 && lowerCount == 0) {
          f |= ALL_UPPER;
        } else if (firstUpper && i - s == 1) {
          f |= INITIAL;
        } else if (upper == 0) {
          f |= LOWER;
        }
        push(s, i, f);
      } else {
        low[i] = Character.toLowerCase(c);
        i++;
      }
    }
    this.lower = new String(low);
  }

  private void push(int s, int e, int f) {
    if (size == start.length) {
      int cap = size * 2;
      start = Arrays.copyOf(start, cap);
      end = Arrays.copyOf(end, cap);
      flags = Arrays.copyOf(flags, cap);
    }
    start[size] = s;
    end[size] = e;
    flags[size] = f;
    size++;
  }

  private java.util.Set<String> words;

  /** @return the lower-case word tokens of the text (built on first use) */
  java.util.Set<String> words() {
    if (words == null) {
      words = new java.util.HashSet<>(size * 2);
      for (int i = 0; i < size; i++) {
        if ((flags[i] & WORD) != 0) {
          words.add(lowerToken(i));
        }
      }
    }
    return words;
  }

  /** @return true when one of {@code candidates} (lower case) is a word token of the text */
  boolean hasWord(java.util.Set<String> candidates) {
    java.util.Set<String> w = words();
    if (candidates.size() < w.size()) {
      for (String c : candidates) {
        if (w.contains(c)) {
          return true;
        }
      }
      return false;
    }
    for (String c : w) {
      if (candidates.contains(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param endingsByLast lower-case endings grouped by their last character
   * @return true when some word token ends with one of the endings of at most 8 characters (compared in
   *     place, without copying tokens)
   */
  boolean hasWordEnding(java.util.Map<Character, String[]> endingsByLast) {
    for (int i = 0; i < size; i++) {
      if ((flags[i] & WORD) == 0) {
        continue;
      }
      int e = end[i];
      String[] candidates = endingsByLast.get(lower.charAt(e - 1));
      if (candidates == null) {
        continue;
      }
      int length = e - start[i];
      for (String c : candidates) {
        int l = c.length();
        if (l <= 8 && l <= length && lower.regionMatches(e - l, c, 0, l)) {
          return true;
        }
      }
    }
    return false;
  }

  private int[] wordHead;
  private int[] wordNext;
  private int[] wordPos;

  private static int slot(char c) {
    return c >= 'a' && c <= 'z' ? c - 'a' : 26;
  }

  /**
   * Where {@code keyword} occurs in the lower-case text at a position whose previous character is not
   * a letter or digit — what {@code lower.indexOf} with that check finds — looked up in an index of such
   * positions (built once, bucketed by their first two characters) instead of scanning the text.
   *
   * @param keyword lower case, starting with a letter or digit
   * @param into receives the offsets
   */
  void wordStartsWith(String keyword, java.util.function.IntConsumer into) {
    if (wordHead == null) {
      int n = lower.length();
      wordHead = new int[27 * 27];
      java.util.Arrays.fill(wordHead, -1);
      wordPos = new int[Math.max(8, size + 8)];
      wordNext = new int[wordPos.length];
      int count = 0;
      for (int i = 0; i < n; i++) {
        if (Character.isLetterOrDigit(lower.charAt(i)) && (i == 0 || !Character.isLetterOrDigit(lower.charAt(i - 1)))) {
          if (count == wordPos.length) {
            wordPos = java.util.Arrays.copyOf(wordPos, count * 2);
            wordNext = java.util.Arrays.copyOf(wordNext, count * 2);
          }
          int bucket = slot(lower.charAt(i)) * 27 + (i + 1 < n ? slot(lower.charAt(i + 1)) : 26);
          wordPos[count] = i;
          wordNext[count] = wordHead[bucket];
          wordHead[bucket] = count;
          count++;
        }
      }
    }
    int first = slot(keyword.charAt(0)) * 27;
    int from = keyword.length() > 1 ? first + slot(keyword.charAt(1)) : first;
    int to = keyword.length() > 1 ? from : first + 26;
    for (int bucket = from; bucket <= to; bucket++) {
      for (int w = wordHead[bucket]; w >= 0; w = wordNext[w]) {
        if (lower.startsWith(keyword, wordPos[w])) {
          into.accept(wordPos[w]);
        }
      }
    }
  }

  boolean is(int token, int flag) {
    return (flags[token] & flag) != 0;
  }

  private String[] tokens;
  private String[] lowerTokens;

  /** @return token {@code i} as written (memoised) */
  String token(int i) {
    if (tokens == null) {
      tokens = new String[size];
    }
    String t = tokens[i];
    if (t == null) {
      t = text.substring(start[i], end[i]);
      tokens[i] = t;
    }
    return t;
  }

  /** @return token {@code i} in lower case (memoised) */
  String lowerToken(int i) {
    if (lowerTokens == null) {
      lowerTokens = new String[size];
    }
    String t = lowerTokens[i];
    if (t == null) {
      t = lower.substring(start[i], end[i]);
      lowerTokens[i] = t;
    }
    return t;
  }

  /** @return the characters between token {@code i} and token {@code i + 1} */
  String gap(int i) {
    return text.substring(end[i], start[i + 1]);
  }

  /** @return true when only one space (or ". " after an initial) separates tokens {@code i} and {@code i+1} */
  boolean joined(int i) {
    if (i + 1 >= size) {
      return false;
    }
    int g = start[i + 1] - end[i];
    if (g == 1) {
      return text.charAt(end[i]) == ' ';
    }
    return g == 2 && text.charAt(end[i]) == '.' && text.charAt(end[i] + 1) == ' ' && is(i, INITIAL);
  }
}
