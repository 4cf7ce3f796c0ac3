package dev.kiai.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  private static WireMockServer server;

  @BeforeAll
  static void start() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  private String url() {
    return "http://127.0.0.1:" + server.port();
  }

  @Test
  void planPrintsHandCheckedLlama8bFigures() throws Exception {
    CliRun r = CliRun.run("", "gpu", "plan", "--model", "llama-3.1-8b", "--quant", "bf16", "--ctx", "8192",
        "--concurrency", "16", "--gpu", "h100-80gb");

    assertThat(r.exitCode()).isZero();
    JsonNode n = JSON.readTree(r.out());
    assertThat(n.path("weights_bytes").asLong()).isEqualTo(16_060_522_496L);
    assertThat(n.path("kv_bytes_per_token").asLong()).isEqualTo(131_072L);
    assertThat(n.path("total_bytes").asLong()).isEqualTo(35_387_875_328L);
    assertThat(n.path("fits").asBoolean()).isTrue();
    assertThat(n.path("max_sequences").asLong()).isEqualTo(50);
    assertThat(n.path("bandwidth_bound_tokens_per_second").asDouble()).isEqualTo(195.51);
  }

  @Test
  void planUsageErrorsExitWith2() {
    CliRun unknown = CliRun.run("", "gpu", "plan", "--model", "gpt-9", "--quant", "bf16", "--ctx", "1024");
    CliRun badQuant = CliRun.run("", "gpu", "plan", "--model", "llama-3.1-8b", "--quant", "q3", "--ctx", "1024");

    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("model must be one of [");
    assertThat(badQuant.exitCode()).isEqualTo(2);
    assertThat(badQuant.err()).contains("quantization must be one of");
  }

  @Test
  void smokeModelWritesAGguf(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("smoke.gguf");
    CliRun r = CliRun.run("", "gpu", "smoke-model", "--out", out.toString(), "--quant", "q4_0");

    assertThat(r.exitCode()).isZero();
    JsonNode n = JSON.readTree(r.out());
    assertThat(n.path("quant").asText()).isEqualTo("q4_0");
    assertThat(n.path("bytes").asLong()).isEqualTo(Files.size(out));
    assertThat(new String(Files.readAllBytes(out), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("GGUF");
    assertThat(CliRun.run("", "gpu", "smoke-model", "--out", out.toString(), "--quant", "q2").exitCode()).isEqualTo(2);
  }

  @Test
  void probeReportsHealthModelsAndLoad() throws Exception {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
    server.stubFor(get("/v1/models").willReturn(okJson("{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL
        + "\",\"object\":\"model\"}]}")));
    server.stubFor(get("/metrics").willReturn(aResponse().withStatus(200).withBody(
        "# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{engine=\"0\",model_name=\"" + MODEL
            + "\"} 7.0\nvllm:num_requests_waiting{engine=\"0\",model_name=\"" + MODEL + "\"} 0.0\n"
            + "vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"" + MODEL + "\"} 0.3\n")));

    CliRun r = CliRun.run("", "gpu", "probe", "--url", url());

    assertThat(r.exitCode()).isZero();
    JsonNode n = JSON.readTree(r.out());
    assertThat(n.path("health").path("state").asText()).isEqualTo("ready");
    assertThat(n.path("models").get(0).asText()).isEqualTo(MODEL);
    assertThat(n.path("load").path("running").asInt()).isEqualTo(7);
    assertThat(n.path("load").path("saturation").asDouble()).isEqualTo(0.3);
  }

  @Test
  void probeOfADownEngineExitsWith1() throws Exception {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(503)));
    CliRun r = CliRun.run("", "gpu", "probe", "--url", url(), "--engine", "vllm");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(JSON.readTree(r.out()).path("health").path("state").asText()).isEqualTo("down");
    assertThat(CliRun.run("", "gpu", "probe", "--url", url(), "--engine", "tgx").exitCode()).isEqualTo(2);
  }

  @Test
  void benchSendsBoundedStreamedTrafficToTheUrlOnly() throws Exception {
    String sse = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"role\":\"assistant\",\"content\":\"Once\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\" upon\"},\"finish_reason\":\"length\"}]}\n\n"
        + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,\"total_tokens\":20}}\n\n"
        + "data: [DONE]\n\n";
    server.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/event-stream").withBody(sse).withFixedDelay(20)));

    CliRun r = CliRun.run("", "gpu", "bench", "--url", url(), "--model", "m", "--concurrency", "1,4",
        "--requests", "8", "--max-tokens", "8", "--timeout", "30");

    assertThat(r.exitCode()).isZero();
    List<String> lines = r.outLines();
    assertThat(lines).hasSize(2);
    JsonNode c1 = JSON.readTree(lines.get(0));
    JsonNode c4 = JSON.readTree(lines.get(1));
    assertThat(c1.path("concurrency").asInt()).isEqualTo(1);
    assertThat(c4.path("concurrency").asInt()).isEqualTo(4);
    for (JsonNode n : List.of(c1, c4)) {
      assertThat(n.path("requests").asInt()).isEqualTo(8);
      assertThat(n.path("errors").asInt()).isZero();
      assertThat(n.path("output_tokens").asLong()).isEqualTo(64);
      assertThat(n.path("ttft_p50_ms").asDouble()).isGreaterThanOrEqualTo(20.0);
      assertThat(n.path("ttft_p95_ms").asDouble()).isGreaterThanOrEqualTo(n.path("ttft_p50_ms").asDouble());
      assertThat(n.path("output_tokens_per_second").asDouble()).isPositive();
    }
    server.verify(16, postRequestedFor(urlPathEqualTo("/v1/chat/completions")));
    assertThat(CliRun.run("", "gpu", "bench", "--url", url(), "--model", "m", "--requests", "0").exitCode())
        .isEqualTo(2);
  }
}
