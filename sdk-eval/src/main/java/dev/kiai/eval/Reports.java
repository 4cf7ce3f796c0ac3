package dev.kiai.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an {@link EvalReport} for people and tools: Markdown for a pull-request comment, a
 * single-file HTML report (no external assets), JUnit XML for CI test tabs, and all of them at once
 * into a directory with {@link #writeAll}.
 */
public final class Reports {
  private Reports() {}

  /**
   * Writes {@code report.json}, {@code report.md}, {@code report.html} and {@code junit.xml}.
   *
   * @param report the run
   * @param gate the gate verdict to show, or null
   * @param dir the directory, created when missing
   * @throws IOException when a file cannot be written
   */
  public static void writeAll(EvalReport report, Baseline.GateResult gate, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("report.json"), report.toJson(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.md"), markdown(report, gate), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.html"), html(report, gate), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("junit.xml"), junitXml(report), StandardCharsets.UTF_8);
  }

  /**
   * A pull-request comment: pass rate, deltas against the baseline, gate verdict, per-assertion pass
   * rates and the failing cases with output and failing assertion.
   *
   * @param report the run
   * @param gate the gate verdict, or null
   * @return Markdown
   */
  public static String markdown(EvalReport report, Baseline.GateResult gate) {
    StringBuilder sb = new StringBuilder();
    sb.append("## Eval: ").append(report.suite()).append(" on `").append(report.model()).append("`\n\n");
    sb.append("| cases | passed | failed | errored | pass rate | mean score | cost (USD) |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    sb.append("| ").append(report.total()).append(" | ").append(report.passed()).append(" | ")
        .append(report.failed()).append(" | ").append(report.errored()).append(" | ")
        .append(pct(report.passRate())).append(" | ").append(f3(report.meanScore())).append(" | ")
        .append(report.costUsd().toPlainString()).append(" |\n\n");
    if (gate != null) {
      if (gate.passRateDelta() != null) {
        Baseline.Interval d = gate.passRateDelta();
        sb.append(String.format(Locale.ROOT, "Pass rate vs baseline: **%+.1f points** (95 %% CI %+.1f..%+.1f)",
            100 * d.delta(), 100 * d.low(), 100 * d.high()));
        Baseline.Interval s = gate.scoreDelta();
        sb.append(String.format(Locale.ROOT, ", mean score %+.3f (CI %+.3f..%+.3f)", s.delta(), s.low(), s.high()));
        if (gate.costChangePercent() != null) {
          sb.append(String.format(Locale.ROOT, ", cost %+.1f %%", gate.costChangePercent()));
        }
        sb.append(".\n\n");
        if (!gate.regressions().isEmpty()) {
          sb.append("Regressions: ").append(String.join(", ", gate.regressions())).append("\n\n");
        }
        if (!gate.fixes().isEmpty()) {
          sb.append("Fixed: ").append(String.join(", ", gate.fixes())).append("\n\n");
        }
      }
      sb.append(gate.passed() ? "**Gate: passed**\n\n" : "**Gate: FAILED**\n\n");
      for (String v : gate.violations()) {
        sb.append("- ").append(v).append('\n');
      }
      if (!gate.violations().isEmpty()) {
        sb.append('\n');
      }
    }
    Map<String, long[]> perType = report.assertionPassCounts();
    if (!perType.isEmpty()) {
      sb.append("| assertion | passed |\n|---|---:|\n");
      perType.forEach((t, pt) -> sb.append("| ").append(t).append(" | ").append(pt[0]).append("/").append(pt[1])
          .append(" |\n"));
      sb.append('\n');
    }
    List<CaseResult> failures = report.failures();
    if (!failures.isEmpty()) {
      sb.append("### Failing cases\n\n");
      for (CaseResult c : failures) {
        sb.append("<details><summary><b>").append(escapeHtml(c.id())).append("</b> ")
            .append(c.status().name().toLowerCase(Locale.ROOT));
        AssertionResult a = c.firstFailure();
        if (a != null) {
          sb.append(": ").append(escapeHtml(a.type())).append(" — ").append(escapeHtml(a.reason()));
        } else if (c.error() != null) {
          sb.append(": ").append(escapeHtml(c.error()));
        }
        sb.append("</summary>\n\n");
        sb.append("Input:\n\n").append(fence(c.input())).append("\nOutput:\n\n")
            .append(fence(c.output() == null ? "(none)" : c.output().text())).append('\n');
        for (AssertionResult r : c.assertions()) {
          if (!r.pass()) {
            sb.append("- ").append(r.errored() ? "errored " : "failed ").append('`').append(r.type()).append("`: ")
                .append(escapeHtml(r.reason())).append('\n');
          }
        }
        sb.append("\n</details>\n\n");
      }
    }
    return sb.toString();
  }

  private static String fence(String s) {
    String f = s.contains("```") ? "~~~~" : "```";
    return f + "\n" + s.strip() + "\n" + f + "\n";
  }

  /**
   * A self-contained HTML page: summary, gate, per-assertion pass rates, an inline SVG histogram of
   * case scores and every case with input, output and assertions.
   *
   * @param report the run
   * @param gate the gate verdict, or null
   * @return HTML
   */
  public static String html(EvalReport report, Baseline.GateResult gate) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Eval ")
        .append(escapeHtml(report.suite())).append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}")
        .append(".passed{color:#17692f}.failed{color:#b3261e}.errored{color:#8a5300}")
        .append("pre{background:#f5f5f5;padding:.5em;white-space:pre-wrap}details{margin:.3em 0}")
        .append("</style></head><body>\n");
    sb.append("<h1>Eval: ").append(escapeHtml(report.suite())).append("</h1>\n<p>Model <code>")
        .append(escapeHtml(report.model())).append("</code>");
    if (report.judge() != null) {
      sb.append(", judge <code>").append(escapeHtml(report.judge())).append("</code>");
    }
    sb.append(", started ").append(report.startedAt()).append(", ").append(report.duration().toMillis())
        .append(" ms.</p>\n");
    sb.append("<table><tr><th>cases</th><th>passed</th><th>failed</th><th>errored</th><th>pass rate</th>")
        .append("<th>mean score</th><th>cost (USD)</th><th>tokens in/out</th></tr><tr><td>").append(report.total())
        .append("</td><td>").append(report.passed()).append("</td><td>").append(report.failed()).append("</td><td>")
        .append(report.errored()).append("</td><td>").append(pct(report.passRate())).append("</td><td>")
        .append(f3(report.meanScore())).append("</td><td>").append(report.costUsd().toPlainString())
        .append("</td><td>").append(report.usage().inputTokens()).append(" / ").append(report.usage().outputTokens())
        .append("</td></tr></table>\n");
    if (gate != null) {
      sb.append("<h2>Gate: <span class=\"").append(gate.passed() ? "passed\">passed" : "failed\">failed")
          .append("</span></h2>\n<ul>");
      if (gate.passRateDelta() != null) {
        Baseline.Interval d = gate.passRateDelta();
        sb.append(String.format(Locale.ROOT, "<li>pass rate vs baseline %+.1f points (95 %% CI %+.1f..%+.1f)</li>",
            100 * d.delta(), 100 * d.low(), 100 * d.high()));
      }
      for (String v : gate.violations()) {
        sb.append("<li class=\"failed\">").append(escapeHtml(v)).append("</li>");
      }
      sb.append("</ul>\n");
    }
    sb.append("<h2>Assertions</h2>\n<table><tr><th>type</th><th>passed</th><th>pass rate</th></tr>");
    report.assertionPassCounts().forEach((t, pt) -> sb.append("<tr><td>").append(escapeHtml(t)).append("</td><td>")
        .append(pt[0]).append('/').append(pt[1]).append("</td><td>").append(pct((double) pt[0] / pt[1]))
        .append("</td></tr>"));
    sb.append("</table>\n<h2>Score distribution</h2>\n").append(histogram(report)).append('\n');
    sb.append("<h2>Cases</h2>\n");
    for (CaseResult c : report.cases()) {
      String status = c.status().name().toLowerCase(Locale.ROOT);
      sb.append("<details").append(c.passed() ? "" : " open").append("><summary><span class=\"").append(status)
          .append("\">").append(status).append("</span> <b>").append(escapeHtml(c.id())).append("</b> score ")
          .append(f3(c.score())).append("</summary>\n<p>Input</p><pre>").append(escapeHtml(c.input()))
          .append("</pre><p>Output</p><pre>")
          .append(escapeHtml(c.output() == null ? "(none)" : c.output().text())).append("</pre>");
      if (c.error() != null) {
        sb.append("<p class=\"errored\">").append(escapeHtml(c.error())).append("</p>");
      }
      sb.append("<table><tr><th>assertion</th><th>result</th><th>score</th><th>reason</th></tr>");
      for (AssertionResult a : c.assertions()) {
        String r = a.errored() ? "errored" : a.pass() ? "passed" : "failed";
        sb.append("<tr><td>").append(escapeHtml(a.type())).append("</td><td class=\"").append(r).append("\">")
            .append(r).append("</td><td>").append(a.score() == null ? "" : f3(a.score())).append("</td><td>")
            .append(escapeHtml(a.reason())).append("</td></tr>");
      }
      sb.append("</table></details>\n");
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  /** Ten bins of case scores, [0,0.1) ... [0.9,1.0], as an inline SVG bar chart. */
  static String histogram(EvalReport report) {
    int[] bins = new int[10];
    for (CaseResult c : report.cases()) {
      bins[Math.min(9, (int) Math.floor(c.score() * 10))]++;
    }
    int max = Math.max(1, java.util.Arrays.stream(bins).max().orElse(1));
    int w = 400;
    int h = 160;
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h + 30)
        .append("\" role=\"img\" aria-label=\"case score histogram\">");
    for (int i = 0; i < 10; i++) {
      int bh = (int) Math.round((double) bins[i] / max * h);
      int x = i * (w / 10);
      sb.append("<rect x=\"").append(x + 2).append("\" y=\"").append(h - bh).append("\" width=\"").append(w / 10 - 4)
          .append("\" height=\"").append(bh).append("\" fill=\"").append(i >= 5 ? "#2e7d32" : "#c62828")
          .append("\"><title>").append(String.format(Locale.ROOT, "%.1f-%.1f: %d", i / 10.0, (i + 1) / 10.0, bins[i]))
          .append("</title></rect>");
      sb.append("<text x=\"").append(x + w / 20).append("\" y=\"").append(h + 14)
          .append("\" font-size=\"10\" text-anchor=\"middle\">").append(String.format(Locale.ROOT, "%.1f", i / 10.0))
          .append("</text>");
      if (bins[i] > 0) {
        sb.append("<text x=\"").append(x + w / 20).append("\" y=\"").append(Math.max(10, h - bh - 2))
            .append("\" font-size=\"10\" text-anchor=\"middle\">").append(bins[i]).append("</text>");
      }
    }
    sb.append("<text x=\"0\" y=\"").append(h + 28).append("\" font-size=\"10\">case score</text></svg>");
    return sb.toString();
  }

  /**
   * JUnit XML (the Ant/Surefire format CI servers read): one {@code testcase} per case, failures and
   * errors with the explanation of {@link CaseResult#explain()}.
   *
   * @param report the run
   * @return XML
   */
  public static String junitXml(EvalReport report) {
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb.append("<testsuite name=\"").append(escapeXml(report.suite())).append("\" tests=\"").append(report.total())
        .append("\" failures=\"").append(report.failed()).append("\" errors=\"").append(report.errored())
        .append("\" skipped=\"0\" time=\"").append(seconds(report.duration().toMillis())).append("\">\n");
    for (CaseResult c : report.cases()) {
      long ms = c.output() == null ? 0 : c.output().latency().toMillis();
      sb.append("  <testcase classname=\"").append(escapeXml(report.suite())).append("\" name=\"")
          .append(escapeXml(c.id())).append("\" time=\"").append(seconds(ms)).append('"');
      if (c.passed()) {
        sb.append("/>\n");
        continue;
      }
      String tag = c.status() == CaseResult.Status.ERRORED ? "error" : "failure";
      AssertionResult a = c.firstFailure();
      String message = a != null ? a.type() + ": " + a.reason() : String.valueOf(c.error());
      sb.append(">\n    <").append(tag).append(" message=\"").append(escapeXml(message)).append("\">")
          .append(escapeXml(c.explain())).append("</").append(tag).append(">\n  </testcase>\n");
    }
    sb.append("</testsuite>\n");
    return sb.toString();
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
  }

  static String escapeHtml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  static String escapeXml(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
            sb.append("&#xFFFD;");
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * v);
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
