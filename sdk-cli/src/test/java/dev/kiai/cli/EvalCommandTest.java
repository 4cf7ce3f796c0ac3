package dev.kiai.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
  private static final String GOLDEN = """
      {"id":"refund","prompt":"How long do I have to return an item?","expected":"30 days","tags":["must-pass"],"assert":[{"type":"contains"}]}
      {"id":"sum","prompt":"What is 7 + 5?","expected":"12","assert":[{"type":"numeric-match"}]}
      """;
  private static final String REPLAY_OK = """
      {"id":"refund","output":"Within 30 days of delivery.","model":"gpt-4o-mini","input_tokens":20,"output_tokens":8}
      {"id":"sum","output":"7 + 5 = 12","model":"gpt-4o-mini","input_tokens":15,"output_tokens":6}
      """;

  @Test
  void runsReplayWritesJsonlAndReports(@TempDir Path dir) throws Exception {
    Path golden = Files.writeString(dir.resolve("g.jsonl"), GOLDEN);
    Path replay = Files.writeString(dir.resolve("r.jsonl"), REPLAY_OK);
    CliRun run = CliRun.run("", "eval", "run", "--golden", golden.toString(), "--model", "replay:" + replay,
        "--report-dir", dir.resolve("out").toString());
    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.outLines()).containsExactly(
        "{\"id\":\"refund\",\"pass\":true,\"status\":\"passed\",\"score\":1.0,\"assertions\":[{\"type\":\"contains\","
            + "\"pass\":true,\"reason\":\"contains \\\"30 days\\\"\"}],\"cost_usd\":\"0.0000078\"}",
        "{\"id\":\"sum\",\"pass\":true,\"status\":\"passed\",\"score\":1.0,\"assertions\":[{\"type\":\"numeric-match\","
            + "\"pass\":true,\"reason\":\"answer 12 matches 12 (tolerance 0.000001)\"}],\"cost_usd\":\"0.00000585\"}");
    assertThat(run.err()).contains("kiai eval run: g.jsonl on replay:replay: 2 cases, 2 passed, 0 failed, 0 errored, "
        + "pass rate 100.0 %, cost 0.00001365 USD, 0 cached").contains("gate passed");
    assertThat(dir.resolve("out/report.json")).exists();
    assertThat(dir.resolve("out/report.html")).exists();
    assertThat(Files.readString(dir.resolve("out/junit.xml"))).contains("tests=\"2\" failures=\"0\"");
  }

  @Test
  void failingMustPassCaseAndBaselineDropExitOne(@TempDir Path dir) throws Exception {
    Path golden = Files.writeString(dir.resolve("g.jsonl"), GOLDEN);
    Path good = Files.writeString(dir.resolve("good.jsonl"), REPLAY_OK);
    Path bad = Files.writeString(dir.resolve("bad.jsonl"), REPLAY_OK.replace("Within 30 days", "Within 14 days"));
    assertThat(CliRun.run("", "eval", "run", "--golden", golden.toString(), "--model", "replay:" + good,
        "--report-dir", dir.resolve("base").toString()).exitCode()).isEqualTo(0);
    CliRun run = CliRun.run("", "eval", "run", "--golden", golden.toString(), "--model", "replay:" + bad,
        "--baseline", dir.resolve("base/report.json").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.outLines().get(0)).startsWith("{\"id\":\"refund\",\"pass\":false,\"status\":\"failed\",\"score\":0.0");
    assertThat(run.err()).contains("kiai eval run: vs baseline -50.0 points")
        .contains("kiai eval run: gate failed: must-pass cases did not pass: refund").contains("gate FAILED");
  }

  @Test
  void usageErrorsExitTwo(@TempDir Path dir) throws Exception {
    Path golden = Files.writeString(dir.resolve("g.jsonl"), GOLDEN);
    CliRun badSpec = CliRun.run("", "eval", "run", "--golden", golden.toString(), "--model", "gpt-4o");
    assertThat(badSpec.exitCode()).isEqualTo(2);
    assertThat(badSpec.err()).contains("model must be replay:FILE, openai:MODEL, anthropic:MODEL or "
        + "openai-compatible:URL#MODEL, was 'gpt-4o'");
    CliRun noKey = CliRun.run("", Map.of(), "eval", "run", "--golden", golden.toString(), "--model", "openai:gpt-4o-mini");
    assertThat(noKey.exitCode()).isEqualTo(2);
    assertThat(noKey.err()).contains("openai:gpt-4o-mini needs the environment variable OPENAI_API_KEY");
    CliRun missing = CliRun.run("", "eval", "run", "--golden", dir.resolve("nope.jsonl").toString(), "--model",
        "replay:x");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("golden set not found: ");
    Path broken = Files.writeString(dir.resolve("b.jsonl"), "{\"id\":\"a\",\"prompt\":\"x\",\"assert\":[{\"type\":\"nope\"}]}\n");
    CliRun malformed = CliRun.run("", "eval", "run", "--golden", broken.toString(), "--model", "replay:x");
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err()).contains(broken + ":1: assert[0].type 'nope' is unknown");
  }

  @Test
  void openAiCompatibleModelAndJudgeOverLoopback(@TempDir Path dir) throws Exception {
    WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
    server.start();
    try {
      server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse()
          .withHeader("Content-Type", "application/json").withBody("""
              {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"llama3.1",
               "choices":[{"index":0,"message":{"role":"assistant","content":"{\\"reason\\":\\"ok\\",\\"score\\":0.9}"},
                           "finish_reason":"stop"}],
               "usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21}}""")));
      Path golden = Files.writeString(dir.resolve("g.jsonl"),
          "{\"id\":\"a\",\"prompt\":\"Rate me\",\"assert\":[{\"type\":\"is-json\"},{\"type\":\"llm-rubric\",\"value\":\"ok\"}]}\n");
      String spec = "openai-compatible:" + server.baseUrl() + "/v1#llama3.1";
      CliRun run = CliRun.run("", "eval", "run", "--golden", golden.toString(), "--model", spec, "--judge", spec);
      assertThat(run.exitCode()).isEqualTo(0);
      JsonNode line = Jsonl.MAPPER.readTree(run.outLines().get(0));
      assertThat(line.get("pass").asBoolean()).isTrue();
      assertThat(line.get("assertions").get(1).get("score").asDouble()).isEqualTo(0.9);
      assertThat(line.has("cost_usd")).isFalse();
    } finally {
      server.stop();
    }
  }
}
