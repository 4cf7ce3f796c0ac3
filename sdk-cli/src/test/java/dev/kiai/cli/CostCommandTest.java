package dev.kiai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostCommandTest {

  @Test
  void pricesEachLineKeepingIdsAndOrderAndReportsBadLines() {
    String in = """
        {"id":1,"input_tokens":1000,"output_tokens":500}
        {"id":"b","input_tokens":1000,"output_tokens":500,"cached_input_tokens":400}

        not json
        {"input_tokens":1,"output_tokens":1}
        {"id":5,"input_tokens":-1,"output_tokens":0}
        {"id":6,"input_tokens":1.5,"output_tokens":0}
        {"id":7,"input_tokens":10,"output_tokens":0,"cached_input_tokens":11}
        {"id":8,"output_tokens":3}
        """;
    CliRun r = CliRun.run(in, "cost", "--model", "gpt-4o-mini");
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly(
        "{\"id\":1,\"usd\":\"0.00045\"}",
        "{\"id\":\"b\",\"usd\":\"0.00042\"}",
        "{\"id\":null,\"error\":\"line 4: malformed JSON: Unrecognized token 'not': was expecting "
            + "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')\"}",
        "{\"id\":null,\"error\":\"line 5: missing \\\"id\\\" (a string or number)\"}",
        "{\"id\":5,\"error\":\"\\\"input_tokens\\\" must be a non-negative integer, was -1\"}",
        "{\"id\":6,\"error\":\"\\\"input_tokens\\\" must be a non-negative integer, was 1.5\"}",
        "{\"id\":7,\"error\":\"cached_input_tokens + cache_write_input_tokens exceed input_tokens\"}",
        "{\"id\":8,\"error\":\"missing \\\"input_tokens\\\"\"}");
    assertThat(r.err()).contains("kiai cost: 8 lines, 2 ok, 6 errors");
  }

  @Test
  void readsTheInputFileAndHonoursPriceOverrides(@TempDir Path dir) throws IOException {
    Path in = dir.resolve("usage.jsonl");
    Files.writeString(in, "{\"id\":\"x\",\"input_tokens\":2000000,\"output_tokens\":1000000}\n");
    Path prices = dir.resolve("prices.json");
    Files.writeString(prices, "{\"as_of\":\"2099-01-01\",\"models\":[{\"provider\":\"local\",\"id\":\"my-gpu-model\","
        + "\"context_window\":8192,\"input\":0.01,\"output\":0.03}]}");
    CliRun r = CliRun.run("", "cost", "--model", "my-gpu-model", "--in", in.toString(), "--prices",
        prices.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly("{\"id\":\"x\",\"usd\":\"0.05\"}");
  }

  @Test
  void usageErrorsExitWithTwo(@TempDir Path dir) {
    CliRun unknown = CliRun.run("", "cost", "--model", "no-such-model");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown model 'no-such-model'; known models: gpt-5, gpt-5-mini");

    CliRun missingOption = CliRun.run("", "cost");
    assertThat(missingOption.exitCode()).isEqualTo(2);
    assertThat(missingOption.err()).contains("Missing required option: '--model=<model>'");

    CliRun missingFile = CliRun.run("", "cost", "--model", "gpt-4o", "--in", dir.resolve("nope.jsonl").toString());
    assertThat(missingFile.exitCode()).isEqualTo(2);
    assertThat(missingFile.err()).contains("input file not found").contains("nope.jsonl");

    CliRun noCommand = CliRun.run("");
    assertThat(noCommand.exitCode()).isEqualTo(2);
    assertThat(noCommand.err()).contains("a command is required");
  }
}
