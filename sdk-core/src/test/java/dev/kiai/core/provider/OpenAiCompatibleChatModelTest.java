package dev.kiai.core.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.StreamingChatModel;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.ContextLengthExceededException;
import dev.kiai.core.error.InvalidRequestException;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.error.RateLimitedException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAI Chat Completions against WireMock with the API's documented payloads. */
class OpenAiCompatibleChatModelTest extends ChatModelConformanceTest {
  private static final String PATH = "/v1/chat/completions";
  private static final String MODEL = "gpt-4o-mini";
  private static final String RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";
  private static final String CALL_ID = "call_DdmO9pD3xa9XTPNJ32zg2hcA";

  @Override
  protected StreamingChatModel createModel(String baseUrl, Duration readTimeout) {
    return OpenAiCompatibleChatModel.builder().baseUrl(baseUrl + "/v1").apiKey("sk-test").defaultModel(MODEL)
        .maxTokensField("max_completion_tokens").readTimeout(readTimeout).build();
  }

  @Override
  protected String chatPath() {
    return PATH;
  }

  @Override
  protected String expectedProvider() {
    return "openai";
  }

  @Override
  protected String expectedResponseModel() {
    return RESPONSE_MODEL;
  }

  @Override
  protected String expectedResponseId() {
    return "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT";
  }

  @Override
  protected String expectedToolCallId() {
    return CALL_ID;
  }

  @Override
  protected int expectedServerErrorStatus() {
    return 500;
  }

  // ------------------------------------------------------------------ payloads

  static String completion(String id, String message, String finishReason, String usage) {
    return """
        {
          "id": "%s",
          "object": "chat.completion",
          "created": 1741569952,
          "model": "gpt-4o-mini-2024-07-18",
          "choices": [
            {
              "index": 0,
              "message": %s,
              "logprobs": null,
              "finish_reason": "%s"
            }
          ],
          "usage": %s,
          "service_tier": "default",
          "system_fingerprint": "fp_06737a9306"
        }
        """.formatted(id, message, finishReason, usage);
  }

  static String usage(long prompt, long completion, long cached, long reasoning) {
    return """
        {
          "prompt_tokens": %d,
          "completion_tokens": %d,
          "total_tokens": %d,
          "prompt_tokens_details": {"cached_tokens": %d, "audio_tokens": 0},
          "completion_tokens_details": {"reasoning_tokens": %d, "audio_tokens": 0,
            "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
        }
        """.formatted(prompt, completion, prompt + completion, cached, reasoning);
  }

  static String textMessage(String content) {
    return "{\"role\": \"assistant\", \"content\": \"" + content + "\", \"refusal\": null, \"annotations\": []}";
  }

  private static final String TEXT_ANSWER = completion("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
      textMessage(ANSWER_TEXT), "stop", usage(19, 10, 0, 0));

  private static String chunk(String choices, String usage) {
    return "data: {\"id\":\"chatcmpl-AqnR7\",\"object\":\"chat.completion.chunk\",\"created\":1737056641,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_72ed7ab54c\","
        + "\"choices\":[" + choices + "],\"usage\":" + usage + "}\n\n";
  }

  private static String delta(String delta, String finishReason) {
    return "{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
        + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}";
  }

  private static String textChunk(String text) {
    return chunk(delta("{\"content\":\"" + text + "\"}", null), "null");
  }

  private static final String ROLE_CHUNK =
      chunk(delta("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null), "null");
  private static final String USAGE_CHUNK = chunk("", "{\"prompt_tokens\":19,\"completion_tokens\":10,"
      + "\"total_tokens\":29,\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
      + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
      + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}");
  private static final String DONE = "data: [DONE]\n\n";

  private static final String TOOL_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
  private static final String TOOLS_JSON = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
      + "\"description\":\"Current weather for a city\",\"parameters\":" + TOOL_SCHEMA + "}}]";

  // --------------------------------------------------------------------- stubs

  @Override
  protected void stubTextAnswer() {
    stubChat(json(200, TEXT_ANSWER));
  }

  @Override
  protected void stubToolCallAnswer() {
    stubChat(json(200, completion("chatcmpl-Bk3Tc5RQ7", """
        {
          "role": "assistant",
          "content": null,
          "tool_calls": [
            {
              "id": "call_DdmO9pD3xa9XTPNJ32zg2hcA",
              "type": "function",
              "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}
            }
          ],
          "refusal": null,
          "annotations": []
        }""", "tool_calls", usage(82, 17, 0, 0))));
  }

  @Override
  protected void stubJsonAnswer() {
    stubChat(json(200, completion("chatcmpl-Bk3Td9", textMessage(JSON_ANSWER.replace("\"", "\\\"")), "stop",
        usage(60, 12, 0, 0))));
  }

  @Override
  protected void stubStreamedText() {
    stubChat(sse(ROLE_CHUNK + textChunk("Hello") + textChunk("!") + textChunk(" How can I help you today?")
        + chunk(delta("{}", "stop"), "null") + USAGE_CHUNK + DONE));
  }

  @Override
  protected void stubStreamedToolCall() {
    stubChat(sse(
        chunk(delta("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
            + "\"id\":\"call_DdmO9pD3xa9XTPNJ32zg2hcA\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"arguments\":\"\"}}],\"refusal\":null}", null), "null")
            + chunk(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"\"}}]}", null), "null")
            + chunk(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"city\"}}]}", null), "null")
            + chunk(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\":\\\"\"}}]}", null), "null")
            + chunk(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"Paris\"}}]}", null), "null")
            + chunk(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"}\"}}]}", null), "null")
            + chunk(delta("{}", "tool_calls"), "null")
            + chunk("", "{\"prompt_tokens\":82,\"completion_tokens\":17,\"total_tokens\":99}")
            + DONE));
  }

  @Override
  protected void stubRateLimited() {
    stubChat(json(429, """
        {"error": {"message": "Rate limit reached for gpt-4o-mini in organization org-123 on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}
        """).withHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))
        .withHeader("x-ratelimit-remaining-requests", "0").withHeader("x-ratelimit-reset-requests", "20s"));
  }

  @Override
  protected void stubAuthenticationFailure() {
    stubChat(json(401, """
        {"error": {"message": "Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}
        """));
  }

  @Override
  protected void stubServerError() {
    stubChat(json(500, """
        {"error": {"message": "The server had an error while processing your request. Sorry about that!", "type": "server_error", "param": null, "code": null}}
        """));
  }

  @Override
  protected void stubContextLengthExceeded() {
    stubChat(json(400, """
        {"error": {"message": "This model's maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens. Please reduce the length of the messages.", "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}
        """));
  }

  @Override
  protected void stubMalformedBody() {
    stubChat(aResponse().withStatus(200).withHeader("Content-Type", "text/html")
        .withBody("<html><body><h1>Welcome to nginx!</h1></body></html>"));
  }

  @Override
  protected void stubTruncatedStream() {
    stubChat(sse(ROLE_CHUNK + textChunk("Hello") + textChunk("!")));
  }

  @Override
  protected void stubStreamWithInvalidJson() {
    stubChat(sse(ROLE_CHUNK + textChunk("Hello") + textChunk("!")
        + "data: {\"id\":\"chatcmpl-AqnR7\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" How\n\n" + DONE));
  }

  @Override
  protected void stubStreamError() {
    stubChat(sse(ROLE_CHUNK + textChunk("Hello") + textChunk("!")
        + "data: {\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\","
        + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"));
  }

  @Override
  protected String streamPrefixBeforeStall() {
    return ROLE_CHUNK + textChunk("Hello") + textChunk("!");
  }

  @Override
  protected void stubSlowAnswer() {
    stubChat(json(200, TEXT_ANSWER).withFixedDelay((int) SLOW_DELAY.toMillis()));
  }

  // ---------------------------------------------------------- request shapes

  @Override
  protected String expectedToolRequestJson() {
    return """
        {
          "model": "gpt-4o-mini",
          "messages": [{"role": "user", "content": "What's the weather in Paris?"}],
          "tools": %s,
          "tool_choice": "auto"
        }
        """.formatted(TOOLS_JSON);
  }

  @Override
  protected String expectedToolResultRequestJson() {
    return """
        {
          "model": "gpt-4o-mini",
          "messages": [
            {"role": "system", "content": "You are a weather assistant."},
            {"role": "user", "content": "What's the weather in Paris?"},
            {"role": "assistant", "tool_calls": [{"id": "call_DdmO9pD3xa9XTPNJ32zg2hcA", "type": "function",
              "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
            {"role": "tool", "tool_call_id": "call_DdmO9pD3xa9XTPNJ32zg2hcA", "content": "18°C and sunny"},
            {"role": "user", "content": "And tomorrow?"}
          ],
          "temperature": 0.2,
          "max_completion_tokens": 256,
          "stop": ["END"],
          "seed": 42,
          "tools": %s,
          "tool_choice": "required",
          "user": "user-42"
        }
        """.formatted(TOOLS_JSON);
  }

  @Override
  protected String expectedJsonSchemaRequestJson() {
    return """
        {
          "model": "gpt-4o-mini",
          "messages": [{"role": "user", "content": "Weather in Paris as JSON"}],
          "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "weather", "schema": %s, "strict": true}
          }
        }
        """.formatted(WEATHER_SCHEMA);
  }

  // --------------------------------------------------------- provider-specific

  @Test
  void sendsBearerKeyExtraHeadersAndQueryParameters() {
    server.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(json(200, TEXT_ANSWER)));
    try (OpenAiCompatibleChatModel m = OpenAiCompatibleChatModel.builder().baseUrl(baseUrl() + "/v1/")
        .apiKey("sk-test").defaultModel(MODEL).header("OpenAI-Organization", "org-123")
        .queryParam("trace", "on").build()) {
      m.chat(textRequest());
    }
    server.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer sk-test"))
        .withHeader("OpenAI-Organization", equalTo("org-123"))
        .withQueryParam("trace", equalTo("on"))
        .withRequestBody(equalToJson("""
            {"model": "gpt-4o-mini", "messages": [{"role": "system", "content": "You are terse."},
              {"role": "user", "content": "Hello"}]}""", false, false)));
  }

  @Test
  void azureSendsApiKeyHeaderApiVersionAndDeploymentPath() {
    String path = "/openai/deployments/my-gpt-4o-mini/chat/completions";
    server.stubFor(post(urlPathEqualTo(path)).willReturn(json(200, TEXT_ANSWER)));
    try (OpenAiCompatibleChatModel azure = OpenAiCompatibleChatModel.azure(baseUrl() + "/", "my-gpt-4o-mini",
        "2024-10-21", "azure-key")) {
      ChatResponse r = azure.chat(textRequest().toBuilder().maxTokens(100).build());

      assertThat(r.provider()).isEqualTo("azure.ai.openai");
      assertThat(azure.defaultModel()).isEqualTo("my-gpt-4o-mini");
    }
    server.verify(postRequestedFor(urlPathEqualTo(path))
        .withQueryParam("api-version", equalTo("2024-10-21"))
        .withHeader("api-key", equalTo("azure-key"))
        .withHeader("Authorization", absent())
        .withRequestBody(matchingJsonPath("$.max_completion_tokens", equalTo("100"))));
  }

  @Test
  void compatibleServerGetsNoAuthorizationAndMaxTokens() {
    server.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(json(200, TEXT_ANSWER)));
    try (OpenAiCompatibleChatModel local = OpenAiCompatibleChatModel.compatible(baseUrl() + "/v1", "qwen2.5-7b")) {
      assertThat(local.chat(textRequest().toBuilder().maxTokens(64).build()).text()).isEqualTo(ANSWER_TEXT);
      assertThat(local.provider()).isEqualTo("openai-compatible");
    }
    server.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", absent())
        .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("64")))
        .withRequestBody(matchingJsonPath("$.model", equalTo("qwen2.5-7b"))));
  }

  @Test
  void openAiConvenienceRequiresAKey() {
    assertThatThrownBy(() -> OpenAiCompatibleChatModel.openAi(" ", MODEL)).isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> OpenAiCompatibleChatModel.builder().baseUrl("not a url").build())
        .isInstanceOf(ConfigurationException.class);
    try (OpenAiCompatibleChatModel m = OpenAiCompatibleChatModel.openAi("sk-secret", MODEL)) {
      assertThat(m.baseUrl()).isEqualTo(OpenAiCompatibleChatModel.OPENAI_BASE_URL);
      assertThat(m.toString()).doesNotContain("sk-secret");
    }
  }

  @Test
  void streamingAsksForUsageUnlessTurnedOff() {
    stubStreamedText();
    RecordingStreamListener withUsage = new RecordingStreamListener();
    model().stream(textRequest(), withUsage);
    assertThat(withUsage.single().usage()).isEqualTo(Usage.of(19, 10));
    server.verify(postRequestedFor(urlPathEqualTo(PATH)).withRequestBody(equalToJson("""
        {"model": "gpt-4o-mini", "messages": [{"role": "system", "content": "You are terse."},
          {"role": "user", "content": "Hello"}], "stream": true, "stream_options": {"include_usage": true}}
        """, false, false)));

    server.resetRequests();
    try (OpenAiCompatibleChatModel m = OpenAiCompatibleChatModel.builder().baseUrl(baseUrl() + "/v1")
        .defaultModel(MODEL).streamUsage(false).build()) {
      m.stream(textRequest(), new RecordingStreamListener());
    }
    server.verify(postRequestedFor(urlPathEqualTo(PATH))
        .withRequestBody(matchingJsonPath("$.stream_options", absent())));
  }

  @Test
  void cachedAndReasoningTokensAreMapped() {
    stubChat(json(200, completion("chatcmpl-1", textMessage("ok"), "stop", usage(2006, 300, 1920, 192))));

    Usage usage = model().chat(textRequest()).usage();

    assertThat(usage).isEqualTo(new Usage(2006, 300, 1920, 0, 192));
    assertThat(usage.uncachedInputTokens()).isEqualTo(86);
  }

  @Test
  void insufficientQuotaIsNotRetryable() {
    stubChat(json(429, """
        {"error": {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}
        """));

    assertThatThrownBy(() -> model().chat(textRequest())).isInstanceOfSatisfying(RateLimitedException.class, e -> {
      assertThat(e.quotaExhausted()).isTrue();
      assertThat(e.retryable()).isFalse();
      assertThat(e.errorType()).contains("insufficient_quota");
    });
  }

  @Test
  void rateLimitWaitComesFromResetHeadersWhenRetryAfterIsMissing() {
    stubChat(json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}")
        .withHeader("x-ratelimit-remaining-requests", "0").withHeader("x-ratelimit-reset-requests", "6m0s")
        .withHeader("x-ratelimit-remaining-tokens", "1200").withHeader("x-ratelimit-reset-tokens", "20ms"));
    assertThat(retryAfterOf(model())).isEqualTo(Duration.ofMinutes(6));

    server.resetAll();
    stubChat(json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}")
        .withHeader("x-ratelimit-reset-requests", "1.5s").withHeader("x-ratelimit-reset-tokens", "20ms"));
    assertThat(retryAfterOf(model())).isEqualTo(Duration.ofMillis(1500));

    server.resetAll();
    stubChat(json(429, "{}").withHeader("retry-after-ms", "250").withHeader("Retry-After", "1"));
    assertThat(retryAfterOf(model())).isEqualTo(Duration.ofMillis(250));

    server.resetAll();
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
    stubChat(json(429, "{}").withHeader("Retry-After", date));
    assertThat(retryAfterOf(model())).isBetween(Duration.ofSeconds(115), Duration.ofSeconds(120));
  }

  private static Duration retryAfterOf(StreamingChatModel model) {
    try {
      model.chat(textRequest());
    } catch (RateLimitedException e) {
      return e.retryAfter().orElseThrow();
    }
    throw new AssertionError("expected a RateLimitedException");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // vLLM
      "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}",
      // llama.cpp server
      "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size, try increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":5000,\"n_ctx\":4096}}",
      // Ollama
      "{\"error\":{\"message\":\"input length exceeds maximum context length\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}",
      // Mistral
      "{\"object\":\"error\",\"message\":\"Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}"
  })
  void contextOverflowIsRecognisedInEachServersWords(String body) {
    stubChat(json(400, body));

    assertThatThrownBy(() -> model().chat(textRequest())).isInstanceOf(ContextLengthExceededException.class);
  }

  @Test
  void unknownModelIsAnInvalidRequest() {
    stubChat(json(404, """
        {"error": {"message": "The model `gpt-5-turbo` does not exist or you do not have access to it.", "type": "invalid_request_error", "param": null, "code": "model_not_found"}}
        """));

    assertThatThrownBy(() -> model().chat(textRequest().toBuilder().model("gpt-5-turbo").build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(404);
          assertThat(e.errorType()).contains("model_not_found");
          assertThat(e.model()).contains("gpt-5-turbo");
          assertThat(e.getMessage()).contains("does not exist");
        });
  }

  @Test
  void ollamaStyleErrorStringIsUnderstood() {
    stubChat(json(503, "{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}"));

    assertThatThrownBy(() -> model().chat(textRequest()))
        .isInstanceOfSatisfying(ProviderUnavailableException.class,
            e -> assertThat(e.getMessage()).contains("server busy"));
  }

  @Test
  void refusalIsContentFilter() {
    stubChat(json(200, completion("chatcmpl-2",
        "{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I'm sorry, I can't help with that.\"}", "stop",
        usage(20, 9, 0, 0))));

    ChatResponse r = model().chat(textRequest());

    assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(r.text()).isEqualTo("I'm sorry, I can't help with that.");
  }

  @Test
  void lengthFinishAndMissingChoicesAreMapped() {
    stubChat(json(200, completion("chatcmpl-3", textMessage("Once upon"), "length", usage(5, 2, 0, 0))));
    assertThat(model().chat(textRequest()).finishReason()).isEqualTo(FinishReason.LENGTH);

    server.resetAll();
    stubChat(json(200, "{\"id\":\"chatcmpl-4\",\"object\":\"chat.completion\",\"choices\":[]}"));
    assertThatThrownBy(() -> model().chat(textRequest()))
        .isInstanceOf(dev.kiai.core.error.MalformedResponseException.class)
        .hasMessageContaining("no choices");
  }

  @Test
  void modelOutputIsNotEchoedInExceptionMessages() {
    stubChat(json(200, "{\"choices\": [{\"message\": {\"content\": \"secret answer"));

    assertThatThrownBy(() -> model().chat(textRequest()))
        .isInstanceOf(dev.kiai.core.error.MalformedResponseException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageNotContaining("secret");
  }

  @Test
  void serverThatIgnoresStreamAnswersInOnePiece() {
    stubChat(json(200, TEXT_ANSWER));
    RecordingStreamListener listener = new RecordingStreamListener();

    model().stream(textRequest(), listener);

    assertThat(listener.texts()).containsExactly(ANSWER_TEXT);
    assertThat(listener.single().usage()).isEqualTo(Usage.of(19, 10));
  }

  @Test
  void listenerFailureStopsTheStreamAndIsReportedOnce() {
    stubStreamedText();
    RuntimeException boom = new IllegalStateException("listener failed");
    RecordingStreamListener recorder = new RecordingStreamListener();

    model().stream(textRequest(), new dev.kiai.core.StreamListener() {
      @Override
      public void onText(String delta) {
        throw boom;
      }

      @Override
      public void onComplete(ChatResponse response) {
        recorder.onComplete(response);
      }

      @Override
      public void onError(Throwable error) {
        recorder.onError(error);
      }
    });

    assertThat(recorder.singleError()).isSameAs(boom);
  }

  @Test
  void requestWithoutAnyModelIsRefusedBeforeSending() {
    try (OpenAiCompatibleChatModel m = OpenAiCompatibleChatModel.builder().baseUrl(baseUrl() + "/v1").build()) {
      assertThatThrownBy(() -> m.chat(ChatRequest.of("hi"))).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("no model");
    }
    server.verify(0, postRequestedFor(urlPathEqualTo(PATH)));
  }

  @Test
  void closeReleasesAnOwnedClientButNotASharedOne() {
    OkHttpClient shared = new OkHttpClient();
    OpenAiCompatibleChatModel sharing = OpenAiCompatibleChatModel.builder().baseUrl(baseUrl() + "/v1")
        .defaultModel(MODEL).httpClient(shared).build();
    sharing.close();
    assertThat(shared.dispatcher().executorService().isShutdown()).isFalse();
    assertThatThrownBy(() -> sharing.chat(textRequest())).isInstanceOf(IllegalStateException.class);
    shared.dispatcher().executorService().shutdown();
  }
}
