package dev.kiai.examples;

import dev.kiai.eval.Baseline;
import dev.kiai.eval.CaseResult;
import dev.kiai.eval.EvalReport;
import dev.kiai.eval.EvalRunner;
import dev.kiai.eval.GatePolicy;
import dev.kiai.eval.GoldenSuite;
import dev.kiai.eval.ReplayModel;
import java.util.Locale;

/**
 * Golden-set evaluation offline: the same six support cases replayed from two bundled recordings (answers
 * attributed to prompt versions 1.0.0 and 1.1.0; written for the demo, not captured from a live model),
 * checked with deterministic assertions and compared with a bootstrap gate.
 */
final class EvalSection implements DemoSection {
  static final String GOLDEN_RESOURCE = "classpath:golden/support.jsonl";

  @Override
  public String title() {
    return "Eval: a golden set replayed offline, two prompt versions compared with a gate";
  }

  @Override
  public void run(DemoContext ctx) {
    GoldenSuite suite = GoldenSuite.load(GOLDEN_RESOURCE);
    EvalReport base = run(suite, "golden/support-replay-v1.0.0.jsonl", ctx);
    EvalReport cand = run(suite, "golden/support-replay-v1.1.0.jsonl", ctx);
    ctx.out.println("golden set " + suite.name() + ": " + suite.size() + " cases; answers are REPLAYED from "
        + "bundled JSONL written for the demo (no model call, no network)");
    print(ctx, "v1.0.0", base);
    print(ctx, "v1.1.0", cand);
    for (CaseResult c : cand.failures()) {
      ctx.out.print("  " + c.explain().strip().replace("\n", "\n  ") + "\n");
    }
    Baseline.GateResult gate = Baseline.gate(cand, base, GatePolicy.defaults());
    ctx.out.printf(Locale.ROOT, "v1.1.0 vs v1.0.0: pass rate %+.1f points (95 %% bootstrap CI %+.1f..%+.1f), "
            + "cost %+.1f %%; regressions %s, fixes %s%n", 100 * gate.passRateDelta().delta(),
        100 * gate.passRateDelta().low(), 100 * gate.passRateDelta().high(), gate.costChangePercent(),
        gate.regressions(), gate.fixes());
    ctx.out.println("gate: " + (gate.passed() ? "passed" : "FAILED — " + String.join("; ", gate.violations())));
  }

  private static EvalReport run(GoldenSuite suite, String replay, DemoContext ctx) {
    return EvalRunner.builder().model(ReplayModel.fromClasspath(replay)).prices(ctx.prices).build().run(suite);
  }

  private static void print(DemoContext ctx, String label, EvalReport r) {
    ctx.out.printf(Locale.ROOT, "  %-7s %d/%d passed (%.1f %%), mean score %.3f, %d+%d tokens, %s USD%n", label,
        r.passed(), r.total(), 100 * r.passRate(), r.meanScore(), r.usage().inputTokens(), r.usage().outputTokens(),
        r.costUsd().toPlainString());
  }
}
