package dev.kiai.core.provider;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * A {@link StreamingChatModel} for the OpenAI Chat Completions API ({@code POST {baseUrl}/chat/completions})
 * and the many servers that speak it: Azure OpenAI, vLLM, llama.cpp server, Ollama ({@code /v1}),
 * LM Studio, Mistral, Groq.
 *
 * <pre>{@code
 * try (OpenAiCompatibleChatModel openAi = OpenAiCompatibleChatModel.openAi(System.getenv("OPENAI_API_KEY"), "gpt-4o-mini");
 *      OpenAiCompatibleChatModel local = OpenAiCompatibleChatModel.compatible("http://localhost:8000/v1", "qwen2.5-7b")) {
 *   ChatResponse answer = openAi.chat(ChatRequest.of("Say hello"));
 * }
 * }</pre>
 *
 * <p>Requests are sent as the API documents them, null fields omitted; streamed answers are read from
 * server-sent events, with {@code stream_options.include_usage} so that streams report usage too.
 * Failures are mapped to {@link ProviderException}s: 429 to {@link dev.kiai.core.error.RateLimitedException}
 * (with the wait from {@code retry-after-ms}, {@code Retry-After} or, failing those, OpenAI's
 * {@code x-ratelimit-reset-*} headers; {@code insufficient_quota} is marked as an exhausted quota), prompts
 * that overflow the context window to {@link dev.kiai.core.error.ContextLengthExceededException} (OpenAI's
 * {@code context_length_exceeded} code, or the wording of vLLM, llama.cpp, Ollama and others), 401/403 to
 * {@link dev.kiai.core.error.AuthenticationException}, other 4xx to {@link InvalidRequestException}, 5xx
 * and connection failures to {@link dev.kiai.core.error.ProviderUnavailableException}, timeouts and
 * passed deadlines to {@link dev.kiai.core.error.ProviderTimeoutException}, and answers that cannot be
 * understood or streams cut short to {@link MalformedResponseException}.
 *
 * <p>Each instance owns one {@link OkHttpClient} (one connection pool) unless given one to share, is
 * immutable and thread-safe, and should be closed when no longer needed. Responses carry
 * {@link Cost#UNKNOWN}: {@link dev.kiai.core.Kiai} prices them.
 */
public final class OpenAiCompatibleChatModel implements StreamingChatModel, AutoCloseable {
  /** The base URL of OpenAI's API. */
  public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

  private final String provider;
  private final String baseUrl;
  private final String defaultModel;
  private final String maxTokensField;
  private final boolean streamUsage;
  private final String jsonSchemaField;
  private final HttpUrl endpoint;
  private final Map<String, String> headers;
  private final ProviderHttp http;

  private OpenAiCompatibleChatModel(Builder b) {
    this.provider = b.provider;
    this.baseUrl = b.baseUrl;
    this.defaultModel = b.defaultModel;
    this.streamUsage = b.streamUsage;
    this.jsonSchemaField = b.jsonSchemaField;
    this.endpoint = ProviderHttp.endpoint(b.baseUrl, "chat/completions", b.queryParams);
    this.maxTokensField = b.maxTokensField != null ? b.maxTokensField
        : endpoint.host().equals("api.openai.com") ? "max_completion_tokens" : "max_tokens";
    this.headers = b.requestHeaders(b.authHeaderName, b.authHeaderPrefix, Map.of());
    this.http = b.http();
  }

  /**
   * A model for OpenAI's own API, sending the token limit as {@code max_completion_tokens}.
   *
   * @param apiKey the OpenAI API key
   * @param model the default model, e.g. {@code gpt-4o-mini}
   * @return a model with default timeouts
   * @throws ConfigurationException when the key is missing
   */
  public static OpenAiCompatibleChatModel openAi(String apiKey, String model) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new ConfigurationException("an OpenAI API key is required (OPENAI_API_KEY)");
    }
    return builder().apiKey(apiKey).defaultModel(Objects.requireNonNull(model, "model"))
        .maxTokensField("max_completion_tokens").build();
  }

  /**
   * A model for an Azure OpenAI deployment: base URL {@code {endpoint}/openai/deployments/{deployment}},
   * the key sent as {@code api-key: KEY}, {@code api-version} added to every request, provider name
   * {@code azure.ai.openai} and the token limit sent as {@code max_completion_tokens}. Use
   * {@link #builder()} with the same settings to change anything else.
   *
   * @param endpoint the resource endpoint, e.g. {@code https://my-resource.openai.azure.com}
   * @param deployment the deployment name; also the default model
   * @param apiVersion the API version, e.g. {@code 2024-10-21}
   * @param apiKey the resource key
   * @return the model
   * @throws ConfigurationException when the key is missing or the endpoint is not a URL
   */
  public static OpenAiCompatibleChatModel azure(String endpoint, String deployment, String apiVersion, String apiKey) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(deployment, "deployment");
    Objects.requireNonNull(apiVersion, "apiVersion");
    if (apiKey == null || apiKey.isBlank()) {
      throw new ConfigurationException("an Azure OpenAI api-key is required");
    }
    String base = endpoint.replaceAll("/+$", "") + "/openai/deployments/" + deployment;
    return builder().baseUrl(base).apiKey(apiKey).authHeader("api-key", "")
        .queryParam("api-version", apiVersion).defaultModel(deployment).provider("azure.ai.openai")
        .maxTokensField("max_completion_tokens").build();
  }

  /**
   * A model for an OpenAI-compatible server that needs no key: vLLM ({@code http://host:8000/v1}),
   * llama.cpp server ({@code http://host:8080/v1}), Ollama ({@code http://host:11434/v1}), LM Studio
   * ({@code http://host:1234/v1}). Provider name {@code openai-compatible}; the token limit is sent as
   * {@code max_tokens}. Hosted services that need a key (Mistral, Groq) are built with
   * {@link #builder()}{@code .baseUrl(...).apiKey(...)}.
   *
   * @param baseUrl the server's base URL, up to and including {@code /v1}
   * @param model the default model as the server names it
   * @return the model
   * @throws ConfigurationException when the base URL is not an http(s) URL
   */
  public static OpenAiCompatibleChatModel compatible(String baseUrl, String model) {
    return builder().baseUrl(baseUrl).defaultModel(Objects.requireNonNull(model, "model"))
        .provider("openai-compatible").build();
  }

  /** @return a builder with OpenAI's base URL and default timeouts */
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

  /** @return the configured base URL, e.g. {@code https://api.openai.com/v1} */
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
    ProviderHttp.CallTimeout timeout = http.timeoutFor(request.context(), model);
    long start = System.nanoTime();
    Call call = http.newCall(endpoint, headers, body(request, model, false), timeout);
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
      return parseCompletion(text, model, response.code(), Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /**
   * Streams the answer: text deltas to {@link StreamListener#onText}, tool-call fragments to
   * {@link StreamListener#onToolCall}, then exactly one of {@code onComplete} (with the assembled
   * answer and the usage of the final chunk) or {@code onError}. Blocks until then. A stream that ends
   * or breaks before {@code [DONE]} fails with a truncated {@link MalformedResponseException} carrying
   * the text received; a stalled one with a {@link dev.kiai.core.error.ProviderTimeoutException}. An
   * exception thrown by {@code onText} or {@code onToolCall} stops the stream and is passed to
   * {@code onError}; one thrown by {@code onComplete} propagates to the caller.
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
    ProviderHttp.CallTimeout timeout = http.timeoutFor(request.context(), model);
    long start = System.nanoTime();
    Call call = http.newCall(endpoint, headers, body(request, model, true), timeout);
    StreamState state = new StreamState();
    try (Response response = http.execute(call, model, timeout)) {
      if (!response.isSuccessful()) {
        throw httpError(response, model);
      }
      int status = response.code();
      try {
        MediaType type = response.body().contentType();
        if (type != null && type.subtype().equals("json")) {
          // The server ignored "stream": deliver its whole answer as one delta.
          ChatResponse whole = parseCompletion(response.body().string(), model, status,
              Duration.ofNanos(System.nanoTime() - start));
          replay(whole, listener);
          return whole;
        }
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
          "the stream ended without [DONE]", state.text.toString(), true, null);
    }
  }

  /** @return true at the terminal {@code [DONE]} event */
  private boolean onEvent(SseReader.Event event, StreamState s, StreamListener listener, String model, int status) {
    String data = event.data();
    if (data.equals("[DONE]")) {
      return true;
    }
    if (data.isBlank()) {
      return false; // a keep-alive some servers send as an empty data line
    }
    JsonNode chunk = ProviderJson.parseAnswer(data, provider, model, status, s.text.toString());
    ProviderErrors.ErrorBody error = ProviderErrors.fromJson(chunk);
    if (error == null && "error".equals(event.name())) {
      error = ProviderErrors.parse(data, "error event in the stream");
    }
    if (error != null) {
      throw inBandError(error, status, model);
    }
    if (s.id == null) {
      s.id = ProviderJson.text(chunk, "id");
    }
    if (s.model == null) {
      s.model = ProviderJson.text(chunk, "model");
    }
    JsonNode usage = chunk.get("usage");
    if (usage != null && usage.isObject()) {
      s.usage = usage(usage);
    }
    for (JsonNode choice : chunk.path("choices")) {
      if (choice.path("index").asInt(0) != 0) {
        continue;
      }
      JsonNode delta = choice.path("delta");
      String content = content(delta.get("content"));
      if (content != null && !content.isEmpty()) {
        s.text.append(content);
        listener.onText(content);
      }
      String refusal = ProviderJson.text(delta, "refusal");
      if (refusal != null) {
        s.refusal.append(refusal);
        listener.onText(refusal);
      }
      JsonNode calls = delta.path("tool_calls");
      for (int i = 0; i < calls.size(); i++) {
        JsonNode call = calls.get(i);
        JsonNode function = call.path("function");
        ToolCallDelta d = s.tools.add(call.path("index").asInt(i), ProviderJson.text(call, "id"),
            ProviderJson.text(function, "name"), ProviderJson.textOrJson(function.get("arguments")));
        if (d.id() != null || d.name() != null || !d.argumentsDelta().isEmpty()) {
          listener.onToolCall(d);
        }
      }
      String finish = ProviderJson.text(choice, "finish_reason");
      if (finish != null) {
        s.finishReason = finish;
      }
    }
    return false;
  }

  /** What a stream has delivered so far. */
  private final class StreamState {
    final StringBuilder text = new StringBuilder();
    final StringBuilder refusal = new StringBuilder();
    final ToolCallAssembler tools = new ToolCallAssembler();
    String id;
    String model;
    String finishReason;
    Usage usage = Usage.ZERO;

    ChatResponse response(String requested, int status, Duration latency) {
      List<ToolCall> calls;
      try {
        calls = tools.build();
      } catch (IllegalStateException e) {
        throw new MalformedResponseException(provider, requested, status, e.getMessage(), text.toString(),
            false, null);
      }
      boolean refused = text.length() == 0 && refusal.length() > 0;
      String answer = refused ? refusal.toString() : text.toString();
      return new ChatResponse(id, new ChatMessage(Role.ASSISTANT, answer, calls, null),
          finishReason(finishReason, !calls.isEmpty(), refused), usage, Cost.UNKNOWN,
          model == null ? requested : model, provider, latency, null, null);
    }
  }

  private static void replay(ChatResponse whole, StreamListener listener) {
    if (!whole.text().isEmpty()) {
      listener.onText(whole.text());
    }
    List<ToolCall> calls = whole.toolCalls();
    for (int i = 0; i < calls.size(); i++) {
      ToolCall c = calls.get(i);
      listener.onToolCall(new ToolCallDelta(i, c.id(), c.name(), c.arguments()));
    }
  }

  // ---------------------------------------------------------------- request

  ObjectNode body(ChatRequest r, String model, boolean stream) {
    ObjectNode b = ProviderJson.object();
    b.put("model", model);
    ArrayNode messages = b.putArray("messages");
    for (ChatMessage m : r.messages()) {
      messages.add(message(m));
    }
    if (r.temperature() != null) {
      b.put("temperature", r.temperature());
    }
    if (r.topP() != null) {
      b.put("top_p", r.topP());
    }
    if (r.maxTokens() != null) {
      b.put(maxTokensField, r.maxTokens());
    }
    if (!r.stop().isEmpty()) {
      ArrayNode stop = b.putArray("stop");
      r.stop().forEach(stop::add);
    }
    if (r.seed() != null) {
      b.put("seed", r.seed());
    }
    if (!r.tools().isEmpty()) {
      ArrayNode tools = b.putArray("tools");
      for (ToolDefinition t : r.tools()) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", t.name());
        if (!t.description().isEmpty()) {
          function.put("description", t.description());
        }
        function.set("parameters", ProviderJson.parseTrusted(t.parametersSchema()));
      }
      if (r.toolChoice() != null) {
        b.set("tool_choice", toolChoice(r.toolChoice()));
      }
    }
    if (r.responseFormat() != null) {
      if (jsonSchemaField != null && r.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA) {
        b.set(jsonSchemaField, ProviderJson.parseTrusted(r.responseFormat().schema()));
      } else {
        b.set("response_format", responseFormat(r.responseFormat()));
      }
    }
    if (r.context().user() != null) {
      b.put("user", r.context().user());
    }
    if (stream) {
      b.put("stream", true);
      if (streamUsage) {
        b.putObject("stream_options").put("include_usage", true);
      }
    }
    return b;
  }

  private static ObjectNode message(ChatMessage m) {
    ObjectNode n = ProviderJson.object();
    switch (m.role()) {
      case SYSTEM -> n.put("role", "system").put("content", m.content());
      case USER -> n.put("role", "user").put("content", m.content());
      case TOOL -> n.put("role", "tool").put("tool_call_id", m.toolCallId()).put("content", m.content());
      case ASSISTANT -> {
        n.put("role", "assistant");
        if (!m.content().isEmpty() || m.toolCalls().isEmpty()) {
          n.put("content", m.content());
        }
        if (!m.toolCalls().isEmpty()) {
          ArrayNode calls = n.putArray("tool_calls");
          for (ToolCall c : m.toolCalls()) {
            ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
            call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
          }
        }
      }
      default -> throw new IllegalArgumentException("unknown role " + m.role());
    }
    return n;
  }

  private static JsonNode toolChoice(ToolChoice choice) {
    return switch (choice.mode()) {
      case AUTO -> ProviderJson.MAPPER.getNodeFactory().textNode("auto");
      case NONE -> ProviderJson.MAPPER.getNodeFactory().textNode("none");
      case REQUIRED -> ProviderJson.MAPPER.getNodeFactory().textNode("required");
      case TOOL -> {
        ObjectNode n = ProviderJson.object().put("type", "function");
        n.putObject("function").put("name", choice.toolName());
        yield n;
      }
    };
  }

  private static ObjectNode responseFormat(ResponseFormat format) {
    ObjectNode n = ProviderJson.object();
    switch (format.type()) {
      case TEXT -> n.put("type", "text");
      case JSON_OBJECT -> n.put("type", "json_object");
      case JSON_SCHEMA -> {
        n.put("type", "json_schema");
        ObjectNode schema = n.putObject("json_schema");
        schema.put("name", format.schemaName());
        schema.set("schema", ProviderJson.parseTrusted(format.schema()));
        schema.put("strict", format.strict());
      }
      default -> throw new IllegalArgumentException("unknown response format " + format.type());
    }
    return n;
  }

  // --------------------------------------------------------------- response

  private ChatResponse parseCompletion(String text, String model, int status, Duration latency) {
    JsonNode root = ProviderJson.parseAnswer(text, provider, model, status, "");
    JsonNode choices = root.get("choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      ProviderErrors.ErrorBody error = ProviderErrors.fromJson(root);
      if (error != null) {
        throw inBandError(error, status, model);
      }
      throw new MalformedResponseException(provider, model, status, "the answer has no choices", "", false, null);
    }
    JsonNode choice = choices.get(0);
    JsonNode message = choice.path("message");
    String content = content(message.get("content"));
    String refusal = ProviderJson.text(message, "refusal");
    boolean refused = (content == null || content.isEmpty()) && refusal != null;
    List<ToolCall> calls = new ArrayList<>();
    JsonNode toolCalls = message.path("tool_calls");
    for (int i = 0; i < toolCalls.size(); i++) {
      JsonNode call = toolCalls.get(i);
      JsonNode function = call.path("function");
      String name = ProviderJson.text(function, "name");
      if (name == null) {
        throw new MalformedResponseException(provider, model, status,
            "tool_calls[" + i + "] has no function name", content, false, null);
      }
      String id = ProviderJson.text(call, "id");
      calls.add(new ToolCall(id == null ? "call_" + i : id, name,
          ProviderJson.textOrJson(function.get("arguments"))));
    }
    String responseModel = ProviderJson.text(root, "model");
    return new ChatResponse(ProviderJson.text(root, "id"),
        new ChatMessage(Role.ASSISTANT, refused ? refusal : content, calls, null),
        finishReason(ProviderJson.text(choice, "finish_reason"), !calls.isEmpty(), refused),
        usage(root.get("usage")), Cost.UNKNOWN, responseModel == null ? model : responseModel, provider,
        latency, null, null);
  }

  /** Message content: a string, or an array of {@code {"type":"text","text":...}} parts. */
  private static String content(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        if (part.path("text").isTextual()) {
          sb.append(part.path("text").asText());
        }
      }
      return sb.toString();
    }
    return content.asText();
  }

  /**
   * Maps OpenAI's {@code finish_reason}. A plain stop that carries tool calls counts as
   * {@link FinishReason#TOOL_CALLS} (some compatible servers report {@code stop} there); a refusal as
   * {@link FinishReason#CONTENT_FILTER}; a stream that completed without any reason as a stop.
   */
  static FinishReason finishReason(String reason, boolean hasToolCalls, boolean refused) {
    if (refused) {
      return FinishReason.CONTENT_FILTER;
    }
    if (reason == null) {
      return hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    }
    return switch (reason) {
      case "stop" -> hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
      case "length" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.OTHER;
    };
  }

  /** Maps {@code usage}; cached and reasoning counts are clamped to the totals they are part of. */
  static Usage usage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return Usage.ZERO;
    }
    long in = ProviderJson.count(u, "prompt_tokens");
    long out = ProviderJson.count(u, "completion_tokens");
    long cached = Math.min(ProviderJson.count(u.path("prompt_tokens_details"), "cached_tokens"), in);
    long reasoning = Math.min(ProviderJson.count(u.path("completion_tokens_details"), "reasoning_tokens"), out);
    return new Usage(in, out, cached, 0, reasoning);
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
    boolean quota = error.is("insufficient_quota");
    boolean context = (effective == 400 || effective == 413 || effective == 422)
        && (error.is("context_length_exceeded") || error.is("exceed_context_size_error")
            || ProviderErrors.mentionsContextLength(error.message()));
    Duration retryAfter = headers != null && effective == 429 ? retryAfter(headers) : null;
    return ProviderErrors.classify(provider, model, httpStatus, effective, error, retryAfter, quota, context);
  }

  /**
   * The wait a 429 asks for: {@code retry-after-ms} or {@code Retry-After}, else OpenAI's
   * {@code x-ratelimit-reset-requests}/{@code -tokens} — the one whose {@code x-ratelimit-remaining-*}
   * is 0, or the longer when that does not tell.
   */
  private Duration retryAfter(Headers headers) {
    Duration standard = ProviderErrors.retryAfter(headers, http.clock().instant());
    if (standard != null) {
      return standard;
    }
    Duration requests = ProviderErrors.goDuration(headers.get("x-ratelimit-reset-requests"));
    Duration tokens = ProviderErrors.goDuration(headers.get("x-ratelimit-reset-tokens"));
    boolean requestsOut = "0".equals(trimmed(headers.get("x-ratelimit-remaining-requests")));
    boolean tokensOut = "0".equals(trimmed(headers.get("x-ratelimit-remaining-tokens")));
    if (requestsOut && !tokensOut && requests != null) {
      return requests;
    }
    if (tokensOut && !requestsOut && tokens != null) {
      return tokens;
    }
    if (requests == null) {
      return tokens;
    }
    return tokens == null || requests.compareTo(tokens) >= 0 ? requests : tokens;
  }

  private static String trimmed(String s) {
    return s == null ? null : s.trim();
  }

  /** Releases the connection pool and dispatcher threads if this model created its HTTP client. */
  @Override
  public void close() {
    http.close();
  }

  /** @return provider, base URL and default model; never the API key */
  @Override
  public String toString() {
    return "OpenAiCompatibleChatModel[provider=" + provider + ", baseUrl=" + baseUrl + ", defaultModel="
        + defaultModel + "]";
  }

  /**
   * Configures an {@link OpenAiCompatibleChatModel}. Every setter checks its argument at once; the model
   * copies the settings, so a builder may be reused. Defaults: base URL
   * {@value OpenAiCompatibleChatModel#OPENAI_BASE_URL} ({@code /chat/completions} is appended), provider
   * name {@code openai}, the key sent as {@code Authorization: Bearer KEY} (see {@link #authHeader}).
   */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private String authHeaderName = "Authorization";
    private String authHeaderPrefix = "Bearer ";
    private final Map<String, String> queryParams = new LinkedHashMap<>();
    private String defaultModel;
    private String maxTokensField;
    private boolean streamUsage = true;
    private String jsonSchemaField;

    private Builder() {
      super(OPENAI_BASE_URL, "openai", Duration.ofMinutes(5), Duration.ofMinutes(10));
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Sets how the key is sent: {@code Authorization: Bearer KEY} by default, {@code api-key: KEY} for
     * Azure ({@code authHeader("api-key", "")}).
     *
     * @param name header name
     * @param prefix text before the key, e.g. {@code "Bearer "}, possibly empty
     * @return this
     */
    public Builder authHeader(String name, String prefix) {
      this.authHeaderName = ProviderHttp.requireText(name, "name");
      this.authHeaderPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * @param name query parameter added to every request (Azure's {@code api-version})
     * @param value its value
     * @return this
     */
    public Builder queryParam(String name, String value) {
      queryParams.put(ProviderHttp.requireText(name, "name"), Objects.requireNonNull(value, "value"));
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
     * @param field the JSON field for {@link ChatRequest#maxTokens()}: {@code max_completion_tokens}
     *     (OpenAI, required by its reasoning models) or {@code max_tokens} (most compatible servers). When
     *     not set: {@code max_completion_tokens} for {@code api.openai.com}, else {@code max_tokens}
     * @return this
     */
    public Builder maxTokensField(String field) {
      this.maxTokensField = ProviderHttp.requireText(field, "field");
      return this;
    }

    /**
     * @param include whether streamed requests ask for a final usage chunk with
     *     {@code stream_options.include_usage}; default true. Turn off for servers that reject the field;
     *     their streams then report whatever usage they send on their own, else zero
     * @return this
     */
    public Builder streamUsage(boolean include) {
      this.streamUsage = include;
      return this;
    }

    /**
     * Sends a {@link ResponseFormat.Type#JSON_SCHEMA} response format as a top-level field holding the
     * bare schema instead of OpenAI's {@code response_format}, for servers that constrain output that
     * way: llama.cpp's {@code llama-server} takes {@code "json_schema": {...}}. Other formats are sent as
     * {@code response_format} still. Not set by default.
     *
     * @param field the field name, e.g. {@code json_schema}
     * @return this
     */
    public Builder jsonSchemaField(String field) {
      this.jsonSchemaField = ProviderHttp.requireText(field, "field");
      return this;
    }

    /**
     * @return the model
     * @throws ConfigurationException when the base URL is not an http(s) URL
     */
    public OpenAiCompatibleChatModel build() {
      return new OpenAiCompatibleChatModel(this);
    }
  }
}
