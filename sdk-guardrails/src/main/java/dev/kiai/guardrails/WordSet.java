package dev.kiai.guardrails;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * An immutable set of strings that can also be probed with a region of a larger string ({@code text[from,
 * to)}) without copying it out: the PII recognizers look up hundreds of tokens per text in the name, place
 * and word lists, and a {@code substring} per lookup was most of their allocation. Open addressing over a
 * power-of-two table keyed by {@link String#hashCode}, so a token's hash computed once during the scan
 * ({@link #hash}) serves every list it is looked up in. Thread-safe (never modified after construction).
 */
final class WordSet extends AbstractSet<String> {
  private final String[] table;
  private final int[] hashes;
  private final int mask;
  private final int size;

  private WordSet(Collection<String> words) {
    int distinct = words.size();
    int cap = 16;
    while (cap < distinct * 2) { // load factor at most 0.5: short probe sequences
      cap <<= 1;
    }
    table = new String[cap];
    hashes = new int[cap];
    mask = cap - 1;
    int n = 0;
    for (String w : words) {
      Objects.requireNonNull(w, "word");
      int h = w.hashCode();
      int slot = spread(h) & mask;
      boolean dup = false;
      while (table[slot] != null) {
        if (hashes[slot] == h && table[slot].equals(w)) {
          dup = true;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (!dup) {
        table[slot] = w;
        hashes[slot] = h;
        n++;
      }
    }
    size = n;
  }

  /** @return a set of {@code words} (duplicates collapse) */
  static WordSet of(Collection<String> words) {
    return words instanceof WordSet ws ? ws : new WordSet(words);
  }

  /** @return a set of {@code words} (duplicates collapse) */
  static WordSet of(String... words) {
    return new WordSet(java.util.Arrays.asList(words));
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** @return {@link String#hashCode} of {@code s.substring(from, to)}, computed in place */
  static int hash(String s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + s.charAt(i);
    }
    return h;
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof String s && contains(s, 0, s.length(), s.hashCode());
  }

  /** @return true when {@code s.substring(from, to)} is a member */
  boolean contains(String s, int from, int to) {
    return contains(s, from, to, hash(s, from, to));
  }

  /**
   * @param hash {@link #hash}{@code (s, from, to)}, when the caller already has it
   * @return true when {@code s.substring(from, to)} is a member
   */
  boolean contains(String s, int from, int to, int hash) {
    int length = to - from;
    for (int slot = spread(hash) & mask; table[slot] != null; slot = (slot + 1) & mask) {
      String w = table[slot];
      if (hashes[slot] == hash && w.length() == length && s.regionMatches(from, w, 0, length)) {
        return true;
      }
    }
    return false;
  }

  /** @return {@link #hash} of {@code s.substring(from, to)} lower-cased character by character */
  static int lowerHash(String s, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + Character.toLowerCase(s.charAt(i));
    }
    return h;
  }

  /**
   * @param lowerHash {@link #lowerHash}{@code (s, from, to)}
   * @return true when {@code s.substring(from, to)}, lower-cased character by character
   *     ({@link Character#toLowerCase(char)}), is a member
   */
  boolean containsLowerCased(String s, int from, int to, int lowerHash) {
    int length = to - from;
    for (int slot = spread(lowerHash) & mask; table[slot] != null; slot = (slot + 1) & mask) {
      String w = table[slot];
      if (hashes[slot] == lowerHash && w.length() == length && equalsLowerCased(s, from, w)) {
        return true;
      }
    }
    return false;
  }

  private static boolean equalsLowerCased(String s, int from, String w) {
    for (int k = 0; k < w.length(); k++) {
      if (Character.toLowerCase(s.charAt(from + k)) != w.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Iterator<String> iterator() {
    return new Iterator<>() {
      private int next = advance(0);

      private int advance(int from) {
        int i = from;
        while (i < table.length && table[i] == null) {
          i++;
        }
        return i;
      }

      @Override
      public boolean hasNext() {
        return next < table.length;
      }

      @Override
      public String next() {
        if (next >= table.length) {
          throw new NoSuchElementException();
        }
        String w = table[next];
        next = advance(next + 1);
        return w;
      }
    };
  }
}
