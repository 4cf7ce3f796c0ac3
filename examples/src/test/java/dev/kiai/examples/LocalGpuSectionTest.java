package dev.kiai.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalGpuSectionTest {
  @Test
  void runsTheSmokeModelInProcessAndPlans() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    try (DemoContext ctx = new DemoContext(out, Map.of())) {
      new LocalGpuSection().run(ctx);
    }

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("h100-80gb    bf16      16.1 GB      yes         50        196 t/s");
    assertThat(text).contains("Wrote tiny-q8_0.gguf (220384 bytes): a 2-layer Llama with RANDOM weights.");
    assertThat(text).contains("local price: 0.462963 USD per 1M output tokens");
    assertThat(text).containsPattern("\\d+ input / \\d+ output tokens \\(exact prompt count");
    assertThat(text).containsPattern("JSON Schema as a grammar \\(valid JSON even from random weights\\): "
        + "\\{ ?\"answer\" ?: ?\"(yes|no)\" ?\\}");
  }

  @Test
  void printableReplacesControlAndNonAsciiCharacters() {
    assertThat(LocalGpuSection.printable("a\u0001b\ufffdc")).isEqualTo("\"a\u00b7b\u00b7c\"");
  }
}
