package dev.kiai.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoEvalSectionTest {
  @Test
  void printsSummaryComparisonAndGate() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    try (DemoContext ctx = new DemoContext(out, Map.of())) {
      new EvalSection().run(ctx);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("golden set support.jsonl: 6 cases; answers are REPLAYED from bundled JSONL written for the demo")
        .contains("  v1.0.0  5/6 passed (83.3 %)").contains("  v1.1.0  5/6 passed (83.3 %)")
        .contains("case order-json: failed").contains("failed  is-json: not valid JSON")
        .contains("regressions [order-json], fixes [no-card-echo]").contains("gate: passed");
  }
}
