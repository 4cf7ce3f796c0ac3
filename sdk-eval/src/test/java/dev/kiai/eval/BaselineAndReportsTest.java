package dev.kiai.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.core.chat.Usage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineAndReportsTest {

  private static CaseResult result(String id, boolean pass, String cost, String... tags) {
    AssertionResult a = new AssertionResult("contains", pass, null, pass ? "contains \"x\"" : "does not contain \"x\"",
        false, 1.0);
    return new CaseResult(id, pass ? CaseResult.Status.PASSED : CaseResult.Status.FAILED, pass ? 1 : 0, List.of(a),
        "question " + id, new CaseOutput("answer <" + id + ">", "gpt-4o-mini", Usage.of(10, 5), new BigDecimal(cost),
            Duration.ofMillis(120)), null, List.of(tags), 1.0, 1, false, BigDecimal.ZERO);
  }

  /** n cases, the first {@code passing} of them pass. */
  private static EvalReport report(int n, int passing, String costEach) {
    List<CaseResult> cases = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      cases.add(result("c" + i, i < passing, costEach));
    }
    return new EvalReport("s.jsonl", "openai:gpt-4o-mini", null, Instant.parse("2026-01-01T00:00:00Z"),
        Duration.ofSeconds(2), cases);
  }

  @Test
  void smallDropWithinNoiseDoesNotFailButLargeSignificantDropDoes() {
    GatePolicy p = GatePolicy.defaults().withMaxPassRateDrop(5);
    // 10 cases, one regression: -10 points but the 95 % CI reaches 0, so no failure
    Baseline.GateResult small = Baseline.gate(report(10, 8, "0.001"), report(10, 9, "0.001"), p);
    assertThat(small.passRateDelta().delta()).isEqualTo(-0.1);
    assertThat(small.passRateDelta().high()).isEqualTo(0.0);
    assertThat(small.passed()).isTrue();
    assertThat(small.regressions()).containsExactly("c8");
    // 100 cases, 20 regressions: -20 points and the interval is wholly below zero
    Baseline.GateResult big = Baseline.gate(report(100, 70, "0.001"), report(100, 90, "0.001"), p);
    assertThat(big.passed()).isFalse();
    assertThat(big.passRateDelta().high()).isLessThan(0);
    assertThat(big.violations()).singleElement().asString().startsWith("pass rate dropped 20.0 points (> 5.0 allowed; 95 % CI of the change");
  }

  @Test
  void bootstrapIsDeterministicForASeed() {
    GatePolicy p = GatePolicy.defaults();
    Baseline.GateResult a = Baseline.gate(report(40, 30, "0.001"), report(40, 34, "0.001"), p);
    Baseline.GateResult b = Baseline.gate(report(40, 30, "0.001"), report(40, 34, "0.001"), p);
    assertThat(a.passRateDelta()).isEqualTo(b.passRateDelta());
    assertThat(a.passRateDelta().low()).isLessThan(a.passRateDelta().delta());
    assertThat(a.passRateDelta().high()).isGreaterThan(a.passRateDelta().delta());
    // all differences equal: every resample has the same mean
    Baseline.Interval flat = Baseline.bootstrap(new double[] {0.25, 0.25, 0.25}, p);
    assertThat(flat).isEqualTo(new Baseline.Interval(0.25, 0.25, 0.25));
  }

  @Test
  void costRiseAndMustPassGates() {
    Baseline.GateResult cost = Baseline.gate(report(4, 4, "0.0013"), report(4, 4, "0.001"),
        GatePolicy.defaults().withMaxCostIncrease(20));
    assertThat(cost.costChangePercent()).isEqualTo(30.0);
    assertThat(cost.violations()).containsExactly("cost rose 30.0 % (> 20.0 % allowed): 0.004 -> 0.0052 USD");
    EvalReport r = new EvalReport("s", "m", null, null, null, List.of(result("vip", false, "0", GoldenCase.MUST_PASS),
        result("other", true, "0")));
    Baseline.GateResult must = Baseline.gate(r, null, GatePolicy.defaults());
    assertThat(must.violations()).containsExactly("must-pass cases did not pass: vip");
    assertThat(Baseline.gate(r, null, GatePolicy.defaults().withMinPassRate(0.9)).violations())
        .contains("pass rate 50.0 % is below the minimum 90.0 %");
  }

  @Test
  void jsonRoundTripsForBaselines() {
    EvalReport r = report(3, 2, "0.000027");
    EvalReport back = EvalReport.fromJson(r.toJson());
    assertThat(back).isEqualTo(r);
  }

  @Test
  void markdownShowsDeltasAndFailingCases() {
    EvalReport cur = report(3, 2, "0.001");
    Baseline.GateResult gate = Baseline.gate(cur, report(3, 3, "0.001"), GatePolicy.defaults());
    String md = Reports.markdown(cur, gate);
    assertThat(md).startsWith("## Eval: s.jsonl on `openai:gpt-4o-mini`\n\n"
        + "| cases | passed | failed | errored | pass rate | mean score | cost (USD) |\n"
        + "|---:|---:|---:|---:|---:|---:|---:|\n"
        + "| 3 | 2 | 1 | 0 | 66.7 % | 0.667 | 0.003 |\n");
    assertThat(md).contains("Pass rate vs baseline: **-33.3 points**");
    assertThat(md).contains("Regressions: c2");
    assertThat(md).contains("<details><summary><b>c2</b> failed: contains — does not contain &quot;x&quot;</summary>");
    assertThat(md).contains("Output:\n\n```\nanswer <c2>\n```");
  }

  @Test
  void htmlIsSelfContainedWithChartAndDrillDown() {
    String html = Reports.html(report(5, 3, "0.001"), null);
    assertThat(html).contains("<svg xmlns=\"http://www.w3.org/2000/svg\"").contains("<title>0.0-0.1: 2</title>")
        .contains("<title>0.9-1.0: 3</title>").contains("answer &lt;c4&gt;").contains("<td>contains</td><td>3/5</td>");
    assertThat(html).doesNotContain("<script src").doesNotContain("<link ").doesNotContain("http://cdn")
        .doesNotContain("https://");
  }

  @Test
  void junitXmlHasOneTestcasePerCase(@TempDir Path dir) throws Exception {
    EvalReport r = report(2, 1, "0.001");
    Reports.writeAll(r, null, dir);
    String xml = Files.readString(dir.resolve("junit.xml"));
    assertThat(xml).contains("<testsuite name=\"s.jsonl\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"2.000\">")
        .contains("<testcase classname=\"s.jsonl\" name=\"c0\" time=\"0.120\"/>")
        .contains("<failure message=\"contains: does not contain &quot;x&quot;\">case c1: failed (score 0.000)");
    assertThat(dir.resolve("report.json")).exists();
    assertThat(dir.resolve("report.md")).exists();
    assertThat(dir.resolve("report.html")).exists();
  }
}
