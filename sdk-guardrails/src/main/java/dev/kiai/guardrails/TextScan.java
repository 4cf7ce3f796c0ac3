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
  /** {@link String#hashCode} of each token as written, for {@link WordSet} probes without a substring. */
  int[] hash;
  /** {@link String#hashCode} of each token in lower case. */
  int[] lowerHash;
  /** Number of digit characters in the text. */
  int digits;
  /**
   * True when the text has a character whose {@code String.toLowerCase(Locale.ROOT)} differs from the
   * per-character {@link #lower}: a dotted capital I (lower-cased to two characters) or a capital sigma
   * (final form at a word end). Code that must match {@code toLowerCase} exactly takes its slow path then.
   */
  final boolean specialLowerCase;

  TextScan(String text) {
    this.text = text;
    int n = text.length();
    char[] low = new char[n];
    int cap = Math.max(8, n / 4);
    start = new int[cap];
    end = new int[cap];
    flags = new int[cap];
    hash = new int[cap];
    lowerHash = new int[cap];
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        int s = i;
        int h = 0;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
          low[i] = text.charAt(i);
          h = 31 * h + low[i];
          i++;
        }
        digits += i - s;
        push(s, i, NUMBER, h, h);
      } else if (isLetter(c)) {
        int s = i;
        int upper = 0;
        int lowerCount = 0;
        int h = 0;
        int lh = 0;
        while (i < n) {
          char d = text.charAt(i);
          if (d >= 'a' && d <= 'z') { // ASCII first: the same answers as Character's methods, cheaper
            lowerCount++;
            low[i] = d;
          } else if (d >= 'A' && d <= 'Z') {
            upper++;
            low[i] = (char) (d + ('a' - 'A'));
          } else if (d >= 128 && Character.isLetter(d)) {
            if (Character.isUpperCase(d)) {
              upper++;
            } else if (Character.isLowerCase(d)) {
              lowerCount++;
            }
            low[i] = Character.toLowerCase(d);
          } else if ((d == '-' || d == '\'' || d == '’') && i + 1 < n && isLetter(text.charAt(i + 1))
              && !(d != '-' && (text.charAt(i + 1) == 's' || text.charAt(i + 1) == 'S')
                  && (i + 2 >= n || !isLetter(text.charAt(i + 2))))) {
            low[i] = d;
          } else {
            break;
          }
          h = 31 * h + d;
          lh = 31 * lh + low[i];
          i++;
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
        push(s, i, f, h, lh);
      } else {
        low[i] = c < 128 ? c : Character.toLowerCase(c); // no ASCII letter reaches here
        i++;
      }
    }
    this.lower = new String(low);
    this.specialLowerCase = text.indexOf('\u0130') >= 0 || text.indexOf('\u03a3') >= 0;
  }

  /** @return {@link Character#isLetter(char)}, answered without a table lookup for ASCII */
  static boolean isLetter(char c) {
    return c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') : Character.isLetter(c);
  }

  /** @return {@link Character#isLetterOrDigit(char)}, answered without a table lookup for ASCII */
  static boolean isLetterOrDigit(char c) {
    return c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        : Character.isLetterOrDigit(c);
  }

  private void push(int s, int e, int f, int h, int lh) {
    if (size == start.length) {
      int cap = size * 2;
      start = Arrays.copyOf(start, cap);
      end = Arrays.copyOf(end, cap);
      flags = Arrays.copyOf(flags, cap);
      hash = Arrays.copyOf(hash, cap);
      lowerHash = Arrays.copyOf(lowerHash, cap);
    }
    start[size] = s;
    end[size] = e;
    flags[size] = f;
    hash[size] = h;
    lowerHash[size] = lh;
    size++;
  }

  /** @return true when token {@code i} as written ({@link #token}) is in {@code set}, without copying it */
  boolean tokenIn(WordSet set, int i) {
    return set.contains(text, start[i], end[i], hash[i]);
  }

  /** @return true when token {@code i} in lower case ({@link #lowerToken}) is in {@code set} */
  boolean lowerIn(WordSet set, int i) {
    return set.contains(lower, start[i], end[i], lowerHash[i]);
  }

  /** @return true when token {@code i} in lower case equals {@code word} */
  boolean lowerIs(int i, String word) {
    int length = end[i] - start[i];
    return length == word.length() && lower.regionMatches(start[i], word, 0, length);
  }

  /** @return true when one of the lower-case word tokens of the text is in {@code candidates} */
  boolean hasWord(WordSet candidates) {
    for (int i = 0; i < size; i++) {
      if ((flags[i] & WORD) != 0 && lowerIn(candidates, i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param endings lower-case endings
   * @return true when some word token ends with one of the endings of at most 8 characters (compared in
   *     place, without copying tokens)
   */
  boolean hasWordEnding(Endings endings) {
    for (int i = 0; i < size; i++) {
      if ((flags[i] & WORD) != 0 && endings.endsToken(this, i, 8)) {
        return true;
      }
    }
    return false;
  }

  /** Lower-case word endings grouped by their last character, so a token is compared with a few only. */
  static final class Endings {
    private final String[][] ascii = new String[128][];
    private final java.util.Map<Character, String[]> other;

    Endings(java.util.Collection<String> endings) {
      java.util.Map<Character, java.util.List<String>> byLast = new java.util.HashMap<>();
      for (String e : endings) {
        byLast.computeIfAbsent(e.charAt(e.length() - 1), c -> new java.util.ArrayList<>()).add(e);
      }
      java.util.Map<Character, String[]> rest = new java.util.HashMap<>();
      byLast.forEach((c, l) -> {
        if (c < 128) {
          ascii[c] = l.toArray(new String[0]);
        } else {
          rest.put(c, l.toArray(new String[0]));
        }
      });
      this.other = java.util.Map.copyOf(rest);
    }

    /**
     * @param maxLength endings longer than this are not tried
     * @return true when the lower-case token {@code i} ends with one of the endings
     */
    boolean endsToken(TextScan s, int i, int maxLength) {
      int e = s.end[i];
      char last = s.lower.charAt(e - 1);
      String[] candidates = last < 128 ? ascii[last] : other.get(last);
      if (candidates == null) {
        return false;
      }
      int length = e - s.start[i];
      for (String c : candidates) {
        int l = c.length();
        if (l <= maxLength && l <= length && s.lower.regionMatches(e - l, c, 0, l)) {
          return true;
        }
      }
      return false;
    }
  }

  private int[] wordHead;
  private int[] wordNext;
  private int[] wordPos;

  private static int slot(char c) {
    return c >= 'a' && c <= 'z' ? c - 'a' : 26;
  }

  /** A growable list of ints, local to one scan (positions found by the recognizers). */
  static final class Ints {
    int[] values = new int[16];
    int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    void clear() {
      size = 0;
    }

    /** Sorts ascending. */
    void sort() {
      Arrays.sort(values, 0, size);
    }
  }

  /**
   * Where {@code keyword} occurs in the lower-case text at a position whose previous character is not
   * a letter or digit — what {@code lower.indexOf} with that check finds — looked up in an index of such
   * positions (built once, bucketed by their first two characters) instead of scanning the text.
   *
   * @param keyword lower case, starting with a letter or digit
   * @param into receives the offsets
   */
  void wordStartsWith(String keyword, Ints into) {
    indexedWordStarts(keyword, into);
  }

  /**
   * Walks the word-start buckets of {@code keyword}'s first two characters.
   *
   * @param into receives every offset where the keyword starts a word; null: stop at the first
   * @return true when the keyword starts a word
   */
  private boolean indexedWordStarts(String keyword, Ints into) {
    index();
    int first = slot(keyword.charAt(0)) * 27;
    int from = keyword.length() > 1 ? first + slot(keyword.charAt(1)) : first;
    int to = keyword.length() > 1 ? from : first + 26;
    boolean found = false;
    for (int bucket = from; bucket <= to; bucket++) {
      for (int w = wordHead[bucket]; w >= 0; w = wordNext[w]) {
        if (lower.startsWith(keyword, wordPos[w])) {
          if (into == null) {
            return true;
          }
          into.add(wordPos[w]);
          found = true;
        }
      }
    }
    return found;
  }

  /**
   * @param keywords lower case
   * @return true when one of the keywords starts a word of the lower-case text (its previous character is
   *     not a letter or digit), from the word-start index where the keyword begins with a letter or digit
   */
  boolean anyWordStartsWith(java.util.List<String> keywords) {
    for (String k : keywords) {
      if (!k.isEmpty() && Character.isLetterOrDigit(k.charAt(0))) {
        if (indexedWordStarts(k, null)) {
          return true;
        }
        continue;
      }
      for (int at = lower.indexOf(k); at >= 0; at = lower.indexOf(k, at + 1)) {
        if (at == 0 || !Character.isLetterOrDigit(lower.charAt(at - 1))) {
          return true;
        }
      }
    }
    return false;
  }

  private void index() {
    if (wordHead != null) {
      return;
    }
    int n = lower.length();
    wordHead = new int[27 * 27];
    Arrays.fill(wordHead, -1);
    wordPos = new int[Math.max(8, size + 8)];
    wordNext = new int[wordPos.length];
    int count = 0;
    boolean previous = false; // whether the previous character is a letter or digit
    for (int i = 0; i < n; i++) {
      boolean current = isLetterOrDigit(lower.charAt(i));
      boolean wordStart = current && !previous;
      previous = current;
      if (wordStart) {
        if (count == wordPos.length) {
          wordPos = Arrays.copyOf(wordPos, count * 2);
          wordNext = Arrays.copyOf(wordNext, count * 2);
        }
        int bucket = slot(lower.charAt(i)) * 27 + (i + 1 < n ? slot(lower.charAt(i + 1)) : 26);
        wordPos[count] = i;
        wordNext[count] = wordHead[bucket];
        wordHead[bucket] = count;
        count++;
      }
    }
  }

  private int[] numbers;

  /** @return the indexes of the number tokens, ascending (built on first use; do not modify) */
  int[] numbers() {
    if (numbers == null) {
      int count = 0;
      for (int i = 0; i < size; i++) {
        count += (flags[i] & NUMBER) != 0 ? 1 : 0;
      }
      numbers = new int[count];
      for (int i = 0, k = 0; i < size; i++) {
        if ((flags[i] & NUMBER) != 0) {
          numbers[k++] = i;
        }
      }
    }
    return numbers;
  }

  /** @return the number of characters of token {@code i} */
  int length(int i) {
    return end[i] - start[i];
  }

  /**
   * @param i a number token
   * @param separators characters that may join two number tokens, one at a time
   * @return the digits of token {@code i} and of the number tokens after it that are each separated from
   *     the previous one by exactly one of {@code separators} ("4111 1111-1111" has 12)
   */
  int digitsJoinedBy(int i, String separators) {
    int digits = length(i);
    for (int j = i; j + 1 < size && (flags[j + 1] & NUMBER) != 0 && start[j + 1] - end[j] == 1
        && separators.indexOf(text.charAt(end[j])) >= 0; j++) {
      digits += length(j + 1);
    }
    return digits;
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

  /** @return true when the characters between token {@code i} and token {@code i + 1} are {@code gap} */
  boolean gapIs(int i, String gap) {
    return start[i + 1] - end[i] == gap.length() && text.startsWith(gap, end[i]);
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
