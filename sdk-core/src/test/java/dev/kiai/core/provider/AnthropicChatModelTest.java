package dev.kiai.core.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.StreamingChatModel;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.chat.ToolDefinition;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.InvalidRequestException;
import dev.kiai.core.error.RateLimitedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Anthropic Messages API against WireMock with the API's documented payloads and event sequences. */
class AnthropicChatModelTest extends ChatModelConformanceTest {
  private static final String PATH = "/v1/messages";
  private static final String MODEL = "claude-sonnet-4-5";
  private static final String TOOL_USE_ID = "toolu_01A09q90qw90lq917835lq9";

  @Override
  protected StreamingChatModel createModel(String baseUrl, Duration readTimeout) {
    return AnthropicChatModel.builder().baseUrl(baseUrl).apiKey("sk-ant-test").defaultModel(MODEL)
        .readTimeout(readTimeout).build();
  }

  @Override
  protected String chatPath() {
    return PATH;
  }

  @Override
  protected String expectedProvider() {
    return "anthropic";
  }

  @Override
  protected String expectedResponseModel() {
    return "claude-sonnet-4-5-20250929";
  }

  @Override
  protected String expectedResponseId() {
    return "msg_01XFDUDYJgAACzvnptvVoYEL";
  }

  @Override
  protected String expectedToolCallId() {
    return TOOL_USE_ID;
  }

  @Override
  protected int expectedServerErrorStatus() {
    return 529;
  }

  // ------------------------------------------------------------------ payloads

  static String message(String id, String content, String stopReason, String usage) {
    return """
        {
          "id": "%s",
          "type": "message",
          "role": "assistant",
          "model": "claude-sonnet-4-5-20250929",
          "content": %s,
          "stop_reason": "%s",
          "stop_sequence": null,
          "usage": %s
        }
        """.formatted(id, content, stopReason, usage);
  }

  static String usage(long input, long cacheWrite, long cacheRead, long output) {
    return """
        {
          "input_tokens": %d,
          "cache_creation_input_tokens": %d,
          "cache_read_input_tokens": %d,
          "cache_creation": {"ephemeral_5m_input_tokens": %d, "ephemeral_1h_input_tokens": 0},
          "output_tokens": %d,
          "service_tier": "standard"
        }
        """.formatted(input, cacheWrite, cacheRead, cacheWrite, output);
  }

  private static final String TEXT_ANSWER = message("msg_01XFDUDYJgAACzvnptvVoYEL",
      "[{\"type\": \"text\", \"text\": \"" + ANSWER_TEXT + "\"}]", "end_turn", usage(19, 0, 0, 10));

  private static String event(String type, String data) {
    return "event: " + type + "\ndata: " + data + "\n\n";
  }

  private static String messageStart(String usage) {
    return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_014p7gG3wDgGV9EUtLvnow3U\","
        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":" + usage + "}}");
  }

  private static final String MESSAGE_START = messageStart("{\"input_tokens\":19,\"cache_creation_input_tokens\":0,"
      + "\"cache_read_input_tokens\":0,\"output_tokens\":1,\"service_tier\":\"standard\"}");
  private static final String TEXT_BLOCK_START =
      event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
  private static final String PING = event("ping", "{\"type\": \"ping\"}");

  private static String textDelta(String text) {
    return event("content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}");
  }

  private static String blockStop(int index) {
    return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
  }

  private static String messageDelta(String stopReason, long outputTokens) {
    return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
        + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}");
  }

  private static final String MESSAGE_STOP = event("message_stop", "{\"type\":\"message_stop\"}");

  private static String jsonDelta(int index, String partialJson) {
    return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
        + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + partialJson + "\"}}");
  }

  private static String toolBlockStart(int index, String id, String name) {
    return event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index
        + ",\"content_block\":{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"input\":{}}}");
  }

  private static final String TOOL_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
  private static final String TOOLS_JSON = "[{\"name\":\"get_weather\",\"description\":\"Current weather for a city\","
      + "\"input_schema\":" + TOOL_SCHEMA + "}]";

  // --------------------------------------------------------------------- stubs

  @Override
  protected void stubTextAnswer() {
    stubChat(json(200, TEXT_ANSWER));
  }

  @Override
  protected void stubToolCallAnswer() {
    stubChat(json(200, message("msg_01Aq9w938a90dw8q", """
        [
          {"type": "text", "text": "I'll check the current weather in Paris for you."},
          {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather", "input": {"city": "Paris"}}
        ]""", "tool_use", usage(384, 0, 0, 57))));
  }

  @Override
  protected void stubJsonAnswer() {
    stubChat(json(200, message("msg_01JsonAnswer", """
        [{"type": "tool_use", "id": "toolu_01JsonTool", "name": "weather", "input": {"city": "Paris", "temperature_c": 18}}]
        """, "tool_use", usage(420, 0, 0, 40))));
  }

  @Override
  protected void stubStreamedText() {
    stubChat(sse(MESSAGE_START + TEXT_BLOCK_START + PING + textDelta("Hello") + textDelta("!")
        + textDelta(" How can I help you today?") + blockStop(0) + messageDelta("end_turn", 10) + MESSAGE_STOP));
  }

  @Override
  protected void stubStreamedToolCall() {
    stubChat(sse(messageStart("{\"input_tokens\":384,\"output_tokens\":1}") + TEXT_BLOCK_START
        + textDelta("Let me check.") + blockStop(0)
        + toolBlockStart(1, TOOL_USE_ID, "get_weather") + jsonDelta(1, "") + jsonDelta(1, "{\\\"city\\\": ")
        + jsonDelta(1, "\\\"Paris\\\"}") + blockStop(1) + messageDelta("tool_use", 57) + MESSAGE_STOP));
  }

  @Override
  protected void stubRateLimited() {
    stubChat(json(429, """
        {"type": "error", "error": {"type": "rate_limit_error", "message": "This request would exceed the rate limit for your organization of 50,000 input tokens per minute."}}
        """).withHeader("retry-after", String.valueOf(RETRY_AFTER_SECONDS))
        .withHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy"));
  }

  @Override
  protected void stubAuthenticationFailure() {
    stubChat(json(401, """
        {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}
        """));
  }

  @Override
  protected void stubServerError() {
    stubChat(json(529, """
        {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
        """));
  }

  @Override
  protected void stubContextLengthExceeded() {
    stubChat(json(400, """
        {"type": "error", "error": {"type": "invalid_request_error", "message": "prompt is too long: 208310 tokens > 200000 maximum"}}
        """));
  }

  @Override
  protected void stubMalformedBody() {
    stubChat(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
        .withHeader("Content-Type", "text/plain").withBody("upstream connect error or disconnect/reset before headers"));
  }

  @Override
  protected void stubTruncatedStream() {
    stubChat(sse(MESSAGE_START + TEXT_BLOCK_START + textDelta("Hello") + textDelta("!")));
  }

  @Override
  protected void stubStreamWithInvalidJson() {
    stubChat(sse(MESSAGE_START + TEXT_BLOCK_START + textDelta("Hello") + textDelta("!")
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\n\n"
        + MESSAGE_STOP));
  }

  @Override
  protected void stubStreamError() {
    stubChat(sse(MESSAGE_START + TEXT_BLOCK_START + textDelta("Hello") + textDelta("!")
        + event("error", "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}")));
  }

  @Override
  protected String streamPrefixBeforeStall() {
    return MESSAGE_START + TEXT_BLOCK_START + textDelta("Hello") + textDelta("!");
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
          "model": "claude-sonnet-4-5",
          "max_tokens": 4096,
          "messages": [{"role": "user", "content": "What's the weather in Paris?"}],
          "tools": %s,
          "tool_choice": {"type": "auto"}
        }
        """.formatted(TOOLS_JSON);
  }

  @Override
  protected String expectedToolResultRequestJson() {
    return """
        {
          "model": "claude-sonnet-4-5",
          "max_tokens": 256,
          "system": "You are a weather assistant.",
          "messages": [
            {"role": "user", "content": "What's the weather in Paris?"},
            {"role": "assistant", "content": [
              {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather", "input": {"city": "Paris"}}
            ]},
            {"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "toolu_01A09q90qw90lq917835lq9", "content": "18°C and sunny"},
              {"type": "text", "text": "And tomorrow?"}
            ]}
          ],
          "temperature": 0.2,
          "stop_sequences": ["END"],
          "tools": %s,
          "tool_choice": {"type": "any"},
          "metadata": {"user_id": "user-42"}
        }
        """.formatted(TOOLS_JSON);
  }

  @Override
  protected String expectedJsonSchemaRequestJson() {
    return """
        {
          "model": "claude-sonnet-4-5",
          "max_tokens": 4096,
          "messages": [{"role": "user", "content": "Weather in Paris as JSON"}],
          "tools": [{"name": "weather", "description": "Give the answer as JSON that matches the input schema.",
            "input_schema": %s}],
          "tool_choice": {"type": "tool", "name": "weather"}
        }
        """.formatted(WEATHER_SCHEMA);
  }

  // --------------------------------------------------------- provider-specific

  @Test
  void sendsApiKeyVersionAndExtraHeaders() {
    stubTextAnswer();
    try (AnthropicChatModel m = AnthropicChatModel.builder().baseUrl(baseUrl() + "/v1/").apiKey("sk-ant-test")
        .defaultModel(MODEL).header("anthropic-beta", "prompt-caching-2024-07-31").defaultMaxTokens(1024).build()) {
      m.chat(textRequest());
    }
    server.verify(postRequestedFor(urlPathEqualTo(PATH))
        .withHeader("x-api-key", equalTo("sk-ant-test"))
        .withHeader("anthropic-version", equalTo("2023-06-01"))
        .withHeader("anthropic-beta", equalTo("prompt-caching-2024-07-31"))
        .withRequestBody(equalToJson("""
            {"model": "claude-sonnet-4-5", "max_tokens": 1024, "system": "You are terse.",
             "messages": [{"role": "user", "content": "Hello"}]}""", false, false)));
  }

  @Test
  void convenienceRequiresAKey() {
    assertThatThrownBy(() -> AnthropicChatModel.of(null, MODEL)).isInstanceOf(ConfigurationException.class);
    try (AnthropicChatModel m = AnthropicChatModel.of("sk-ant-secret", MODEL)) {
      assertThat(m.baseUrl()).isEqualTo(AnthropicChatModel.ANTHROPIC_BASE_URL);
      assertThat(m.toString()).doesNotContain("sk-ant-secret");
    }
  }

  @Test
  void cacheReadsAndWritesArePartOfTheInput() {
    stubChat(json(200, message("msg_cache", "[{\"type\": \"text\", \"text\": \"ok\"}]", "end_turn",
        usage(21, 188, 2050, 5))));

    Usage usage = model().chat(textRequest()).usage();

    assertThat(usage).isEqualTo(new Usage(21 + 188 + 2050, 5, 2050, 188, 0));
    assertThat(usage.uncachedInputTokens()).isEqualTo(21);
  }

  @Test
  void streamedUsageTakesCacheCountsFromStartAndFinalOutputFromDelta() {
    stubChat(sse(messageStart("{\"input_tokens\":21,\"cache_creation_input_tokens\":188,"
        + "\"cache_read_input_tokens\":2050,\"output_tokens\":1}") + TEXT_BLOCK_START + textDelta("ok") + blockStop(0)
        + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\","
            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}")
        + MESSAGE_STOP));
    RecordingStreamListener listener = new RecordingStreamListener();

    model().stream(textRequest(), listener);

    ChatResponse r = listener.single();
    assertThat(r.usage()).isEqualTo(new Usage(2259, 5, 2050, 188, 0));
    assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.id()).isEqualTo("msg_014p7gG3wDgGV9EUtLvnow3U");
  }

  @Test
  void jsonObjectIsForcedThroughTheJsonOutputTool() {
    stubChat(json(200, message("msg_json", """
        [{"type": "tool_use", "id": "toolu_01", "name": "json_output", "input": {"answer": 42}}]
        """, "tool_use", usage(30, 0, 0, 12))));

    ChatResponse r = model().chat(ChatRequest.builder().addUser("Answer as JSON")
        .responseFormat(ResponseFormat.jsonObject()).addTool(WEATHER_TOOL).build());

    assertThat(r.text()).isEqualTo("{\"answer\":42}");
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.toolCalls()).isEmpty();
    server.verify(postRequestedFor(urlPathEqualTo(PATH)).withRequestBody(equalToJson("""
        {"model": "claude-sonnet-4-5", "max_tokens": 4096,
         "messages": [{"role": "user", "content": "Answer as JSON"}],
         "tools": [%s, {"name": "json_output", "description": "Give the answer as JSON that matches the input schema.",
                        "input_schema": {"type": "object"}}],
         "tool_choice": {"type": "tool", "name": "json_output"}}
        """.formatted(TOOLS_JSON.substring(1, TOOLS_JSON.length() - 1)), false, false)));
  }

  @Test
  void streamedJsonAnswerArrivesAsText() {
    stubChat(sse(MESSAGE_START + toolBlockStart(0, "toolu_01JsonTool", "weather") + jsonDelta(0, "")
        + jsonDelta(0, "{\\\"city\\\": \\\"Paris\\\",") + jsonDelta(0, " \\\"temperature_c\\\": 18}") + blockStop(0)
        + messageDelta("tool_use", 40) + MESSAGE_STOP));
    RecordingStreamListener listener = new RecordingStreamListener();

    model().stream(jsonSchemaRequest(), listener);

    assertThat(listener.toolCalls()).isEmpty();
    assertThat(listener.text()).isEqualTo("{\"city\": \"Paris\", \"temperature_c\": 18}");
    ChatResponse r = listener.single();
    assertThat(r.text()).isEqualTo(listener.text());
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.toolCalls()).isEmpty();
  }

  @Test
  void toolNamedLikeTheJsonToolIsRefused() {
    ChatRequest clash = ChatRequest.builder().addUser("x").addTool(new ToolDefinition("json_output", "", null))
        .responseFormat(ResponseFormat.jsonObject()).build();

    assertThatThrownBy(() -> model().chat(clash)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("json_output");
    server.verify(0, postRequestedFor(urlPathEqualTo(PATH)));
  }

  @Test
  void billingErrorIsAnExhaustedQuota() {
    stubChat(json(402, """
        {"type": "error", "error": {"type": "billing_error", "message": "Your credit balance is too low to access the Anthropic API."}}
        """));

    assertThatThrownBy(() -> model().chat(textRequest())).isInstanceOfSatisfying(RateLimitedException.class, e -> {
      assertThat(e.quotaExhausted()).isTrue();
      assertThat(e.retryable()).isFalse();
      assertThat(e.errorType()).contains("billing_error");
    });
  }

  @Test
  void requestTooLargeAndNotFoundAreInvalidRequests() {
    stubChat(json(413, """
        {"type": "error", "error": {"type": "request_too_large", "message": "Request exceeds the maximum allowed number of bytes."}}
        """));
    assertThatThrownBy(() -> model().chat(textRequest())).isInstanceOfSatisfying(InvalidRequestException.class,
        e -> assertThat(e.httpStatus()).isEqualTo(413));

    server.resetAll();
    stubChat(json(404, """
        {"type": "error", "error": {"type": "not_found_error", "message": "model: claude-9"}}
        """));
    assertThatThrownBy(() -> model().chat(textRequest())).isInstanceOfSatisfying(InvalidRequestException.class,
        e -> assertThat(e.errorType()).contains("not_found_error"));
  }

  @Test
  void stopReasonsAreMapped() {
    assertThat(AnthropicChatModel.stopReason("end_turn", false)).isEqualTo(FinishReason.STOP);
    assertThat(AnthropicChatModel.stopReason("stop_sequence", false)).isEqualTo(FinishReason.STOP);
    assertThat(AnthropicChatModel.stopReason("max_tokens", false)).isEqualTo(FinishReason.LENGTH);
    assertThat(AnthropicChatModel.stopReason("tool_use", false)).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(AnthropicChatModel.stopReason("tool_use", true)).isEqualTo(FinishReason.STOP);
    assertThat(AnthropicChatModel.stopReason("refusal", false)).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(AnthropicChatModel.stopReason("pause_turn", false)).isEqualTo(FinishReason.OTHER);
  }

  @Test
  void consecutiveMessagesOfOneRoleAreMerged() {
    stubTextAnswer();

    model().chat(ChatRequest.builder().addSystem("First rule.").addUser("One").addUser("Two")
        .addMessage(dev.kiai.core.chat.ChatMessage.assistant("Sure.")).addSystem("Second rule.").addUser("Three")
        .build());

    server.verify(postRequestedFor(urlPathEqualTo(PATH)).withRequestBody(equalToJson("""
        {"model": "claude-sonnet-4-5", "max_tokens": 4096, "system": "First rule.\\n\\nSecond rule.",
         "messages": [
           {"role": "user", "content": [{"type": "text", "text": "One"}, {"type": "text", "text": "Two"}]},
           {"role": "assistant", "content": "Sure."},
           {"role": "user", "content": "Three"}]}
        """, false, false)));
  }

  @Test
  void toolCallWithArgumentsThatAreNotAnObjectIsRefused() {
    ChatRequest bad = ChatRequest.builder().addUser("x")
        .addMessage(dev.kiai.core.chat.ChatMessage.assistant("", java.util.List.of(
            new dev.kiai.core.chat.ToolCall("toolu_1", "get_weather", "{\"city\":"))))
        .addMessage(dev.kiai.core.chat.ChatMessage.toolResult("toolu_1", "?")).build();

    assertThatThrownBy(() -> model().chat(bad)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("toolu_1");
  }

  @Test
  void baseUrlWithVersionIsNotDoubled() {
    server.stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, TEXT_ANSWER)));
    try (AnthropicChatModel m = AnthropicChatModel.builder().baseUrl(baseUrl() + "/v1").defaultModel(MODEL).build()) {
      assertThat(m.chat(textRequest()).text()).isEqualTo(ANSWER_TEXT);
    }
  }
}
