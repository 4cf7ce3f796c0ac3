package dev.kiai.gpu;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalEngineTest {
  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},"
      + "\"required\":[\"ok\"]}";
  private static final String ANSWER = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"{\\\"ok\\\":true}\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":5,\"total_tokens\":16}}";

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
  void vllmHealthIsReadyOn200AndDownOn503() {
    try (LocalEngine vllm = LocalEngine.vllm(url())) {
      server.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
      assertThat(vllm.health()).isEqualTo(new EngineHealth(EngineHealth.State.READY, 200, "ok"));

      server.stubFor(get("/health").willReturn(aResponse().withStatus(503)));
      assertThat(vllm.health()).isEqualTo(new EngineHealth(EngineHealth.State.DOWN, 503, "HTTP 503"));
    }
  }

  @Test
  void llamaCppAnswers503WhileLoading() {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(503).withHeader("Content-Type",
        "application/json").withBody("{\"error\":{\"code\":503,\"message\":\"Loading model\","
            + "\"type\":\"unavailable_error\"}}")));
    try (LocalEngine llama = LocalEngine.llamaCpp(url())) {
      assertThat(llama.health().state()).isEqualTo(EngineHealth.State.LOADING);
      assertThat(llama.health().httpStatus()).isEqualTo(503);
    }
  }

  @Test
  void unreachableEngineIsDownNotAnException() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (LocalEngine dead = LocalEngine.builder(EngineKind.VLLM, "http://127.0.0.1:" + port)
        .probeTimeout(Duration.ofMillis(300)).build()) {
      EngineHealth h = dead.health();
      assertThat(h.state()).isEqualTo(EngineHealth.State.DOWN);
      assertThat(h.httpStatus()).isZero();
      assertThatThrownBy(dead::models).isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
        assertThat(e.provider()).isEqualTo("vllm");
        assertThat(e.errorType()).contains("engine_unreachable");
      });
    }
  }

  @Test
  void modelsIncludeVllmLoraAdapters() {
    server.stubFor(get("/v1/models").willReturn(okJson(Fixtures.text("vllm-models.json"))));
    try (LocalEngine vllm = LocalEngine.vllm(url())) {
      assertThat(vllm.models()).containsExactly("meta-llama/Llama-3.1-8B-Instruct", "sql-lora");
    }
  }

  @Test
  void tokenizeUsesEachEnginesRequestShape() {
    server.stubFor(post("/tokenize").withRequestBody(equalToJson(
            "{\"model\":\"m\",\"prompt\":\"hello world\",\"add_special_tokens\":false}"))
        .willReturn(okJson("{\"count\":2,\"max_model_len\":8192,\"tokens\":[15339,1917]}")));
    try (LocalEngine vllm = LocalEngine.vllm(url())) {
      assertThat(vllm.countTokens("m", "hello world")).isEqualTo(OptionalInt.of(2));
    }
    server.resetAll();
    server.stubFor(post("/tokenize").withRequestBody(equalToJson("{\"content\":\"hello world\",\"add_special\":false}"))
        .willReturn(okJson("{\"tokens\":[15339,1917,0]}")));
    try (LocalEngine llama = LocalEngine.llamaCpp(url())) {
      assertThat(llama.countTokens(null, "hello world")).isEqualTo(OptionalInt.of(3));
    }
    try (LocalEngine ollama = LocalEngine.ollama(url())) {
      assertThat(ollama.countTokens("m", "hello world")).isEmpty();
    }
  }

  @Test
  void ollamaReportsLoadedModelsAndVram() {
    server.stubFor(get("/api/ps").willReturn(okJson(Fixtures.text("ollama-ps.json"))));
    try (LocalEngine ollama = LocalEngine.ollama(url())) {
      assertThat(ollama.loadedModels()).containsExactly(new LoadedModel("llama3.1:8b", 6_654_289_920L,
          6_654_289_920L));
    }
  }

  @Test
  void llamaCppGetsTheSchemaAsTopLevelJsonSchema() {
    server.stubFor(post("/v1/chat/completions").willReturn(okJson(ANSWER)));
    try (LocalEngine llama = LocalEngine.llamaCpp(url());
         OpenAiCompatibleChatModel model = llama.chatModel("m")) {
      ChatResponse r = model.chat(ChatRequest.builder().addUser("ok?")
          .responseFormat(ResponseFormat.jsonSchema("answer", SCHEMA)).build());

      assertThat(r.provider()).isEqualTo("llama.cpp");
      assertThat(r.text()).isEqualTo("{\"ok\":true}");
    }
    server.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions")).withRequestBody(equalToJson(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"ok?\"}],\"json_schema\":" + SCHEMA + "}")));
  }

  @Test
  void vllmGetsResponseFormatAndLoraAdapterAsModel() {
    server.stubFor(post("/v1/chat/completions").willReturn(okJson(ANSWER)));
    try (LocalEngine vllm = LocalEngine.vllm(url());
         OpenAiCompatibleChatModel model = vllm.chatModel("sql-lora")) {
      assertThat(model.chat(ChatRequest.builder().addUser("ok?").maxTokens(20)
          .responseFormat(ResponseFormat.jsonSchema("answer", SCHEMA)).build()).provider()).isEqualTo("vllm");
    }
    server.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions")).withRequestBody(equalToJson(
        "{\"model\":\"sql-lora\",\"messages\":[{\"role\":\"user\",\"content\":\"ok?\"}],\"max_tokens\":20,"
            + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\",\"schema\":"
            + SCHEMA + ",\"strict\":true}}}")));
  }
}
