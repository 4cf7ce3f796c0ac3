package dev.kiai.gpu;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import dev.kiai.core.StreamingChatModel;
import dev.kiai.core.provider.ChatModelConformanceTest;
import java.time.Duration;

/**
 * The chat model {@link LocalEngine#chatModel} builds for llama.cpp's {@code llama-server}, held to the
 * provider conformance suite with llama-server's own payload shapes (its {@code timings} block, random
 * tool-call ids, {@code exceed_context_size_error}) and its request differences: {@code max_tokens} and a
 * top-level {@code json_schema}.
 */
class LlamaCppServerConformanceTest extends ChatModelConformanceTest {
  private static final String MODEL = "qwen2.5-7b-instruct-q4_k_m";
  private static final String ID = "chatcmpl-7tZ0mQ9bKcP4sLfWz2HvXy1Ra6Nd3Ek";
  private static final String CALL_ID = "Xw3kP9qLm2NvB8sTfR4yZa1cD6eH0jQu";
  private static final String TIMINGS = "\"timings\":{\"prompt_n\":19,\"prompt_ms\":31.2,\"prompt_per_token_ms\":1.64,"
      + "\"prompt_per_second\":608.9,\"predicted_n\":10,\"predicted_ms\":120.5,\"predicted_per_token_ms\":12.05,"
      + "\"predicted_per_second\":82.9}";
  private static final String TOOLS_JSON = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
      + "\"description\":\"Current weather for a city\",\"parameters\":{\"type\":\"object\",\"properties\":"
      + "{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]";

  @Override
  protected StreamingChatModel createModel(String baseUrl, Duration readTimeout) {
    try (LocalEngine engine = LocalEngine.llamaCpp(baseUrl)) {
      return engine.chatModelBuilder(MODEL).readTimeout(readTimeout).build();
    }
  }

  @Override
  protected String chatPath() {
    return "/v1/chat/completions";
  }

  @Override
  protected String expectedProvider() {
    return "llama.cpp";
  }

  @Override
  protected String expectedResponseModel() {
    return MODEL;
  }

  @Override
  protected String expectedResponseId() {
    return ID;
  }

  @Override
  protected String expectedToolCallId() {
    return CALL_ID;
  }

  @Override
  protected int expectedServerErrorStatus() {
    return 500;
  }

  private static String completion(String message, String finish, long in, long out) {
    return "{\"choices\":[{\"finish_reason\":\"" + finish + "\",\"index\":0,\"message\":" + message + "}],"
        + "\"created\":1741569952,\"model\":\"" + MODEL + "\",\"system_fingerprint\":\"b5104-c94085df\","
        + "\"object\":\"chat.completion\",\"usage\":{\"completion_tokens\":" + out + ",\"prompt_tokens\":" + in
        + ",\"total_tokens\":" + (in + out) + "},\"id\":\"" + ID + "\"," + TIMINGS + "}";
  }

  private static String chunk(String delta, String finish, String tail) {
    return "data: {\"choices\":[{\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"")
        + ",\"index\":0,\"delta\":" + delta + "}],\"created\":1741569952,\"id\":\"" + ID + "\",\"model\":\"" + MODEL
        + "\",\"system_fingerprint\":\"b5104-c94085df\",\"object\":\"chat.completion.chunk\"" + tail + "}\n\n";
  }

  private static String text(String t) {
    return chunk("{\"content\":\"" + t + "\"}", null, "");
  }

  private static final String ROLE = chunk("{\"role\":\"assistant\",\"content\":null}", null, "");
  private static final String FINAL = chunk("{}", "stop", ",\"usage\":{\"completion_tokens\":10,\"prompt_tokens\":19,"
      + "\"total_tokens\":29}," + TIMINGS);
  private static final String DONE = "data: [DONE]\n\n";

  @Override
  protected void stubTextAnswer() {
    stubChat(json(200, completion("{\"role\":\"assistant\",\"content\":\"" + ANSWER_TEXT + "\"}", "stop", 19, 10)));
  }

  @Override
  protected void stubToolCallAnswer() {
    stubChat(json(200, completion("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"},\"id\":\"" + CALL_ID
        + "\"}]}", "tool_calls", 82, 17)));
  }

  @Override
  protected void stubJsonAnswer() {
    stubChat(json(200, completion("{\"role\":\"assistant\",\"content\":\"" + JSON_ANSWER.replace("\"", "\\\"") + "\"}",
        "stop", 60, 12)));
  }

  @Override
  protected void stubStreamedText() {
    stubChat(sse(ROLE + text("Hello") + text("!") + text(" How can I help you today?") + FINAL + DONE));
  }

  @Override
  protected void stubStreamedToolCall() {
    stubChat(sse(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"" + CALL_ID + "\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null, "")
        + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null, "")
        + chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null, "")
        + chunk("{}", "tool_calls", ",\"usage\":{\"completion_tokens\":17,\"prompt_tokens\":82,\"total_tokens\":99}")
        + DONE));
  }

  @Override
  protected void stubRateLimited() {
    // llama-server does not rate-limit itself; a gateway in front of it answers in the same error shape
    stubChat(json(429, "{\"error\":{\"code\":429,\"message\":\"Too many requests\",\"type\":\"rate_limit_error\"}}")
        .withHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
  }

  @Override
  protected void stubAuthenticationFailure() {
    stubChat(json(401, "{\"error\":{\"code\":401,\"message\":\"Invalid API Key\",\"type\":\"authentication_error\"}}"));
  }

  @Override
  protected void stubServerError() {
    stubChat(json(500, "{\"error\":{\"code\":500,\"message\":\"Failed to parse input\",\"type\":\"server_error\"}}"));
  }

  @Override
  protected void stubContextLengthExceeded() {
    stubChat(json(400, "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size, try "
        + "increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":9000,\"n_ctx\":8192}}"));
  }

  @Override
  protected void stubMalformedBody() {
    stubChat(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html>502</html>"));
  }

  @Override
  protected void stubTruncatedStream() {
    stubChat(sse(ROLE + text("Hello") + text("!")));
  }

  @Override
  protected void stubStreamWithInvalidJson() {
    stubChat(sse(ROLE + text("Hello") + text("!") + "data: {\"choices\":[{\"delta\":{\"content\":\" How\n\n" + DONE));
  }

  @Override
  protected void stubStreamError() {
    stubChat(sse(ROLE + text("Hello") + text("!")
        + "data: {\"error\":{\"code\":500,\"message\":\"Failed to decode the batch\",\"type\":\"server_error\"}}\n\n"));
  }

  @Override
  protected String streamPrefixBeforeStall() {
    return ROLE + text("Hello") + text("!");
  }

  @Override
  protected void stubSlowAnswer() {
    stubChat(json(200, completion("{\"role\":\"assistant\",\"content\":\"" + ANSWER_TEXT + "\"}", "stop", 19, 10))
        .withFixedDelay((int) SLOW_DELAY.toMillis()));
  }

  @Override
  protected String expectedToolRequestJson() {
    return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"What's the weather in Paris?\"}],"
        + "\"tools\":" + TOOLS_JSON + ",\"tool_choice\":\"auto\"}";
  }

  @Override
  protected String expectedToolResultRequestJson() {
    return """
        {
          "model": "%s",
          "messages": [
            {"role": "system", "content": "You are a weather assistant."},
            {"role": "user", "content": "What's the weather in Paris?"},
            {"role": "assistant", "tool_calls": [{"id": "%s", "type": "function",
              "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
            {"role": "tool", "tool_call_id": "%s", "content": "18°C and sunny"},
            {"role": "user", "content": "And tomorrow?"}
          ],
          "temperature": 0.2,
          "max_tokens": 256,
          "stop": ["END"],
          "seed": 42,
          "tools": %s,
          "tool_choice": "required",
          "user": "user-42"
        }
        """.formatted(MODEL, CALL_ID, CALL_ID, TOOLS_JSON);
  }

  @Override
  protected String expectedJsonSchemaRequestJson() {
    return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris as JSON\"}],"
        + "\"json_schema\":" + WEATHER_SCHEMA + "}";
  }
}
