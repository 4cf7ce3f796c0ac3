package dev.kiai.router;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Quality against premium share for a router on labelled prompts, with the figures RouteLLM reports.
 * Prompts are sent to the strong model in order of increasing score (the lowest probability that the
 * weak model suffices first); after {@code k} of {@code n} prompts the premium share is {@code k/n} and
 * the quality is the mean outcome of the routed answers. The performance gap recovered is
 * {@code PGR = (quality - weak quality) / (strong quality - weak quality)}; APGR is its area over premium
 * shares 0..1 (0.5 for a random router); CPT(x) is the least premium share with {@code PGR >= x}.
 * Immutable.
 */
public final class RoutingCurve {
  private final double[] quality;
  private final double weakQuality;
  private final double strongQuality;

  private RoutingCurve(double[] quality) {
    this.quality = quality;
    this.weakQuality = quality[0];
    this.strongQuality = quality[quality.length - 1];
  }

  /**
   * @param scores per prompt, the predicted probability that the weak model suffices
   * @param weak per prompt, the weak model's outcome 0..1
   * @param strong per prompt, the strong model's outcome 0..1
   * @return the curve
   */
  public static RoutingCurve of(double[] scores, double[] weak, double[] strong) {
    Objects.requireNonNull(scores, "scores");
    int n = scores.length;
    if (n == 0 || weak.length != n || strong.length != n) {
      throw new IllegalArgumentException("scores, weak and strong must be non-empty and of equal length, were "
          + n + ", " + weak.length + ", " + strong.length);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double sum = 0;
    for (double w : weak) {
      sum += w;
    }
    double[] q = new double[n + 1];
    q[0] = sum / n;
    for (int k = 1; k <= n; k++) {
      int i = order[k - 1];
      sum += strong[i] - weak[i];
      q[k] = sum / n;
    }
    return new RoutingCurve(q);
  }

  /**
   * A random router's curve on the same prompts: scores drawn uniformly from a {@link SplittableRandom}
   * with the seed (well mixed, so consecutive seeds give independent orders).
   *
   * @param weak the weak model's outcomes
   * @param strong the strong model's outcomes
   * @param seed the seed
   * @return the curve
   */
  public static RoutingCurve random(double[] weak, double[] strong, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] s = new double[weak.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = rnd.nextDouble();
    }
    return of(s, weak, strong);
  }

  /** @return the number of prompts */
  public int size() {
    return quality.length - 1;
  }

  /** @return the quality with every prompt on the weak model */
  public double weakQuality() {
    return weakQuality;
  }

  /** @return the quality with every prompt on the strong model */
  public double strongQuality() {
    return strongQuality;
  }

  /**
   * @param premiumShare share of prompts on the strong model, 0..1
   * @return the routed quality at that share (the nearest whole number of prompts)
   */
  public double qualityAt(double premiumShare) {
    return quality[(int) Math.round(premiumShare * size())];
  }

  private double pgr(double q) {
    return (q - weakQuality) / (strongQuality - weakQuality);
  }

  /** @return the average performance gap recovered (area under PGR over share), or NaN without a gap */
  public double apgr() {
    if (!(strongQuality > weakQuality)) {
      return Double.NaN;
    }
    int n = size();
    double area = 0;
    for (int k = 1; k <= n; k++) {
      area += (pgr(quality[k - 1]) + pgr(quality[k])) / 2;
    }
    return area / n;
  }

  /**
   * @param pgr the wanted performance gap recovered, 0..1
   * @return CPT: the least premium share reaching it, or NaN without a gap
   */
  public double premiumShareForPgr(double pgr) {
    if (!(strongQuality > weakQuality)) {
      return Double.NaN;
    }
    for (int k = 0; k < quality.length; k++) {
      if (pgr(quality[k]) >= pgr - 1e-12) {
        return k / (double) size();
      }
    }
    return 1;
  }

  /**
   * @param fractionOfStrong the wanted quality relative to the strong model's, e.g. 0.95
   * @return the least premium share whose routed quality reaches it
   */
  public double premiumShareForQuality(double fractionOfStrong) {
    double target = fractionOfStrong * strongQuality;
    for (int k = 0; k < quality.length; k++) {
      if (quality[k] >= target - 1e-12) {
        return k / (double) size();
      }
    }
    return 1;
  }

  /**
   * One point of the curve.
   *
   * @param premiumShare share of prompts on the strong model
   * @param quality routed quality
   * @param pgr performance gap recovered
   */
  public record Point(double premiumShare, double quality, double pgr) {}

  /**
   * @param steps number of equal share steps, at least 1 (100 gives shares 0, 0.01, ..., 1)
   * @return {@code steps + 1} points
   */
  public List<Point> points(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, was " + steps);
    }
    List<Point> out = new ArrayList<>(steps + 1);
    for (int s = 0; s <= steps; s++) {
      double share = s / (double) steps;
      double q = qualityAt(share);
      out.add(new Point(share, q, strongQuality > weakQuality ? pgr(q) : Double.NaN));
    }
    return out;
  }
}
