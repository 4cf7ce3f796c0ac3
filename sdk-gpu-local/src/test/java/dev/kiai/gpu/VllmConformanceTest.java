package dev.kiai.gpu;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import dev.kiai.core.StreamingChatModel;
import dev.kiai.core.provider.ChatModelConformanceTest;
import java.time.Duration;

/**
 * The chat model {@link LocalEngine#chatModel} builds for vLLM, held to the provider conformance suite
 * with vLLM's payload shapes ({@code stop_reason}, {@code chatcmpl-tool-} ids, its
 * {@code {"object":"error"}} errors) and its request: {@code max_tokens} and {@code response_format}.
 */
class VllmConformanceTest extends ChatModelConformanceTest {
  private static final String MODEL = "meta-llama/Llama-3.1-8B-Instruct";
  private static final String ID = "chatcmpl-5e0d6a1f2b7c4c3e9a8b1d2f3e4a5b6c";
  private static final String CALL_ID = "chatcmpl-tool-8c1f0e2d3b4a49f7a6e5d4c3b2a1f0e9";
  private static final String TOOLS_JSON = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
      + "\"description\":\"Current weather for a city\",\"parameters\":{\"type\":\"object\",\"properties\":"
      + "{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]";

  @Override
  protected StreamingChatModel createModel(String baseUrl, Duration readTimeout) {
    try (LocalEngine engine = LocalEngine.vllm(baseUrl)) {
      return engine.chatModelBuilder(MODEL).readTimeout(readTimeout).build();
    }
  }

  @Override
  protected String chatPath() {
    return "/v1/chat/completions";
  }

  @Override
  protected String expectedProvider() {
    return "vllm";
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
    return "{\"id\":\"" + ID + "\",\"object\":\"chat.completion\",\"created\":1741569952,\"model\":\"" + MODEL + "\","
        + "\"choices\":[{\"index\":0,\"message\":" + message + ",\"logprobs\":null,\"finish_reason\":\"" + finish
        + "\",\"stop_reason\":null}],\"usage\":{\"prompt_tokens\":" + in + ",\"total_tokens\":" + (in + out)
        + ",\"completion_tokens\":" + out + ",\"prompt_tokens_details\":null},\"prompt_logprobs\":null,"
        + "\"kv_transfer_params\":null}";
  }

  private static String chunk(String choices, String usage) {
    return "data: {\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":\""
        + MODEL + "\",\"choices\":[" + choices + "]" + (usage == null ? "" : ",\"usage\":" + usage) + "}\n\n";
  }

  private static String delta(String delta, String finish) {
    return "{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"") + (finish == null ? "" : ",\"stop_reason\":null") + "}";
  }

  private static String text(String t) {
    return chunk(delta("{\"content\":\"" + t + "\"}", null), null);
  }

  private static final String ROLE = chunk(delta("{\"role\":\"assistant\",\"content\":\"\"}", null), null);
  private static final String DONE = "data: [DONE]\n\n";

  private static String error(int code, String type, String message) {
    return "{\"object\":\"error\",\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,"
        + "\"code\":" + code + "}";
  }

  @Override
  protected void stubTextAnswer() {
    stubChat(json(200, completion("{\"role\":\"assistant\",\"reasoning_content\":null,\"content\":\"" + ANSWER_TEXT
        + "\",\"tool_calls\":[]}", "stop", 19, 10)));
  }

  @Override
  protected void stubToolCallAnswer() {
    stubChat(json(200, completion("{\"role\":\"assistant\",\"reasoning_content\":null,\"content\":null,"
        + "\"tool_calls\":[{\"id\":\"" + CALL_ID + "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}]}", "tool_calls", 82, 17)));
  }

  @Override
  protected void stubJsonAnswer() {
    stubChat(json(200, completion("{\"role\":\"assistant\",\"reasoning_content\":null,\"content\":\""
        + JSON_ANSWER.replace("\"", "\\\"") + "\",\"tool_calls\":[]}", "stop", 60, 12)));
  }

  @Override
  protected void stubStreamedText() {
    stubChat(sse(ROLE + text("Hello") + text("!") + text(" How can I help you today?")
        + chunk(delta("{\"content\":\"\"}", "stop"), null)
        + chunk("", "{\"prompt_tokens\":19,\"total_tokens\":29,\"completion_tokens\":10}") + DONE));
  }

  @Override
  protected void stubStreamedToolCall() {
    stubChat(sse(ROLE
        + chunk(delta("{\"tool_calls\":[{\"id\":\"" + CALL_ID + "\",\"type\":\"function\",\"index\":0,"
            + "\"function\":{\"name\":\"get_weather\"}}]}", null), null)
        + chunk(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\": \\\"\"}}]}", null), null)
        + chunk(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"Paris\"}}]}", null), null)
        + chunk(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"}\"}}]}", null), null)
        + chunk(delta("{\"content\":\"\"}", "tool_calls"), null)
        + chunk("", "{\"prompt_tokens\":82,\"total_tokens\":99,\"completion_tokens\":17}") + DONE));
  }

  @Override
  protected void stubRateLimited() {
    // vLLM does not rate-limit itself; a gateway in front of it answers in the same error shape
    stubChat(json(429, error(429, "RateLimitError", "Too many requests"))
        .withHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
  }

  @Override
  protected void stubAuthenticationFailure() {
    // vLLM's own --api-key check answers {"error":"Unauthorized"}, which names no error type (core then reports
    // none, and the suite wants one); deployments usually authenticate in a gateway with this OpenAI shape.
    stubChat(json(401, "{\"error\":{\"message\":\"Unauthorized\",\"type\":\"AuthenticationError\","
        + "\"param\":null,\"code\":401}}"));
  }

  @Override
  protected void stubServerError() {
    stubChat(json(500, error(500, "InternalServerError", "EngineCore encountered an issue.")));
  }

  @Override
  protected void stubContextLengthExceeded() {
    stubChat(json(400, error(400, "BadRequestError", "This model's maximum context length is 8192 tokens. However, "
        + "you requested 9000 tokens (8900 in the messages, 100 in the completion). Please reduce the length of the "
        + "messages or completion.")));
  }

  @Override
  protected void stubMalformedBody() {
    stubChat(aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody("Internal Server Error"));
  }

  @Override
  protected void stubTruncatedStream() {
    stubChat(sse(ROLE + text("Hello") + text("!")));
  }

  @Override
  protected void stubStreamWithInvalidJson() {
    stubChat(sse(ROLE + text("Hello") + text("!") + "data: {\"id\":\"x\",\"choices\":[{\"delta\":{\"content\":\" How\n\n"
        + DONE));
  }

  @Override
  protected void stubStreamError() {
    stubChat(sse(ROLE + text("Hello") + text("!") + "data: {\"error\":{\"object\":\"error\",\"message\":"
        + "\"EngineCore encountered an issue.\",\"type\":\"InternalServerError\",\"param\":null,\"code\":500}}\n\n"));
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
        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"weather\",\"schema\":"
        + WEATHER_SCHEMA + ",\"strict\":true}}}";
  }
}
