package dev.kiai.core.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.StreamListener;
import dev.kiai.core.StreamingChatModel;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.chat.Role;
import dev.kiai.core.chat.ToolCall;
import dev.kiai.core.chat.ToolCallDelta;
import dev.kiai.core.chat.ToolChoice;
import dev.kiai.core.chat.ToolDefinition;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.InvalidRequestException;
import dev.kiai.core.error.MalformedResponseException;
import dev.kiai.core.error.ProviderException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * A {@link StreamingChatModel} for the Anthropic Messages API ({@code POST {baseUrl}/v1/messages}).
 *
 * <pre>{@code
 * try (AnthropicChatModel claude = AnthropicChatModel.of(System.getenv("ANTHROPIC_API_KEY"), "claude-haiku-4-5")) {
 *   ChatResponse answer = claude.chat(ChatRequest.of("Say hello"));
 * }
 * }</pre>
 *
 * <p>Mapping of Kiai's request: system messages become the top-level {@code system} prompt; user, tool
 * result and assistant messages become {@code messages}, consecutive messages of the same role merged
 * into one message with several content blocks (tool results travel as {@code tool_result} blocks of
 * a user message, assistant tool calls as {@code tool_use} blocks); {@code max_tokens}, which the API
 * requires, defaults to {@link Builder#defaultMaxTokens(int)}; the context's user becomes
 * {@code metadata.user_id}. The API has no sampling seed: {@link ChatRequest#seed()} is not sent.
 *
 * <p><b>JSON answers.</b> The Messages API has no response-format parameter, so
 * {@link ResponseFormat.Type#JSON_SCHEMA} and {@link ResponseFormat.Type#JSON_OBJECT} are implemented
 * by forcing a tool: one named after the schema ({@code json_output} for a plain JSON object) whose
 * {@code input_schema} is the requested schema (whose root must therefore be an object), with
 * {@code tool_choice} {@code {"type":"tool"}}. The tool's input is returned as the answer's text,
 * finish reason {@link FinishReason#STOP}, and streamed through {@link StreamListener#onText}; any
 * text blocks the model writes besides it are dropped. The forced choice replaces the request's own
 * {@link ToolChoice}, and a request tool with the same name is refused.
 *
 * <p>Usage: {@code inputTokens} is {@code input_tokens + cache_read_input_tokens +
 * cache_creation_input_tokens}, with the cache reads as {@code cachedInputTokens} and the cache writes
 * as {@code cacheWriteInputTokens}, so that every prompt token is priced once at its own price.
 *
 * <p>Failures map to {@link ProviderException}s: 429 {@code rate_limit_error} to
 * {@link dev.kiai.core.error.RateLimitedException} with the {@code retry-after} wait, 402
 * {@code billing_error} to an exhausted-quota {@code RateLimitedException}, 529 {@code overloaded_error}
 * and other 5xx to {@link dev.kiai.core.error.ProviderUnavailableException}, 401/403 to
 * {@link dev.kiai.core.error.AuthenticationException}, 400 "prompt is too long" to
 * {@link dev.kiai.core.error.ContextLengthExceededException}, other 4xx to {@link InvalidRequestException};
 * an {@code error} event inside a stream maps by its type the same way.
 *
 * <p>Each instance owns one {@link OkHttpClient} unless given one to share, is immutable and
 * thread-safe, and should be closed when no longer needed. Responses carry {@link Cost#UNKNOWN}:
 * {@link dev.kiai.core.Kiai} prices them.
 */
public final class AnthropicChatModel implements StreamingChatModel, AutoCloseable {
  /** The base URL of Anthropic's API. */
  public static final String ANTHROPIC_BASE_URL = "https://api.anthropic.com";
  /** The API version sent in {@code anthropic-version} unless configured otherwise. */
  public static final String DEFAULT_API_VERSION = "2023-06-01";
  /** Name of the tool forced for {@link ResponseFormat.Type#JSON_OBJECT} answers. */
  public static final String JSON_TOOL_NAME = "json_output";

  static final String JSON_TOOL_DESCRIPTION = "Give the answer as JSON that matches the input schema.";

  private final String provider;
  private final String baseUrl;
  private final String defaultModel;
  private final int defaultMaxTokens;
  private final HttpUrl endpoint;
  private final Map<String, String> headers;
  private final ProviderHttp http;

  private AnthropicChatModel(Builder b) {
    this.provider = b.provider;
    this.baseUrl = b.baseUrl;
    this.defaultModel = b.defaultModel;
    this.defaultMaxTokens = b.defaultMaxTokens;
    String base = b.baseUrl.replaceAll("/+$", "");
    this.endpoint = ProviderHttp.endpoint(base, base.endsWith("/v1") ? "messages" : "v1/messages", Map.of());
    this.headers = b.requestHeaders("x-api-key", "", Map.of("anthropic-version", b.apiVersion));
    this.http = b.http();
  }

  /**
   * @param apiKey the Anthropic API key
   * @param model the default model, e.g. {@code claude-haiku-4-5}
   * @return a model with default settings
   * @throws ConfigurationException when the key is missing
   */
  public static AnthropicChatModel of(String apiKey, String model) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new ConfigurationException("an Anthropic API key is required (ANTHROPIC_API_KEY)");
    }
    return builder().apiKey(apiKey).defaultModel(Objects.requireNonNull(model, "model")).build();
  }

  /** @return a builder with Anthropic's base URL and default settings */
  public static Builder builder() {
    return new Builder();
  }

  /** {@inheritDoc} */
  @Override
  public String provider() {
    return provider;
  }

  /** {@inheritDoc} */
  @Override
  public String defaultModel() {
    return defaultModel;
  }

  /** @return the configured base URL, e.g. {@code https://api.anthropic.com} */
  public String baseUrl() {
    return baseUrl;
  }

  /**
   * Sends the request and blocks for the whole answer.
   *
   * @param request the request; a null model means {@link #defaultModel()}
   * @return the answer, with usage and {@link Cost#UNKNOWN}
   * @throws ProviderException on any failure, see the class documentation
   * @throws IllegalStateException when this model is closed
   */
  @Override
  public ChatResponse chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    String model = http.modelFor(request, defaultModel);
    String jsonTool = jsonToolName(request);
    ObjectNode body = body(request, model, jsonTool, false);
    ProviderHttp.CallTimeout timeout = http.timeoutFor(request.context(), model);
    long start = System.nanoTime();
    Call call = http.newCall(endpoint, headers, body, timeout);
    try (Response response = http.execute(call, model, timeout)) {
      if (!response.isSuccessful()) {
        throw httpError(response, model);
      }
      String text;
      try {
        text = response.body().string();
      } catch (IOException e) {
        throw http.ioFailure(call, e, model, timeout, "", response.code());
      }
      return parseMessage(text, model, jsonTool, response.code(), Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /**
   * Streams the answer: text deltas (or, for JSON answers, the forced tool's input) to
   * {@link StreamListener#onText}, tool-call fragments to {@link StreamListener#onToolCall} with
   * {@code index} counting tool calls only, then exactly one of {@code onComplete} or {@code onError}.
   * Blocks until then. A stream that ends or breaks before {@code message_stop} fails with a truncated
   * {@link MalformedResponseException} carrying the text received; a stalled one with a
   * {@link dev.kiai.core.error.ProviderTimeoutException}. An exception thrown by {@code onText} or
   * {@code onToolCall} stops the stream and is passed to {@code onError}; one thrown by
   * {@code onComplete} propagates to the caller.
   *
   * @param request the request; a null model means {@link #defaultModel()}
   * @param listener receives the answer
   */
  @Override
  public void stream(ChatRequest request, StreamListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    ChatResponse response;
    try {
      response = doStream(request, listener);
    } catch (RuntimeException e) {
      listener.onError(e);
      return;
    }
    listener.onComplete(response);
  }

  private ChatResponse doStream(ChatRequest request, StreamListener listener) {
    String model = http.modelFor(request, defaultModel);
    String jsonTool = jsonToolName(request);
    ObjectNode body = body(request, model, jsonTool, true);
    ProviderHttp.CallTimeout timeout = http.timeoutFor(request.context(), model);
    long start = System.nanoTime();
    Call call = http.newCall(endpoint, headers, body, timeout);
    StreamState state = new StreamState(jsonTool);
    try (Response response = http.execute(call, model, timeout)) {
      if (!response.isSuccessful()) {
        throw httpError(response, model);
      }
      int status = response.code();
      try {
        SseReader sse = new SseReader(response.body().source());
        for (SseReader.Event event = sse.next(); event != null; event = sse.next()) {
          if (onEvent(event, state, listener, model, status)) {
            return state.response(model, status, Duration.ofNanos(System.nanoTime() - start));
          }
        }
      } catch (IOException e) {
        throw http.ioFailure(call, e, model, timeout, state.text.toString(), status);
      }
      throw new MalformedResponseException(provider, model, status,
          "the stream ended without message_stop", state.text.toString(), true, null);
    }
  }

  /** @return true at the terminal {@code message_stop} event */
  private boolean onEvent(SseReader.Event event, StreamState s, StreamListener listener, String model, int status) {
    if (event.data().isBlank()) {
      return false; // a keep-alive sent as an empty data line
    }
    JsonNode data = ProviderJson.parseAnswer(event.data(), provider, model, status, s.text.toString());
    String type = ProviderJson.text(data, "type");
    if (type == null) {
      type = event.name() == null ? "" : event.name();
    }
    switch (type) {
      case "message_start" -> {
        JsonNode message = data.path("message");
        s.id = ProviderJson.text(message, "id");
        s.model = ProviderJson.text(message, "model");
        s.addUsage(message.path("usage"));
      }
      case "content_block_start" -> {
        int index = data.path("index").asInt();
        JsonNode block = data.path("content_block");
        String blockType = ProviderJson.text(block, "type");
        if ("text".equals(blockType)) {
          s.appendText(ProviderJson.text(block, "text"), listener);
        } else if ("tool_use".equals(blockType)) {
          String name = ProviderJson.text(block, "name");
          if (s.jsonTool != null && s.jsonTool.equals(name)) {
            s.jsonBlocks.add(index);
          } else {
            int ordinal = s.toolOrdinals.size();
            s.toolOrdinals.put(index, ordinal);
            listener.onToolCall(s.tools.add(ordinal, ProviderJson.text(block, "id"), name, ""));
          }
        }
      }
      case "content_block_delta" -> {
        int index = data.path("index").asInt();
        JsonNode delta = data.path("delta");
        String deltaType = ProviderJson.text(delta, "type");
        if ("text_delta".equals(deltaType)) {
          s.appendText(ProviderJson.text(delta, "text"), listener);
        } else if ("input_json_delta".equals(deltaType)) {
          String partial = ProviderJson.text(delta, "partial_json");
          if (s.jsonBlocks.contains(index)) {
            if (partial != null) {
              s.text.append(partial);
              listener.onText(partial);
            }
          } else {
            Integer ordinal = s.toolOrdinals.get(index);
            if (ordinal == null) {
              throw new MalformedResponseException(provider, model, status,
                  "input_json_delta for content block " + index + ", which is not a tool_use block",
                  s.text.toString(), false, null);
            }
            ToolCallDelta d = s.tools.add(ordinal, null, null, partial);
            if (!d.argumentsDelta().isEmpty()) {
              listener.onToolCall(d);
            }
          }
        }
      }
      case "message_delta" -> {
        String stop = ProviderJson.text(data.path("delta"), "stop_reason");
        if (stop != null) {
          s.stopReason = stop;
        }
        s.addUsage(data.path("usage"));
      }
      case "message_stop" -> {
        return true;
      }
      case "error" -> {
        ProviderErrors.ErrorBody error = ProviderErrors.fromJson(data);
        throw inBandError(error != null ? error
            : ProviderErrors.parse(event.data(), "error event in the stream"), status, model);
      }
      default -> {
        // ping, content_block_stop, and event types added after this was written
      }
    }
    return false;
  }

  /** What a stream has delivered so far. */
  private final class StreamState {
    final String jsonTool;
    final StringBuilder text = new StringBuilder();
    final ToolCallAssembler tools = new ToolCallAssembler();
    final Map<Integer, Integer> toolOrdinals = new HashMap<>();
    final Set<Integer> jsonBlocks = new HashSet<>();
    String id;
    String model;
    String stopReason;
    long input;
    long cacheRead;
    long cacheWrite;
    long output;

    StreamState(String jsonTool) {
      this.jsonTool = jsonTool;
    }

    void appendText(String delta, StreamListener listener) {
      if (jsonTool == null && delta != null) {
        text.append(delta);
        listener.onText(delta);
      }
    }

    /** Takes the counts a usage object carries; later events carry cumulative values, so they win. */
    void addUsage(JsonNode usage) {
      if (usage.has("input_tokens")) {
        input = ProviderJson.count(usage, "input_tokens");
      }
      if (usage.has("cache_read_input_tokens")) {
        cacheRead = ProviderJson.count(usage, "cache_read_input_tokens");
      }
      if (usage.has("cache_creation_input_tokens")) {
        cacheWrite = ProviderJson.count(usage, "cache_creation_input_tokens");
      }
      if (usage.has("output_tokens")) {
        output = ProviderJson.count(usage, "output_tokens");
      }
    }

    ChatResponse response(String requested, int status, Duration latency) {
      List<ToolCall> calls;
      try {
        calls = tools.build();
      } catch (IllegalStateException e) {
        throw new MalformedResponseException(provider, requested, status, e.getMessage(), text.toString(),
            false, null);
      }
      return new ChatResponse(id, new ChatMessage(Role.ASSISTANT, text.toString(), calls, null),
          stopReason(stopReason, !jsonBlocks.isEmpty()),
          new Usage(input + cacheRead + cacheWrite, output, cacheRead, cacheWrite, 0), Cost.UNKNOWN,
          model == null ? requested : model, provider, latency, null, null);
    }
  }

  /** @return the name of the tool forced for a JSON answer, or null for a text answer */
  private String jsonToolName(ChatRequest request) {
    ResponseFormat format = request.responseFormat();
    if (format == null || format.type() == ResponseFormat.Type.TEXT) {
      return null;
    }
    String name = format.type() == ResponseFormat.Type.JSON_SCHEMA ? format.schemaName() : JSON_TOOL_NAME;
    if (request.tools().stream().anyMatch(t -> t.name().equals(name))) {
      throw new InvalidRequestException(provider, request.model(), 0, "tool_name_conflict",
          "a tool is named '" + name + "', the name of the tool that forces the JSON answer; rename one");
    }
    return name;
  }

  // ---------------------------------------------------------------- request

  ObjectNode body(ChatRequest r, String model, String jsonTool, boolean stream) {
    ObjectNode b = ProviderJson.object();
    b.put("model", model);
    b.put("max_tokens", r.maxTokens() != null ? r.maxTokens() : defaultMaxTokens);
    String system = r.systemText();
    if (!system.isEmpty()) {
      b.put("system", system);
    }
    b.set("messages", messages(r.messages(), model));
    if (r.temperature() != null) {
      b.put("temperature", r.temperature());
    }
    if (r.topP() != null) {
      b.put("top_p", r.topP());
    }
    if (!r.stop().isEmpty()) {
      ArrayNode stop = b.putArray("stop_sequences");
      r.stop().forEach(stop::add);
    }
    if (!r.tools().isEmpty() || jsonTool != null) {
      ArrayNode tools = b.putArray("tools");
      for (ToolDefinition t : r.tools()) {
        ObjectNode tool = tools.addObject().put("name", t.name());
        if (!t.description().isEmpty()) {
          tool.put("description", t.description());
        }
        tool.set("input_schema", ProviderJson.parseTrusted(t.parametersSchema()));
      }
      if (jsonTool != null) {
        ResponseFormat format = r.responseFormat();
        tools.addObject().put("name", jsonTool).put("description", JSON_TOOL_DESCRIPTION)
            .set("input_schema", format.type() == ResponseFormat.Type.JSON_SCHEMA
                ? ProviderJson.parseTrusted(format.schema()) : ProviderJson.object().put("type", "object"));
        b.putObject("tool_choice").put("type", "tool").put("name", jsonTool);
      } else if (r.toolChoice() != null) {
        b.set("tool_choice", toolChoice(r.toolChoice()));
      }
    }
    if (r.context().user() != null) {
      b.putObject("metadata").put("user_id", r.context().user());
    }
    if (stream) {
      b.put("stream", true);
    }
    return b;
  }

  private ArrayNode messages(List<ChatMessage> messages, String model) {
    List<String> roles = new ArrayList<>();
    List<ArrayNode> contents = new ArrayList<>();
    for (ChatMessage m : messages) {
      if (m.role() == Role.SYSTEM) {
        continue;
      }
      String role = m.role() == Role.ASSISTANT ? "assistant" : "user";
      ArrayNode blocks;
      if (!roles.isEmpty() && roles.get(roles.size() - 1).equals(role)) {
        blocks = contents.get(contents.size() - 1);
      } else {
        blocks = ProviderJson.MAPPER.createArrayNode();
        roles.add(role);
        contents.add(blocks);
      }
      if (m.role() == Role.TOOL) {
        blocks.addObject().put("type", "tool_result").put("tool_use_id", m.toolCallId())
            .put("content", m.content());
        continue;
      }
      if (!m.content().isEmpty()) {
        blocks.addObject().put("type", "text").put("text", m.content());
      }
      for (ToolCall c : m.toolCalls()) {
        blocks.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name())
            .set("input", toolInput(c, model));
      }
    }
    ArrayNode out = ProviderJson.MAPPER.createArrayNode();
    for (int i = 0; i < roles.size(); i++) {
      ObjectNode message = out.addObject().put("role", roles.get(i));
      ArrayNode blocks = contents.get(i);
      if (blocks.size() == 1 && "text".equals(blocks.get(0).path("type").asText())) {
        message.put("content", blocks.get(0).path("text").asText());
      } else if (blocks.isEmpty()) {
        message.put("content", "");
      } else {
        message.set("content", blocks);
      }
    }
    return out;
  }

  private JsonNode toolInput(ToolCall call, String model) {
    try {
      JsonNode input = ProviderJson.MAPPER.readTree(call.arguments());
      if (input != null && input.isObject()) {
        return input;
      }
    } catch (JsonProcessingException e) {
      // reported below
    }
    throw new InvalidRequestException(provider, model, 0, "invalid_tool_arguments",
        "the arguments of tool call " + call.id() + " are not a JSON object, which tool_use input must be");
  }

  private static ObjectNode toolChoice(ToolChoice choice) {
    ObjectNode n = ProviderJson.object();
    switch (choice.mode()) {
      case AUTO -> n.put("type", "auto");
      case NONE -> n.put("type", "none");
      case REQUIRED -> n.put("type", "any");
      case TOOL -> n.put("type", "tool").put("name", choice.toolName());
      default -> throw new IllegalArgumentException("unknown tool choice " + choice.mode());
    }
    return n;
  }

  // --------------------------------------------------------------- response

  private ChatResponse parseMessage(String text, String model, String jsonTool, int status, Duration latency) {
    JsonNode root = ProviderJson.parseAnswer(text, provider, model, status, "");
    JsonNode content = root.get("content");
    if (content == null || !content.isArray()) {
      ProviderErrors.ErrorBody error = ProviderErrors.fromJson(root);
      if (error != null) {
        throw inBandError(error, status, model);
      }
      throw new MalformedResponseException(provider, model, status, "the answer has no content", "", false, null);
    }
    StringBuilder answer = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    boolean jsonAnswered = false;
    for (JsonNode block : content) {
      String type = ProviderJson.text(block, "type");
      if ("text".equals(type) && jsonTool == null) {
        answer.append(block.path("text").asText());
      } else if ("tool_use".equals(type)) {
        String id = ProviderJson.text(block, "id");
        String name = ProviderJson.text(block, "name");
        if (id == null || name == null) {
          throw new MalformedResponseException(provider, model, status, "a tool_use block lacks its id or name",
              answer.toString(), false, null);
        }
        String input = ProviderJson.textOrJson(block.get("input"));
        if (jsonTool != null && jsonTool.equals(name)) {
          answer.append(input == null ? "{}" : input);
          jsonAnswered = true;
        } else {
          calls.add(new ToolCall(id, name, input));
        }
      }
    }
    String responseModel = ProviderJson.text(root, "model");
    return new ChatResponse(ProviderJson.text(root, "id"),
        new ChatMessage(Role.ASSISTANT, answer.toString(), calls, null),
        stopReason(ProviderJson.text(root, "stop_reason"), jsonAnswered), usage(root.get("usage")),
        Cost.UNKNOWN, responseModel == null ? model : responseModel, provider, latency, null, null);
  }

  /**
   * Maps Anthropic's {@code stop_reason}. A {@code tool_use} stop caused by the tool that forces a JSON
   * answer is a {@link FinishReason#STOP}: the answer is complete.
   */
  static FinishReason stopReason(String reason, boolean jsonAnswered) {
    if (reason == null) {
      return FinishReason.STOP;
    }
    return switch (reason) {
      case "end_turn", "stop_sequence" -> FinishReason.STOP;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "tool_use" -> jsonAnswered ? FinishReason.STOP : FinishReason.TOOL_CALLS;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  /** Maps {@code usage}: cache reads and writes are added to the input, see the class documentation. */
  static Usage usage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return Usage.ZERO;
    }
    long read = ProviderJson.count(u, "cache_read_input_tokens");
    long write = ProviderJson.count(u, "cache_creation_input_tokens");
    return new Usage(ProviderJson.count(u, "input_tokens") + read + write, ProviderJson.count(u, "output_tokens"),
        read, write, 0);
  }

  // ----------------------------------------------------------------- errors

  private ProviderException httpError(Response response, String model) {
    ProviderErrors.ErrorBody error = ProviderErrors.parse(ProviderErrors.readBody(response),
        "HTTP " + response.code() + (response.message().isEmpty() ? "" : " " + response.message()));
    return error(response.code(), response.code(), error, response.headers(), model);
  }

  private ProviderException inBandError(ProviderErrors.ErrorBody error, int status, String model) {
    return error(status, ProviderErrors.inferStatus(error), error, null, model);
  }

  private ProviderException error(
      int httpStatus, int effective, ProviderErrors.ErrorBody error, Headers headers, String model) {
    boolean quota = error.is("billing_error");
    boolean context = (effective == 400 || effective == 413) && ProviderErrors.mentionsContextLength(error.message());
    Duration retryAfter = headers != null && effective == 429
        ? ProviderErrors.retryAfter(headers, http.clock().instant()) : null;
    return ProviderErrors.classify(provider, model, httpStatus, effective, error, retryAfter, quota, context);
  }

  /** Releases the connection pool and dispatcher threads if this model created its HTTP client. */
  @Override
  public void close() {
    http.close();
  }

  /** @return provider, base URL and default model; never the API key */
  @Override
  public String toString() {
    return "AnthropicChatModel[provider=" + provider + ", baseUrl=" + baseUrl + ", defaultModel="
        + defaultModel + "]";
  }

  /**
   * Configures an {@link AnthropicChatModel}. Every setter checks its argument at once; the model copies
   * the settings, so a builder may be reused. Defaults: base URL {@value AnthropicChatModel#ANTHROPIC_BASE_URL}
   * ({@code /v1/messages} is appended, only {@code /messages} when it already ends in {@code /v1}),
   * provider name {@code anthropic}, the key sent as {@code x-api-key}.
   */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private String apiVersion = DEFAULT_API_VERSION;
    private String defaultModel;
    private int defaultMaxTokens = 4096;

    private Builder() {
      super(ANTHROPIC_BASE_URL, "anthropic", Duration.ofMinutes(5), Duration.ofMinutes(10));
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * @param version the {@code anthropic-version} header; default {@value AnthropicChatModel#DEFAULT_API_VERSION}
     * @return this
     */
    public Builder apiVersion(String version) {
      this.apiVersion = ProviderHttp.requireText(version, "version");
      return this;
    }

    /**
     * @param defaultModel the model used when a request names none, or null to require one per request
     * @return this
     */
    public Builder defaultModel(String defaultModel) {
      this.defaultModel = defaultModel;
      return this;
    }

    /**
     * @param maxTokens {@code max_tokens} sent when a request sets no {@link ChatRequest#maxTokens()}
     *     (the API requires the field); default 4096
     * @return this
     */
    public Builder defaultMaxTokens(int maxTokens) {
      if (maxTokens < 1) {
        throw new IllegalArgumentException("defaultMaxTokens must be >= 1, was " + maxTokens);
      }
      this.defaultMaxTokens = maxTokens;
      return this;
    }

    /**
     * @return the model
     * @throws ConfigurationException when the base URL is not an http(s) URL
     */
    public AnthropicChatModel build() {
      return new AnthropicChatModel(this);
    }
  }
}
