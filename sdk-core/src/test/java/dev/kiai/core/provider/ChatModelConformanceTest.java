package dev.kiai.core.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.kiai.core.RequestContext;
import dev.kiai.core.StreamingChatModel;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.chat.ToolCall;
import dev.kiai.core.chat.ToolCallDelta;
import dev.kiai.core.chat.ToolChoice;
import dev.kiai.core.chat.ToolDefinition;
import dev.kiai.core.error.AuthenticationException;
import dev.kiai.core.error.ContextLengthExceededException;
import dev.kiai.core.error.MalformedResponseException;
import dev.kiai.core.error.ProviderTimeoutException;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.error.RateLimitedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every {@link StreamingChatModel} implementation must meet, checked against a WireMock
 * server that plays the provider. A provider's test extends this class, points the model at
 * {@link #baseUrl()}, and stubs each scenario with the provider's real payloads; the suite then asserts
 * the same concrete facts for every provider: text, usage, finish reasons, tool calls, the exception
 * type and fields of each failure, that streams end with exactly one terminal event and never hang,
 * and the outgoing request JSON for tools, tool results and response formats.
 *
 * <p>Stubs must answer {@link #chatPath()} and produce the constants below ({@link #ANSWER_TEXT},
 * {@link #INPUT_TOKENS}, ...). Helpers {@link #json} and {@link #sse} build the responses. The class is public and packaged in kiai-core's test-jar so that providers in other
 * modules reuse it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ChatModelConformanceTest {
  /** Text of the plain answer, the streamed answer and the text request's reply. */
  protected static final String ANSWER_TEXT = "Hello! How can I help you today?";
  /** Text a truncated or stalled stream delivers before it fails. */
  protected static final String PARTIAL_TEXT = "Hello!";
  /** Prompt tokens of the plain and streamed answers. */
  protected static final long INPUT_TOKENS = 19;
  /** Completion tokens of the plain and streamed answers. */
  protected static final long OUTPUT_TOKENS = 10;
  /** The tool of {@link #toolRequest()}. */
  protected static final String TOOL_NAME = "get_weather";
  /** Arguments of the tool call answers, as JSON. */
  protected static final String TOOL_ARGUMENTS = "{\"city\":\"Paris\"}";
  /** The JSON answer of {@link #jsonSchemaRequest()}. */
  protected static final String JSON_ANSWER = "{\"city\":\"Paris\",\"temperature_c\":18}";
  /** Seconds the rate-limit stub asks to wait, in {@code Retry-After}. */
  protected static final int RETRY_AFTER_SECONDS = 7;
  /** How long the slow stub waits before answering; far beyond {@link #SHORT_TIMEOUT}. */
  protected static final Duration SLOW_DELAY = Duration.ofSeconds(3);
  /** Read timeout of the model used for the timeout scenarios. */
  protected static final Duration SHORT_TIMEOUT = Duration.ofMillis(400);
  /** No scenario may take longer than this: a stream that hangs fails the test. */
  protected static final Duration NEVER_HANG = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Weather tool: {@code get_weather(city)}. */
  protected static final ToolDefinition WEATHER_TOOL = new ToolDefinition(TOOL_NAME, "Current weather for a city",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
  /** Schema of {@link #jsonSchemaRequest()}. */
  protected static final String WEATHER_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
      + "\"temperature_c\":{\"type\":\"integer\"}},\"required\":[\"city\",\"temperature_c\"],"
      + "\"additionalProperties\":false}";

  /** The stand-in provider; started once per test class, reset before each test. */
  protected WireMockServer server;
  private final List<AutoCloseable> opened = new ArrayList<>();

  // ------------------------------------------------------------- provider's part

  /**
   * @param baseUrl the base URL to configure, {@link #baseUrl()} or a dead address
   * @param readTimeout the read timeout to configure
   * @return a model whose default model is set, pointing at {@code baseUrl}
   */
  protected abstract StreamingChatModel createModel(String baseUrl, Duration readTimeout);

  /** @return the path the model posts to, e.g. {@code /v1/chat/completions} */
  protected abstract String chatPath();

  /** @return the provider name the model reports */
  protected abstract String expectedProvider();

  /** @return the model id the stubs' answers name (the text and streamed text answers) */
  protected abstract String expectedResponseModel();

  /** @return the response id of the plain text answer */
  protected abstract String expectedResponseId();

  /** @return the id of the tool call in the tool answers; also used in {@link #toolResultRequest()} */
  protected abstract String expectedToolCallId();

  /** @return the HTTP status of {@link #stubServerError()} */
  protected abstract int expectedServerErrorStatus();

  /** @return the exact JSON the model must send for {@link #toolRequest()} */
  protected abstract String expectedToolRequestJson();

  /** @return the exact JSON the model must send for {@link #toolResultRequest()} */
  protected abstract String expectedToolResultRequestJson();

  /** @return the exact JSON the model must send for {@link #jsonSchemaRequest()} */
  protected abstract String expectedJsonSchemaRequestJson();

  /** Answers {@link #ANSWER_TEXT}, finish stop, usage {@link #INPUT_TOKENS}/{@link #OUTPUT_TOKENS}. */
  protected abstract void stubTextAnswer();

  /** Answers one call of {@link #TOOL_NAME} with {@link #TOOL_ARGUMENTS}, id {@link #expectedToolCallId()}. */
  protected abstract void stubToolCallAnswer();

  /** Answers {@link #jsonSchemaRequest()} with {@link #JSON_ANSWER}. */
  protected abstract void stubJsonAnswer();

  /** Streams {@link #ANSWER_TEXT} in several deltas, then usage and the terminal event. */
  protected abstract void stubStreamedText();

  /** Streams one call of {@link #TOOL_NAME} with {@link #TOOL_ARGUMENTS} in several fragments. */
  protected abstract void stubStreamedToolCall();

  /** Answers 429 with {@code Retry-After: }{@link #RETRY_AFTER_SECONDS}. */
  protected abstract void stubRateLimited();

  /** Answers 401 for a bad key. */
  protected abstract void stubAuthenticationFailure();

  /** Answers the provider's server error or overload status, {@link #expectedServerErrorStatus()}. */
  protected abstract void stubServerError();

  /** Answers the provider's context-length error. */
  protected abstract void stubContextLengthExceeded();

  /** Answers 200 with a body that is not JSON. */
  protected abstract void stubMalformedBody();

  /** Streams {@link #PARTIAL_TEXT}, then the body ends without the terminal event. */
  protected abstract void stubTruncatedStream();

  /** Streams {@link #PARTIAL_TEXT}, then an event whose data is not valid JSON. */
  protected abstract void stubStreamWithInvalidJson();

  /** Streams {@link #PARTIAL_TEXT}, then the provider's server-error event. */
  protected abstract void stubStreamError();

  /**
   * @return the provider's opening events of a streamed answer up to and including the text
   *     {@link #PARTIAL_TEXT}; the suite serves them from a loopback server that then stalls, since
   *     WireMock cannot pause in the middle of a body
   */
  protected abstract String streamPrefixBeforeStall();

  /** Answers like {@link #stubTextAnswer()}, but only after {@link #SLOW_DELAY}. */
  protected abstract void stubSlowAnswer();

  // ------------------------------------------------------------------- requests

  /** @return system and user message, nothing else */
  protected static ChatRequest textRequest() {
    return ChatRequest.builder().addSystem("You are terse.").addUser("Hello").build();
  }

  /** @return a question with the weather tool, tool choice auto */
  protected static ChatRequest toolRequest() {
    return ChatRequest.builder().addUser("What's the weather in Paris?").addTool(WEATHER_TOOL)
        .toolChoice(ToolChoice.auto()).build();
  }

  /**
   * @param toolCallId id of the earlier call
   * @return a conversation that carries a tool call, its result and a follow-up, with every parameter
   */
  protected static ChatRequest toolResultRequest(String toolCallId) {
    return ChatRequest.builder()
        .addSystem("You are a weather assistant.")
        .addUser("What's the weather in Paris?")
        .addMessage(ChatMessage.assistant("", List.of(new ToolCall(toolCallId, TOOL_NAME, TOOL_ARGUMENTS))))
        .addMessage(ChatMessage.toolResult(toolCallId, "18°C and sunny"))
        .addUser("And tomorrow?")
        .addTool(WEATHER_TOOL)
        .toolChoice(ToolChoice.required())
        .temperature(0.2)
        .maxTokens(256)
        .stop(List.of("END"))
        .seed(42L)
        .context(RequestContext.builder().user("user-42").build())
        .build();
  }

  /** @return a request for {@link #WEATHER_SCHEMA} JSON */
  protected static ChatRequest jsonSchemaRequest() {
    return ChatRequest.builder().addUser("Weather in Paris as JSON")
        .responseFormat(ResponseFormat.jsonSchema("weather", WEATHER_SCHEMA)).build();
  }

  // -------------------------------------------------------------------- helpers

  /** @return the WireMock server's base URL, e.g. {@code http://127.0.0.1:50123} */
  protected String baseUrl() {
    return server.baseUrl();
  }

  /** @return a model pointing at WireMock with a generous read timeout, closed after the test */
  protected StreamingChatModel model() {
    return model(baseUrl(), Duration.ofSeconds(30));
  }

  /** @return a model from {@link #createModel}, closed after the test */
  protected StreamingChatModel model(String baseUrl, Duration readTimeout) {
    StreamingChatModel m = createModel(baseUrl, readTimeout);
    if (m instanceof AutoCloseable c) {
      opened.add(c);
    }
    return m;
  }

  /** Registers a stub for a POST to {@link #chatPath()}. */
  protected void stubChat(ResponseDefinitionBuilder response) {
    server.stubFor(post(urlPathEqualTo(chatPath())).willReturn(response));
  }

  /** @return a JSON answer */
  protected static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
  }

  /** @return a 200 server-sent-events answer */
  protected static ResponseDefinitionBuilder sse(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream; charset=utf-8")
        .withHeader("Cache-Control", "no-cache").withBody(body);
  }

  private void verifyRequestJson(String expectedJson) {
    server.verify(postRequestedFor(urlPathEqualTo(chatPath()))
        .withRequestBody(equalToJson(expectedJson, false, false)));
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private RecordingStreamListener stream(StreamingChatModel model, ChatRequest request) {
    RecordingStreamListener listener = new RecordingStreamListener();
    assertTimeoutPreemptively(NEVER_HANG, () -> model.stream(request, listener));
    return listener;
  }

  private static <T extends Throwable> void assertSingleError(
      RecordingStreamListener listener, Class<T> type, Consumer<T> requirements) {
    assertThat(listener.completions()).isEmpty();
    assertThat(listener.errors()).hasSize(1);
    assertThat(listener.events()).last().isEqualTo("error");
    assertThat(listener.singleError()).isInstanceOfSatisfying(type, requirements);
  }

  /**
   * Answers one request on loopback with the headers of a stream and {@code prefix}, then sends nothing
   * more until closed.
   */
  private static final class StallingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final CountDownLatch release = new CountDownLatch(1);

    StallingServer(String prefix) throws IOException {
      socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      Thread thread = new Thread(() -> serve(prefix), "stalling-server");
      thread.setDaemon(true);
      thread.start();
    }

    String baseUrl() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    private void serve(String prefix) {
      try (Socket s = socket.accept()) {
        readRequest(s.getInputStream());
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + prefix)
            .getBytes(StandardCharsets.UTF_8));
        out.flush();
        release.await(NEVER_HANG.toMillis(), TimeUnit.MILLISECONDS);
      } catch (IOException | InterruptedException e) {
        // the test is over or the client went away
      }
    }

    private static void readRequest(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        head.append((char) b);
      }
      Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
      if (length.find()) {
        in.readNBytes(Integer.parseInt(length.group(1)));
      }
    }

    @Override
    public void close() throws IOException {
      release.countDown();
      socket.close();
    }
  }

  @BeforeAll
  void startServer() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
  }

  @AfterAll
  void stopServer() {
    server.stop();
  }

  @BeforeEach
  void resetServer() {
    server.resetAll();
  }

  @AfterEach
  void closeModels() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
  }

  // ---------------------------------------------------------------------- tests

  @Test
  void textAnswerCarriesTextUsageFinishReasonAndModel() {
    stubTextAnswer();
    StreamingChatModel model = model();

    ChatResponse r = model.chat(textRequest());

    assertThat(r.text()).isEqualTo(ANSWER_TEXT);
    assertThat(r.toolCalls()).isEmpty();
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage().inputTokens()).isEqualTo(INPUT_TOKENS);
    assertThat(r.usage().outputTokens()).isEqualTo(OUTPUT_TOKENS);
    assertThat(r.usage().cachedInputTokens()).isZero();
    assertThat(r.model()).isEqualTo(expectedResponseModel());
    assertThat(r.id()).isEqualTo(expectedResponseId());
    assertThat(r.provider()).isEqualTo(expectedProvider()).isEqualTo(model.provider());
    assertThat(r.cost()).isEqualTo(Cost.UNKNOWN);
    assertThat(r.latency()).isPositive();
    server.verify(1, postRequestedFor(urlPathEqualTo(chatPath()))
        .withHeader("Content-Type", matching("(?i)application/json(; *charset=utf-8)?"))
        .withRequestBody(matchingJsonPath("$.model", equalTo(model.defaultModel()))));
  }

  @Test
  void modelNamedByTheRequestReplacesTheDefault() {
    stubTextAnswer();

    model().chat(textRequest().toBuilder().model("another-model").build());

    server.verify(postRequestedFor(urlPathEqualTo(chatPath()))
        .withRequestBody(matchingJsonPath("$.model", equalTo("another-model"))));
  }

  @Test
  void toolCallAnswerCarriesIdNameAndArgumentsAndToolsAreSentAsTheApiDefines() {
    stubToolCallAnswer();

    ChatResponse r = model().chat(toolRequest());

    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.toolCalls()).hasSize(1);
    ToolCall call = r.toolCalls().get(0);
    assertThat(call.id()).isEqualTo(expectedToolCallId());
    assertThat(call.name()).isEqualTo(TOOL_NAME);
    assertThat(tree(call.arguments())).isEqualTo(tree(TOOL_ARGUMENTS));
    verifyRequestJson(expectedToolRequestJson());
  }

  @Test
  void toolResultsAndParametersAreSentAsTheApiDefines() {
    stubTextAnswer();

    model().chat(toolResultRequest(expectedToolCallId()));

    verifyRequestJson(expectedToolResultRequestJson());
  }

  @Test
  void jsonSchemaAnswerIsReturnedAsTextAndTheFormatIsSent() {
    stubJsonAnswer();

    ChatResponse r = model().chat(jsonSchemaRequest());

    assertThat(tree(r.text())).isEqualTo(tree(JSON_ANSWER));
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.toolCalls()).isEmpty();
    verifyRequestJson(expectedJsonSchemaRequestJson());
  }

  @Test
  void streamedTextArrivesInDeltasThenOneCompleteResponse() {
    stubStreamedText();

    RecordingStreamListener listener = stream(model(), textRequest());

    assertThat(listener.texts()).hasSizeGreaterThan(1);
    assertThat(listener.text()).isEqualTo(ANSWER_TEXT);
    assertThat(listener.events()).last().isEqualTo("complete");
    ChatResponse r = listener.single();
    assertThat(r.text()).isEqualTo(ANSWER_TEXT);
    assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(r.usage().inputTokens()).isEqualTo(INPUT_TOKENS);
    assertThat(r.usage().outputTokens()).isEqualTo(OUTPUT_TOKENS);
    assertThat(r.model()).isEqualTo(expectedResponseModel());
    assertThat(r.provider()).isEqualTo(expectedProvider());
    server.verify(postRequestedFor(urlPathEqualTo(chatPath()))
        .withRequestBody(matchingJsonPath("$.stream", equalTo("true"))));
  }

  @Test
  void streamedToolCallArrivesInFragmentsAndIsAssembled() {
    stubStreamedToolCall();

    RecordingStreamListener listener = stream(model(), toolRequest());

    List<ToolCallDelta> fragments = listener.toolCalls();
    assertThat(fragments).hasSizeGreaterThan(1);
    assertThat(fragments).allSatisfy(d -> assertThat(d.index()).isZero());
    assertThat(fragments.get(0).id()).isEqualTo(expectedToolCallId());
    assertThat(fragments.get(0).name()).isEqualTo(TOOL_NAME);
    assertThat(fragments.subList(1, fragments.size())).allSatisfy(d -> {
      assertThat(d.id()).isNull();
      assertThat(d.name()).isNull();
    });
    assertThat(tree(listener.toolArguments(0))).isEqualTo(tree(TOOL_ARGUMENTS));
    ChatResponse r = listener.single();
    assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(r.toolCalls()).hasSize(1);
    assertThat(r.toolCalls().get(0).id()).isEqualTo(expectedToolCallId());
    assertThat(r.toolCalls().get(0).name()).isEqualTo(TOOL_NAME);
    assertThat(tree(r.toolCalls().get(0).arguments())).isEqualTo(tree(TOOL_ARGUMENTS));
  }

  @Test
  void rateLimitCarriesRetryAfterAndIsRetryable() {
    stubRateLimited();

    assertThatThrownBy(() -> model().chat(textRequest())).isInstanceOfSatisfying(RateLimitedException.class, e -> {
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(RETRY_AFTER_SECONDS));
      assertThat(e.httpStatus()).isEqualTo(429);
      assertThat(e.quotaExhausted()).isFalse();
      assertThat(e.retryable()).isTrue();
      assertThat(e.provider()).isEqualTo(expectedProvider());
      assertThat(e.errorType()).isPresent();
    });
  }

  @Test
  void rateLimitWhileStreamingGoesToOnError() {
    stubRateLimited();

    RecordingStreamListener listener = stream(model(), textRequest());

    assertSingleError(listener, RateLimitedException.class,
        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(RETRY_AFTER_SECONDS)));
  }

  @Test
  void badKeyIsAnAuthenticationFailure() {
    stubAuthenticationFailure();
    StreamingChatModel model = model();

    assertThatThrownBy(() -> model.chat(textRequest())).isInstanceOfSatisfying(AuthenticationException.class, e -> {
      assertThat(e.httpStatus()).isEqualTo(401);
      assertThat(e.retryable()).isFalse();
      assertThat(e.errorType()).isPresent();
      assertThat(e.model()).contains(model.defaultModel());
    });
  }

  @Test
  void serverErrorIsUnavailableAndRetryable() {
    stubServerError();

    assertThatThrownBy(() -> model().chat(textRequest()))
        .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(expectedServerErrorStatus());
          assertThat(e.retryable()).isTrue();
          assertThat(e.errorType()).isPresent();
        });
  }

  @Test
  void contextOverflowIsContextLengthExceeded() {
    stubContextLengthExceeded();

    assertThatThrownBy(() -> model().chat(textRequest()))
        .isInstanceOfSatisfying(ContextLengthExceededException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(400);
          assertThat(e.retryable()).isFalse();
        });
  }

  @Test
  void bodyThatIsNotJsonIsMalformed() {
    stubMalformedBody();

    assertThatThrownBy(() -> model().chat(textRequest()))
        .isInstanceOfSatisfying(MalformedResponseException.class, e -> {
          assertThat(e.truncated()).isFalse();
          assertThat(e.httpStatus()).isEqualTo(200);
          assertThat(e.retryable()).isFalse();
        });
  }

  @Test
  void truncatedStreamFailsOnceWithThePartialText() {
    stubTruncatedStream();

    RecordingStreamListener listener = stream(model(), textRequest());

    assertThat(listener.text()).isEqualTo(PARTIAL_TEXT);
    assertSingleError(listener, MalformedResponseException.class, e -> {
      assertThat(e.truncated()).isTrue();
      assertThat(e.partialText()).isEqualTo(PARTIAL_TEXT);
      assertThat(e.retryable()).isTrue();
    });
  }

  @Test
  void streamWithInvalidJsonIsMalformed() {
    stubStreamWithInvalidJson();

    RecordingStreamListener listener = stream(model(), textRequest());

    assertSingleError(listener, MalformedResponseException.class, e -> {
      assertThat(e.truncated()).isFalse();
      assertThat(e.partialText()).isEqualTo(PARTIAL_TEXT);
    });
  }

  @Test
  void errorInsideTheStreamIsMapped() {
    stubStreamError();

    RecordingStreamListener listener = stream(model(), textRequest());

    assertThat(listener.text()).isEqualTo(PARTIAL_TEXT);
    assertSingleError(listener, ProviderUnavailableException.class, e -> {
      assertThat(e.retryable()).isTrue();
      assertThat(e.errorType()).isPresent();
    });
  }

  @Test
  void streamBodyThatBreaksOffIsTruncated() {
    stubChat(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));

    RecordingStreamListener listener = stream(model(), textRequest());

    assertSingleError(listener, MalformedResponseException.class, e -> assertThat(e.truncated()).isTrue());
  }

  @Test
  void connectionResetIsUnavailableWithoutStatus() {
    stubChat(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

    assertThatThrownBy(() -> model().chat(textRequest()))
        .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> assertThat(e.httpStatus()).isZero());
  }

  @Test
  void refusedConnectionIsUnavailableWithoutStatus() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    StreamingChatModel dead = model("http://127.0.0.1:" + port, SHORT_TIMEOUT);

    assertThatThrownBy(() -> dead.chat(textRequest()))
        .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
          assertThat(e.httpStatus()).isZero();
          assertThat(e.retryable()).isTrue();
        });
    RecordingStreamListener listener = stream(dead, textRequest());
    assertSingleError(listener, ProviderUnavailableException.class, e -> assertThat(e.httpStatus()).isZero());
  }

  @Test
  void slowAnswerTimesOut() {
    stubSlowAnswer();
    StreamingChatModel model = model(baseUrl(), SHORT_TIMEOUT);

    assertTimeoutPreemptively(SLOW_DELAY.minusMillis(500), () ->
        assertThatThrownBy(() -> model.chat(textRequest()))
            .isInstanceOfSatisfying(ProviderTimeoutException.class, e -> {
              assertThat(e.timeout()).contains(SHORT_TIMEOUT);
              assertThat(e.retryable()).isTrue();
            }));
  }

  @Test
  void stalledStreamTimesOutWithThePartialText() throws IOException {
    RecordingStreamListener listener = new RecordingStreamListener();
    try (StallingServer stalling = new StallingServer(streamPrefixBeforeStall())) {
      StreamingChatModel model = model(stalling.baseUrl(), SHORT_TIMEOUT);

      assertTimeoutPreemptively(SLOW_DELAY.minusMillis(500), () -> model.stream(textRequest(), listener));
    }

    assertThat(listener.text()).isEqualTo(PARTIAL_TEXT);
    assertSingleError(listener, ProviderTimeoutException.class, e -> {
      assertThat(e.partialText()).isEqualTo(PARTIAL_TEXT);
      assertThat(e.timeout()).contains(SHORT_TIMEOUT);
    });
  }

  @Test
  void deadlineShortensTheCall() {
    stubSlowAnswer();
    StreamingChatModel model = model();
    ChatRequest request = textRequest().toBuilder()
        .context(RequestContext.builder().deadline(Instant.now().plusMillis(500)).build()).build();

    assertTimeoutPreemptively(SLOW_DELAY.minusMillis(500), () ->
        assertThatThrownBy(() -> model.chat(request)).isInstanceOf(ProviderTimeoutException.class));
    RecordingStreamListener listener = new RecordingStreamListener();
    ChatRequest streamed = textRequest().toBuilder()
        .context(RequestContext.builder().deadline(Instant.now().plusMillis(500)).build()).build();
    assertTimeoutPreemptively(SLOW_DELAY.minusMillis(500), () -> model.stream(streamed, listener));
    assertSingleError(listener, ProviderTimeoutException.class, e -> assertThat(e.retryable()).isTrue());
  }

  @Test
  void passedDeadlineFailsWithoutSending() {
    stubTextAnswer();
    StreamingChatModel model = model();
    ChatRequest late = textRequest().toBuilder()
        .context(RequestContext.builder().deadline(Instant.now().minusMillis(1)).build()).build();

    assertThatThrownBy(() -> model.chat(late)).isInstanceOfSatisfying(ProviderTimeoutException.class,
        e -> assertThat(e.timeout()).contains(Duration.ZERO));
    RecordingStreamListener listener = stream(model, late);
    assertSingleError(listener, ProviderTimeoutException.class, e -> assertThat(e.partialText()).isEmpty());
    server.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void modelIsSafeToShareBetweenThreads() throws Exception {
    stubTextAnswer();
    StreamingChatModel model = model();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> texts = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 8; i++) {
      Thread t = new Thread(() -> {
        try {
          texts.add(model.chat(textRequest()).text());
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(NEVER_HANG.toMillis());
    }

    assertThat(failures).isEmpty();
    assertThat(texts).hasSize(8).containsOnly(ANSWER_TEXT);
    server.verify(8, postRequestedFor(urlPathEqualTo(chatPath())));
  }
}
