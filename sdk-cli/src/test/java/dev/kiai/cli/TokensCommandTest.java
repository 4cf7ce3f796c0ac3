package dev.kiai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokensCommandTest {

  @Test
  void countsExactlyForOpenAiModelsAndMarksEstimatesElsewhere() {
    String in = """
        {"id":"a","text":"hello world"}
        {"id":"b","text":""}
        {"id":"c","text":42}
        {"id":"d"}
        """;
    CliRun r = CliRun.run(in, "tokens", "count", "--model", "gpt-4o-mini");
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly(
        "{\"id\":\"a\",\"tokens\":2,\"exact\":true}",
        "{\"id\":\"b\",\"tokens\":0,\"exact\":true}",
        "{\"id\":\"c\",\"error\":\"missing \\\"text\\\" (a string)\"}",
        "{\"id\":\"d\",\"error\":\"missing \\\"text\\\" (a string)\"}");
    assertThat(r.err()).contains("kiai tokens count: 4 lines, 2 ok, 2 errors");

    CliRun claude = CliRun.run("{\"id\":1,\"text\":\"hello world\"}\n", "tokens", "count", "--model",
        "claude-sonnet-4-5");
    assertThat(claude.outLines()).hasSize(1);
    assertThat(claude.outLines().get(0)).startsWith("{\"id\":1,\"tokens\":").endsWith(",\"exact\":false}");
  }

  @Test
  void theSubCommandIsRequired() {
    CliRun r = CliRun.run("", "tokens");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("a sub-command is required: count");
  }
}
