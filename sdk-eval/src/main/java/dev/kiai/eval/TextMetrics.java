package dev.kiai.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reference-based text metrics: ROUGE-L (Lin 2004), BLEU (Papineni et al. 2002) and Levenshtein
 * distance. Tokens are lower-cased runs of letters and digits; punctuation is dropped, as in the
 * {@code rouge-score} package's default tokenizer.
 */
final class TextMetrics {
  private TextMetrics() {}

  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    text.toLowerCase(Locale.ROOT).codePoints().forEach(cp -> {
      if (Character.isLetterOrDigit(cp)) {
        cur.appendCodePoint(cp);
      } else if (cur.length() > 0) {
        out.add(cur.toString());
        cur.setLength(0);
      }
    });
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  /** Length of the longest common subsequence of two token lists. */
  static int lcs(List<String> a, List<String> b) {
    int[] prev = new int[b.size() + 1];
    int[] cur = new int[b.size() + 1];
    for (int i = 1; i <= a.size(); i++) {
      for (int j = 1; j <= b.size(); j++) {
        cur[j] = a.get(i - 1).equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.size()];
  }

  /** ROUGE-L F1 (beta = 1) of a candidate against one reference; 0 when either is empty. */
  static double rougeL(String candidate, String reference) {
    List<String> c = tokens(candidate);
    List<String> r = tokens(reference);
    if (c.isEmpty() || r.isEmpty()) {
      return 0;
    }
    int l = lcs(c, r);
    if (l == 0) {
      return 0;
    }
    double p = (double) l / c.size();
    double rec = (double) l / r.size();
    return 2 * p * rec / (p + rec);
  }

  /** Clipped ("modified") n-gram precision as numerator and denominator (Papineni et al., §2.1). */
  static long[] modifiedPrecision(List<String> candidate, List<List<String>> references, int n) {
    Map<List<String>, Integer> counts = ngrams(candidate, n);
    Map<List<String>, Integer> maxRef = new HashMap<>();
    for (List<String> ref : references) {
      ngrams(ref, n).forEach((g, k) -> maxRef.merge(g, k, Math::max));
    }
    long clipped = 0;
    long total = 0;
    for (Map.Entry<List<String>, Integer> e : counts.entrySet()) {
      clipped += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
      total += e.getValue();
    }
    return new long[] {clipped, total};
  }

  private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
    Map<List<String>, Integer> m = new HashMap<>();
    for (int i = 0; i + n <= tokens.size(); i++) {
      m.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
    }
    return m;
  }

  /**
   * Sentence BLEU-4 with uniform weights and the brevity penalty against the closest reference length.
   *
   * @param smooth when true, add-one smoothing for n &gt; 1 (Lin and Och 2004, "BLEU+1") so that short
   *     answers without a matching 4-gram do not all score 0; when false, the paper's unsmoothed BLEU
   */
  static double bleu(String candidate, List<String> references, boolean smooth) {
    List<String> c = tokens(candidate);
    List<List<String>> refs = references.stream().map(TextMetrics::tokens).toList();
    if (c.isEmpty() || refs.isEmpty()) {
      return 0;
    }
    double logSum = 0;
    for (int n = 1; n <= 4; n++) {
      long[] p = modifiedPrecision(c, refs, n);
      double num = p[0];
      double den = p[1];
      if (smooth && n > 1) {
        num += 1;
        den += 1;
      }
      if (num == 0 || den == 0) {
        return 0;
      }
      logSum += 0.25 * Math.log(num / den);
    }
    return brevityPenalty(c.size(), closestRefLength(c.size(), refs)) * Math.exp(logSum);
  }

  static int closestRefLength(int c, List<List<String>> refs) {
    int best = refs.get(0).size();
    for (List<String> r : refs) {
      int d = Math.abs(r.size() - c);
      int bd = Math.abs(best - c);
      if (d < bd || d == bd && r.size() < best) {
        best = r.size();
      }
    }
    return best;
  }

  /** BP = 1 when c &gt; r, else exp(1 - r/c) (Papineni et al., §2.2.2). */
  static double brevityPenalty(int c, int r) {
    return c > r ? 1.0 : Math.exp(1.0 - (double) r / c);
  }

  /** Levenshtein edit distance over UTF-16 code units (insert, delete, substitute cost 1). */
  static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
