package dev.kiai.eval;

/**
 * When a run fails its gate.
 *
 * @param maxPassRateDropPoints fail when the pass rate fell by more than this many percentage points
 *     against the baseline <em>and</em> the bootstrap confidence interval of the change lies wholly
 *     below zero (so a small set's noise does not fail a build); 0..100
 * @param maxCostIncreasePercent fail when the model cost rose by more than this many percent against
 *     the baseline; a negative value disables the check
 * @param mustPass fail when any case tagged {@code must-pass} did not pass (needs no baseline)
 * @param minPassRate fail when the pass rate is below this absolute value, 0..1 (0 disables)
 * @param confidence confidence level of the bootstrap intervals, in (0,1), e.g. 0.95
 * @param resamples bootstrap resamples, &gt;= 100
 * @param seed seed of the bootstrap, so intervals are reproducible
 */
public record GatePolicy(
    double maxPassRateDropPoints, double maxCostIncreasePercent, boolean mustPass, double minPassRate,
    double confidence, int resamples, long seed) {

  public GatePolicy {
    if (!(maxPassRateDropPoints >= 0 && maxPassRateDropPoints <= 100)) {
      throw new IllegalArgumentException("maxPassRateDropPoints must be within 0..100, was " + maxPassRateDropPoints);
    }
    if (Double.isNaN(maxCostIncreasePercent)) {
      throw new IllegalArgumentException("maxCostIncreasePercent must be a number");
    }
    if (!(minPassRate >= 0 && minPassRate <= 1)) {
      throw new IllegalArgumentException("minPassRate must be within 0..1, was " + minPassRate);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be within (0,1), was " + confidence);
    }
    if (resamples < 100) {
      throw new IllegalArgumentException("resamples must be >= 100, was " + resamples);
    }
  }

  /**
   * Defaults: fail on a drop of more than 5 points (significant at 95 %), on a cost rise of more than
   * 20 %, and on a failing {@code must-pass} case; 2,000 resamples with seed 42.
   *
   * @return the default policy
   */
  public static GatePolicy defaults() {
    return new GatePolicy(5.0, 20.0, true, 0.0, 0.95, 2000, 42L);
  }

  /** @param points allowed drop in percentage points @return a copy */
  public GatePolicy withMaxPassRateDrop(double points) {
    return new GatePolicy(points, maxCostIncreasePercent, mustPass, minPassRate, confidence, resamples, seed);
  }

  /** @param percent allowed cost rise; negative disables @return a copy */
  public GatePolicy withMaxCostIncrease(double percent) {
    return new GatePolicy(maxPassRateDropPoints, percent, mustPass, minPassRate, confidence, resamples, seed);
  }

  /** @param rate minimum absolute pass rate @return a copy */
  public GatePolicy withMinPassRate(double rate) {
    return new GatePolicy(maxPassRateDropPoints, maxCostIncreasePercent, mustPass, rate, confidence, resamples, seed);
  }
}
