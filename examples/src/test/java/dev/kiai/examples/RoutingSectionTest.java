package dev.kiai.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingSectionTest {

  @Test
  void offlineDemoAnswersLocallyOnTheSmokeModelAndShowsEveryDecisionAndFallback() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (DemoContext ctx = new DemoContext(out, Map.of())) {
      new RoutingSection().run(ctx);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);

    assertThat(text).contains("local model:   local-llama = in-process llama.cpp on the random-weight smoke model")
        .contains("router: routed to local-llama [policy=cheapest-eligible")
        .contains("model: called llama.cpp-inprocess/local-llama [model=local-llama, cost_usd=0]")
        .contains("router: routed to gpt-4.1 [policy=rules, reason=rule hard-reasoning")
        .contains("router: routed to gpt-4.1 [policy=rules, reason=rule structured-output: requires JSON_SCHEMA")
        .contains("router: budget downgrade [from=gpt-4.1, to=local-llama]")
        .contains("router: overflow from local-llama [saturation=0.96]")
        .contains("router: failed gpt-4.1 [error=authentication]");
    // answered by the local model: the easy question, the hard one after premium failed (fallback), and
    // the downgraded one; no model can take the JSON Schema request or the overflow without a premium key
    assertThat(text.split("answer from llama.cpp-inprocess/local-llama: ", -1)).hasSize(4);
    assertThat(text.split("no answer: every candidate failed", -1)).hasSize(3);
  }
}
