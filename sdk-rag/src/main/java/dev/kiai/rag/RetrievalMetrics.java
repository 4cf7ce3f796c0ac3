package dev.kiai.rag;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Standard ranked-retrieval metrics with binary relevance, as {@code trec_eval} computes them. Rankings
 * are lists of document ids, best first; repeated ids count once, at their first position.
 */
public final class RetrievalMetrics {
  private RetrievalMetrics() {}

  /**
   * Normalised discounted cumulative gain at {@code k}: {@code DCG = sum over relevant hits at rank r
   * <= k of 1 / log2(r + 1)}, divided by the DCG of a perfect ranking.
   *
   * @param ranked document ids, best first
   * @param relevant the relevant ids
   * @param k the cut-off, at least 1
   * @return nDCG@k in [0, 1]; 0 when nothing is relevant
   */
  public static double ndcg(List<String> ranked, Set<String> relevant, int k) {
    check(ranked, relevant, k);
    List<String> r = distinct(ranked);
    double dcg = 0;
    for (int i = 0; i < Math.min(k, r.size()); i++) {
      if (relevant.contains(r.get(i))) {
        dcg += 1 / log2(i + 2);
      }
    }
    double ideal = 0;
    for (int i = 0; i < Math.min(k, relevant.size()); i++) {
      ideal += 1 / log2(i + 2);
    }
    return ideal == 0 ? 0 : dcg / ideal;
  }

  /**
   * Average precision over the whole ranking: the mean, over all relevant ids, of the precision at the
   * rank where each is found (0 for those never found). MAP is its mean over queries.
   *
   * @param ranked document ids, best first
   * @param relevant the relevant ids
   * @return AP in [0, 1]; 0 when nothing is relevant
   */
  public static double averagePrecision(List<String> ranked, Set<String> relevant) {
    check(ranked, relevant, 1);
    if (relevant.isEmpty()) {
      return 0;
    }
    List<String> r = distinct(ranked);
    int hits = 0;
    double sum = 0;
    for (int i = 0; i < r.size(); i++) {
      if (relevant.contains(r.get(i))) {
        hits++;
        sum += (double) hits / (i + 1);
      }
    }
    return sum / relevant.size();
  }

  /**
   * @param ranked document ids, best first
   * @param relevant the relevant ids
   * @param k the cut-off, at least 1
   * @return the share of relevant ids among the first {@code k}; 0 when nothing is relevant
   */
  public static double recall(List<String> ranked, Set<String> relevant, int k) {
    check(ranked, relevant, k);
    if (relevant.isEmpty()) {
      return 0;
    }
    List<String> r = distinct(ranked);
    long found = r.subList(0, Math.min(k, r.size())).stream().filter(relevant::contains).count();
    return (double) found / relevant.size();
  }

  private static void check(List<String> ranked, Set<String> relevant, int k) {
    Objects.requireNonNull(ranked, "ranked");
    Objects.requireNonNull(relevant, "relevant");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
  }

  private static List<String> distinct(List<String> ranked) {
    return new ArrayList<>(new LinkedHashSet<>(ranked));
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
