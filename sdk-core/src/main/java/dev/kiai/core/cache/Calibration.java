package dev.kiai.core.cache;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * Precision and recall of the semantic tier on labelled pairs at one threshold. A pair counts as a hit
 * when its similarity reaches the threshold and the {@link CacheGuard} lets it through; a hit on a pair
 * labelled different is a false hit.
 *
 * @param threshold the similarity threshold
 * @param precision true hits / all hits; 1 when there are no hits
 * @param recall true hits / pairs labelled same; 0 when there are none
 * @param truePositives hits on pairs labelled same
 * @param falsePositives hits on pairs labelled different
 * @param falseNegatives misses on pairs labelled same
 * @param trueNegatives misses on pairs labelled different
 * @param guardRejections pairs the guard rejected whatever their similarity
 */
public record Calibration(
    double threshold, double precision, double recall, int truePositives, int falsePositives,
    int falseNegatives, int trueNegatives, int guardRejections) {

  /** @return the share of hits that were wrong: 1 - precision */
  public double falseHitRate() {
    return 1 - precision;
  }

  /**
   * @param scores similarity per pair; {@link Double#NEGATIVE_INFINITY} for a pair the guard rejected
   * @param same label per pair
   * @param threshold the threshold to evaluate
   * @return precision and recall at {@code threshold}
   */
  static Calibration at(double[] scores, boolean[] same, double threshold) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    int tn = 0;
    int rejected = 0;
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] == Double.NEGATIVE_INFINITY) {
        rejected++;
      }
      boolean hit = scores[i] >= threshold;
      if (hit && same[i]) {
        tp++;
      } else if (hit) {
        fp++;
      } else if (same[i]) {
        fn++;
      } else {
        tn++;
      }
    }
    double precision = tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
    double recall = tp + fn == 0 ? 0.0 : (double) tp / (tp + fn);
    return new Calibration(threshold, precision, recall, tp, fp, fn, tn, rejected);
  }

  /**
   * The lowest threshold (so the highest recall) at which the false-hit rate stays within the limit.
   * When no threshold allows any hit within the limit, the threshold is above every score (no hits).
   */
  static Calibration choose(double[] scores, boolean[] same, double maxFalseHitRate) {
    Objects.requireNonNull(scores, "scores");
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    double best = Double.NaN;
    int tp = 0;
    int fp = 0;
    for (int k = 0; k < order.length; k++) {
      int i = order[k];
      if (scores[i] == Double.NEGATIVE_INFINITY) {
        break;
      }
      if (same[i]) {
        tp++;
      } else {
        fp++;
      }
      boolean lastOfTies = k + 1 == order.length || scores[order[k + 1]] < scores[i];
      if (lastOfTies && tp > 0 && (double) fp / (tp + fp) <= maxFalseHitRate) {
        best = scores[i];
      }
    }
    if (Double.isNaN(best)) {
      double max = order.length == 0 ? 1.0 : Math.max(1.0, scores[order[0]]);
      best = Math.nextUp(max);
    }
    return at(scores, same, best);
  }
}
