package dev.kiai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetCommandTest {
  static final String LIMITS = """
      {"timezone": "UTC", "limits": [
        {"match": {"tenant": "acme"}, "window": "day", "usd": "0.01", "policy": "downgrade", "downgrade_to": "gpt-4o-mini"},
        {"match": {"tenant": "acme", "feature": "summary"}, "window": "hour", "tokens": 3000, "policy": "shrink"},
        {"match": {"user": "*"}, "window": "day", "usd": "0.02", "policy": "reject"}]}
      """;

  @Test
  void replaysRequestsInOrderThroughAdmitDowngradeShrinkAndReject(@TempDir Path dir) throws IOException {
    Path limits = dir.resolve("limits.json");
    Files.writeString(limits, LIMITS);
    String in = """
        {"id":"a","time":"2026-05-04T10:00:00Z","tenant":"acme","user":"u1","feature":"chat","model":"gpt-4o","input_tokens":1000,"max_tokens":500,"output_tokens":500}
        {"id":"b","time":"2026-05-04T10:01:00Z","tenant":"acme","user":"u1","feature":"chat","model":"gpt-4o","input_tokens":1000,"max_tokens":500,"output_tokens":100}
        {"id":"c","time":"2026-05-04T10:02:00Z","tenant":"acme","user":"u2","feature":"summary","model":"gpt-4o-mini","input_tokens":1000,"max_tokens":2500,"output_tokens":2500}
        {"id":"d","time":"2026-05-04T10:03:00Z","tenant":"acme","user":"u2","feature":"summary","model":"gpt-4o-mini","input_tokens":10,"max_tokens":10,"output_tokens":10}
        {"id":"e","time":"2026-05-04T11:00:00Z","tenant":"acme","user":"u2","feature":"summary","model":"gpt-4o-mini","input_tokens":10,"max_tokens":10,"output_tokens":10}
        {"id":"f","tenant":"acme","input_tokens":10,"max_tokens":10,"output_tokens":10}
        {"id":"g","time":"yesterday","tenant":"acme","model":"gpt-4o","input_tokens":10,"max_tokens":10,"output_tokens":10}
        {"id":"h","tenant":"acme","model":"no-such-model","input_tokens":10,"max_tokens":10,"output_tokens":10}
        """;
    CliRun r = CliRun.run(in, "budget", "simulate", "--limits", limits.toString());

    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).containsExactly(
        "{\"id\":\"a\",\"decision\":\"admit\",\"model\":\"gpt-4o\",\"max_tokens\":500,\"usd\":\"0.0075\","
            + "\"remaining\":{\"0\":\"0.0025\",\"2\":\"0.0125\"}}",
        "{\"id\":\"b\",\"decision\":\"downgrade\",\"model\":\"gpt-4o-mini\",\"max_tokens\":500,\"usd\":\"0.00021\","
            + "\"remaining\":{\"0\":\"0.00229\",\"2\":\"0.01229\"}}",
        "{\"id\":\"c\",\"decision\":\"shrink\",\"model\":\"gpt-4o-mini\",\"max_tokens\":2000,\"usd\":\"0.00135\","
            + "\"remaining\":{\"0\":\"0.00094\",\"1\":0,\"2\":\"0.01865\"}}",
        "{\"id\":\"d\",\"decision\":\"reject\",\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"usd\":\"0\","
            + "\"remaining\":{\"0\":\"0.00094\",\"1\":0,\"2\":\"0.01865\"}}",
        "{\"id\":\"e\",\"decision\":\"admit\",\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"usd\":\"0.0000075\","
            + "\"remaining\":{\"0\":\"0.0009325\",\"1\":2980,\"2\":\"0.0186425\"}}",
        "{\"id\":\"f\",\"error\":\"missing \\\"model\\\" (a string)\"}",
        "{\"id\":\"g\",\"error\":\"\\\"time\\\" must be an ISO-8601 instant such as 2026-05-04T10:15:00Z, was \\\"yesterday\\\"\"}",
        "{\"id\":\"h\",\"error\":\"a USD budget applies, but the price table has no price for model 'no-such-model'; "
            + "add it with PriceTable.overriddenBy(...)\"}");
    assertThat(r.err()).contains("kiai budget simulate: 8 lines, 5 ok, 3 errors");
  }

  @Test
  void readsYamlLimitsAndRejectsBadLimitFilesAsUsageErrors(@TempDir Path dir) throws IOException {
    Path yaml = dir.resolve("limits.yaml");
    Files.writeString(yaml, "limits:\n  - {match: {user: \"*\"}, window: day, tokens: 100}\n");
    CliRun ok = CliRun.run("{\"id\":1,\"user\":\"u\",\"model\":\"x-local\",\"input_tokens\":60,\"max_tokens\":50,"
        + "\"output_tokens\":10}\n", "budget", "simulate", "--limits", yaml.toString());
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.outLines()).containsExactly(
        "{\"id\":1,\"decision\":\"reject\",\"model\":\"x-local\",\"max_tokens\":50,\"usd\":\"0\",\"remaining\":{\"0\":100}}");

    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"limits\":[{\"window\":\"day\",\"usd\":\"-5\"}]}");
    CliRun malformed = CliRun.run("", "budget", "simulate", "--limits", bad.toString());
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err()).contains("limits[0]: usd must be > 0, was -5");

    CliRun missing = CliRun.run("", "budget", "simulate", "--limits", dir.resolve("nope.json").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("limits file not found");

    CliRun noLimits = CliRun.run("", "budget", "simulate");
    assertThat(noLimits.exitCode()).isEqualTo(2);
    assertThat(noLimits.err()).contains("Missing required option: '--limits=<limits>'");

    CliRun noSub = CliRun.run("", "budget");
    assertThat(noSub.exitCode()).isEqualTo(2);
    assertThat(noSub.err()).contains("a sub-command is required: simulate");
  }
}
