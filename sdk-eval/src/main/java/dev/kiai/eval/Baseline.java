package dev.kiai.eval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Compares a run with a baseline run and applies a {@link GatePolicy}. Pass-rate and score deltas get
 * paired bootstrap confidence intervals over the cases both runs contain (percentile method, seeded,
 * so the same reports always give the same interval).
 */
public final class Baseline {
  private Baseline() {}

  /**
   * A confidence interval of a difference (current minus baseline).
   *
   * @param delta the observed difference
   * @param low lower bound
   * @param high upper bound
   */
  public record Interval(double delta, double low, double high) {}

  /**
   * The verdict of the gate.
   *
   * @param passed true when no rule failed
   * @param violations a message per failed rule, empty when passed
   * @param passRateDelta change of the pass rate on the shared cases, with its interval (null without
   *     baseline or shared cases)
   * @param scoreDelta change of the mean score on the shared cases, with its interval (or null)
   * @param costChangePercent change of the model cost in percent (null without baseline or baseline
   *     cost)
   * @param regressions ids of shared cases that passed in the baseline and do not pass now
   * @param fixes ids of shared cases that did not pass in the baseline and pass now
   */
  public record GateResult(
      boolean passed, List<String> violations, Interval passRateDelta, Interval scoreDelta,
      Double costChangePercent, List<String> regressions, List<String> fixes) {
    public GateResult {
      violations = List.copyOf(violations);
      regressions = List.copyOf(regressions);
      fixes = List.copyOf(fixes);
    }
  }

  /**
   * @param current this run
   * @param baseline the reference run, or null to apply only the rules that need none
   * @param policy the rules
   * @return the verdict
   */
  public static GateResult gate(EvalReport current, EvalReport baseline, GatePolicy policy) {
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(policy, "policy");
    List<String> violations = new ArrayList<>();
    if (policy.mustPass()) {
      List<String> broken = current.cases().stream()
          .filter(c -> c.tags().contains(GoldenCase.MUST_PASS) && !c.passed()).map(CaseResult::id).toList();
      if (!broken.isEmpty()) {
        violations.add("must-pass cases did not pass: " + String.join(", ", broken));
      }
    }
    if (current.passRate() < policy.minPassRate()) {
      violations.add(String.format(Locale.ROOT, "pass rate %.1f %% is below the minimum %.1f %%",
          100 * current.passRate(), 100 * policy.minPassRate()));
    }
    if (baseline == null) {
      return new GateResult(violations.isEmpty(), violations, null, null, null, List.of(), List.of());
    }
    Map<String, CaseResult> base = new LinkedHashMap<>();
    baseline.cases().forEach(c -> base.put(c.id(), c));
    List<CaseResult[]> pairs = new ArrayList<>();
    List<String> regressions = new ArrayList<>();
    List<String> fixes = new ArrayList<>();
    for (CaseResult c : current.cases()) {
      CaseResult b = base.get(c.id());
      if (b != null) {
        pairs.add(new CaseResult[] {b, c});
        if (b.passed() && !c.passed()) {
          regressions.add(c.id());
        } else if (!b.passed() && c.passed()) {
          fixes.add(c.id());
        }
      }
    }
    Interval passDelta = null;
    Interval scoreDelta = null;
    if (!pairs.isEmpty()) {
      double[] dPass = new double[pairs.size()];
      double[] dScore = new double[pairs.size()];
      for (int i = 0; i < pairs.size(); i++) {
        dPass[i] = (pairs.get(i)[1].passed() ? 1 : 0) - (pairs.get(i)[0].passed() ? 1 : 0);
        dScore[i] = pairs.get(i)[1].score() - pairs.get(i)[0].score();
      }
      passDelta = bootstrap(dPass, policy);
      scoreDelta = bootstrap(dScore, policy);
      double dropPoints = -100 * passDelta.delta();
      if (dropPoints > policy.maxPassRateDropPoints() && passDelta.high() < 0) {
        violations.add(String.format(Locale.ROOT,
            "pass rate dropped %.1f points (> %.1f allowed; %.0f %% CI of the change %+.1f..%+.1f points)",
            dropPoints, policy.maxPassRateDropPoints(), 100 * policy.confidence(), 100 * passDelta.low(),
            100 * passDelta.high()));
      }
    }
    Double costChange = null;
    BigDecimal baseCost = baseline.costUsd();
    if (baseCost.signum() > 0) {
      costChange = current.costUsd().subtract(baseCost).multiply(BigDecimal.valueOf(100))
          .divide(baseCost, MathContext.DECIMAL64).doubleValue();
      if (policy.maxCostIncreasePercent() >= 0 && costChange > policy.maxCostIncreasePercent()) {
        violations.add(String.format(Locale.ROOT, "cost rose %.1f %% (> %.1f %% allowed): %s -> %s USD",
            costChange, policy.maxCostIncreasePercent(), baseCost.toPlainString(), current.costUsd().toPlainString()));
      }
    }
    return new GateResult(violations.isEmpty(), violations, passDelta, scoreDelta, costChange, regressions, fixes);
  }

  /** Percentile bootstrap of the mean of paired differences. */
  static Interval bootstrap(double[] diffs, GatePolicy policy) {
    int n = diffs.length;
    double mean = Arrays.stream(diffs).average().orElse(0);
    SplittableRandom random = new SplittableRandom(policy.seed());
    double[] means = new double[policy.resamples()];
    for (int r = 0; r < means.length; r++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += diffs[random.nextInt(n)];
      }
      means[r] = sum / n;
    }
    Arrays.sort(means);
    double alpha = (1 - policy.confidence()) / 2;
    int lo = (int) Math.floor(alpha * (means.length - 1));
    int hi = (int) Math.ceil((1 - alpha) * (means.length - 1));
    return new Interval(mean, means[lo], means[hi]);
  }
}
