package dev.kiai.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatCommandTest {
  private static final String COMPLETION = """
      {"id":"chatcmpl-1","object":"chat.completion","created":1730000000,"model":"gpt-4o-mini-2024-07-18",
       "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the mock.","refusal":null},
       "logprobs":null,"finish_reason":"stop"}],
       "usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500,
       "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},
       "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,
       "rejected_prediction_tokens":0}},"system_fingerprint":"fp_1"}""";

  private static final String STREAM = ""
      + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
      + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n"
      + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n"
      + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
      + "\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}\n\n"
      + "data: [DONE]\n\n";

  private WireMockServer server;

  @BeforeEach
  void start() {
    server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + server.port() + "/v1";
  }

  @Test
  void sendsOneMessageAndReportsTokensAndCost() {
    server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody(COMPLETION)));
    CliRun r = CliRun.run("", Map.of("OPENAI_API_KEY", "sk-test"), "chat", "--base-url", baseUrl(), "--model",
        "gpt-4o-mini", "--system", "Be brief.", "--max-tokens", "50", "Say hello");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("Hello from the mock.\n");
    assertThat(r.err()).contains("openai/gpt-4o-mini-2024-07-18, 1000 input + 500 output tokens, 0.00045 USD");
    server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer sk-test"))
        .withRequestBody(matchingJsonPath("$.messages[0].content", equalTo("Be brief.")))
        .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Say hello")))
        .withRequestBody(matchingJsonPath("$.max_completion_tokens", equalTo("50"))));
  }

  @Test
  void streamsTheAnswerFromAnOpenAiCompatibleServer() {
    server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/event-stream").withBody(STREAM)));
    CliRun r = CliRun.run("", Map.of(), "chat", "--provider", "openai-compatible", "--base-url", baseUrl(),
        "--model", "llama3.1", "--stream", "hi");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("Hello\n");
    assertThat(r.err()).contains("openai-compatible/gpt-4o-mini, 10 input + 2 output tokens");
  }

  @Test
  void providerErrorsExitWithOneAndNameTheErrorType() {
    server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
            + "\"param\":null,\"code\":\"invalid_api_key\"}}")));
    CliRun r = CliRun.run("", Map.of("OPENAI_API_KEY", "sk-bad"), "chat", "--base-url", baseUrl(), "--model",
        "gpt-4o-mini", "hi");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("AuthenticationException").contains("HTTP 401");
  }

  @Test
  void usageErrorsExitWithTwo() {
    CliRun noKey = CliRun.run("", Map.of(), "chat", "--model", "gpt-4o-mini", "hi");
    assertThat(noKey.exitCode()).isEqualTo(2);
    assertThat(noKey.err()).contains("no API key: set OPENAI_API_KEY");

    CliRun noUrl = CliRun.run("", Map.of(), "chat", "--provider", "openai-compatible", "--model", "m", "hi");
    assertThat(noUrl.exitCode()).isEqualTo(2);
    assertThat(noUrl.err()).contains("--base-url is required");

    CliRun badProvider = CliRun.run("", Map.of(), "chat", "--provider", "gemini", "--model", "m", "hi");
    assertThat(badProvider.exitCode()).isEqualTo(2);
    assertThat(badProvider.err()).contains("expected openai, anthropic or openai-compatible, was 'gemini'");

    CliRun badTemperature = CliRun.run("", Map.of("OPENAI_API_KEY", "k"), "chat", "--model", "m",
        "--temperature", "3", "hi");
    assertThat(badTemperature.exitCode()).isEqualTo(2);
    assertThat(badTemperature.err()).contains("temperature must be within 0..2, was 3.0");

    CliRun missingEnv = CliRun.run("", Map.of(), "chat", "--provider", "anthropic", "--api-key-env", "MY_KEY",
        "--model", "claude-haiku-4-5", "hi");
    assertThat(missingEnv.exitCode()).isEqualTo(2);
    assertThat(missingEnv.err()).contains("environment variable MY_KEY (--api-key-env) is not set");
  }
}
