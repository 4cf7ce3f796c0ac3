package dev.kiai.core.telemetry;

import static dev.kiai.core.telemetry.TelemetryNames.ERROR_TYPE;
import static dev.kiai.core.telemetry.TelemetryNames.GEN_AI_CLIENT_OPERATION_DURATION;
import static dev.kiai.core.telemetry.TelemetryNames.GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK;
import static dev.kiai.core.telemetry.TelemetryNames.GEN_AI_CLIENT_TOKEN_USAGE;
import static dev.kiai.core.telemetry.TelemetryNames.GEN_AI_OPERATION_NAME;
import static dev.kiai.core.telemetry.TelemetryNames.GEN_AI_PROVIDER_NAME;
import static dev.kiai.core.telemetry.TelemetryNames.GEN_AI_REQUEST_MODEL;
import static dev.kiai.core.telemetry.TelemetryNames.GEN_AI_RESPONSE_MODEL;
import static dev.kiai.core.telemetry.TelemetryNames.GEN_AI_TOKEN_TYPE;
import static dev.kiai.core.telemetry.TelemetryNames.KIAI_COST;
import static dev.kiai.core.telemetry.TelemetryNames.KIAI_CURRENCY;
import static dev.kiai.core.telemetry.TelemetryNames.KIAI_FEATURE;
import static dev.kiai.core.telemetry.TelemetryNames.KIAI_TENANT;
import static dev.kiai.core.telemetry.TelemetryNames.NONE;
import static dev.kiai.core.telemetry.TelemetryNames.OPERATION_CHAT;
import static dev.kiai.core.telemetry.TelemetryNames.TOKEN_TYPE_INPUT;
import static dev.kiai.core.telemetry.TelemetryNames.TOKEN_TYPE_OUTPUT;
import static dev.kiai.core.telemetry.TelemetryNames.UNKNOWN;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.kiai.core.LlmInterceptor;
import dev.kiai.core.RequestContext;
import dev.kiai.core.StreamListener;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.ToolCall;
import dev.kiai.core.chat.ToolCallDelta;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ProviderException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Records every call that passes it as OpenTelemetry spans and Micrometer meters, following the
 * <a href="https://opentelemetry.io/docs/specs/semconv/gen-ai/">OpenTelemetry GenAI semantic
 * conventions</a>. All names are in {@link TelemetryNames}.
 *
 * <p>{@link dev.kiai.core.Kiai.Builder#meterRegistry} and {@link dev.kiai.core.Kiai.Builder#openTelemetry}
 * install one with default settings as the first (outermost) interceptor, so spans and durations cover
 * every other stage. To change the settings, build one here and add it first instead:
 * <pre>{@code
 * Kiai kiai = Kiai.builder()
 *     .interceptor(TelemetryInterceptor.builder().meterRegistry(registry).tagTenant(true).build())
 *     .interceptor(myGuardrails)
 *     .model(model)
 *     .build();
 * }</pre>
 *
 * <p><b>Spans</b> (when an {@link OpenTelemetry} is given): one {@link SpanKind#CLIENT} span per call,
 * named {@code "chat {gen_ai.request.model}"} ({@code "chat unknown"} when the request names no model),
 * current while the call runs so provider HTTP spans nest under it. Attributes:
 * {@code gen_ai.operation.name}, {@code gen_ai.request.model}, {@code gen_ai.request.max_tokens},
 * {@code gen_ai.request.temperature}, {@code gen_ai.request.top_p} (when set), {@code kiai.feature},
 * {@code kiai.tenant}, {@code kiai.template} (when the context has them); on success
 * {@code gen_ai.provider.name}, {@code gen_ai.response.model}, {@code gen_ai.response.id},
 * {@code gen_ai.response.finish_reasons}, {@code gen_ai.usage.input_tokens},
 * {@code gen_ai.usage.output_tokens} (plus cache-read and reasoning tokens when non-zero) and, for
 * streams, {@code gen_ai.response.time_to_first_chunk}. On failure the span status is
 * {@link StatusCode#ERROR} and {@code error.type} is the exception's simple class name; the exception
 * message is not recorded, because provider messages may quote the prompt.
 *
 * <p><b>Meters</b> (when a {@link MeterRegistry} is given):
 * <ul>
 *   <li>{@code gen_ai.client.operation.duration}: a timer (seconds on registries that export
 *       seconds, such as Prometheus; configure an OTLP registry's base time unit to seconds to match
 *       the convention) tagged {@code gen_ai.operation.name}, {@code gen_ai.provider.name},
 *       {@code gen_ai.request.model}, {@code gen_ai.response.model} and {@code error.type}
 *       ({@value TelemetryNames#NONE} on success; provider and response model are
 *       {@value TelemetryNames#UNKNOWN} when a failure did not say).
 *   <li>{@code gen_ai.client.operation.time_to_first_chunk}: a timer with the same tags, streams only.
 *   <li>{@code gen_ai.client.token.usage}: a distribution summary of tokens per successful call,
 *       tagged {@code gen_ai.operation.name}, {@code gen_ai.provider.name},
 *       {@code gen_ai.request.model}, {@code gen_ai.response.model} and {@code gen_ai.token.type}
 *       ({@code input} or {@code output}). Responses reporting no tokens at all (e.g. some cache hits)
 *       are not recorded.
 *   <li>{@code kiai.cost}: a counter of the priced cost of successful calls (responses without a known
 *       price are not counted), tagged {@code gen_ai.provider.name}, {@code gen_ai.response.model},
 *       {@code kiai.currency}, {@code kiai.feature} and, only with {@link Builder#tagTenant(boolean)},
 *       {@code kiai.tenant}. The meter value is a {@code double}; exact money stays in
 *       {@link ChatResponse#cost()}.
 * </ul>
 * Every meter of one name always carries the same tag keys (absent values are
 * {@value TelemetryNames#NONE}), as Prometheus requires. Histogram buckets are the ones the
 * conventions advise. Meters are looked up once per tag combination and cached.
 *
 * <p><b>Content.</b> Prompt and completion text are never recorded unless
 * {@link Builder#captureContent(boolean)} is set; then a span event
 * {@code gen_ai.client.inference.operation.details} carries {@code gen_ai.input.messages} and
 * {@code gen_ai.output.messages} as convention JSON, exactly as this interceptor sees them and
 * <em>not scrubbed</em>. Removing personal data is the guardrails module's job, not telemetry's.
 *
 * <p>Failures are rethrown (blocking) or passed on (streaming) as the same exception instance, never
 * wrapped. Thread-safe; one instance serves all calls.
 */
public final class TelemetryInterceptor implements LlmInterceptor {
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey(GEN_AI_OPERATION_NAME);
  private static final AttributeKey<String> PROVIDER = AttributeKey.stringKey(GEN_AI_PROVIDER_NAME);
  private static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey(GEN_AI_REQUEST_MODEL);
  private static final AttributeKey<Long> MAX_TOKENS =
      AttributeKey.longKey(TelemetryNames.GEN_AI_REQUEST_MAX_TOKENS);
  private static final AttributeKey<Double> TEMPERATURE =
      AttributeKey.doubleKey(TelemetryNames.GEN_AI_REQUEST_TEMPERATURE);
  private static final AttributeKey<Double> TOP_P = AttributeKey.doubleKey(TelemetryNames.GEN_AI_REQUEST_TOP_P);
  private static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey(GEN_AI_RESPONSE_MODEL);
  private static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey(TelemetryNames.GEN_AI_RESPONSE_ID);
  private static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey(TelemetryNames.GEN_AI_RESPONSE_FINISH_REASONS);
  private static final AttributeKey<Double> TIME_TO_FIRST_CHUNK =
      AttributeKey.doubleKey(TelemetryNames.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK);
  private static final AttributeKey<Long> INPUT_TOKENS =
      AttributeKey.longKey(TelemetryNames.GEN_AI_USAGE_INPUT_TOKENS);
  private static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey(TelemetryNames.GEN_AI_USAGE_OUTPUT_TOKENS);
  private static final AttributeKey<Long> CACHE_READ_TOKENS =
      AttributeKey.longKey(TelemetryNames.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS);
  private static final AttributeKey<Long> REASONING_TOKENS =
      AttributeKey.longKey(TelemetryNames.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS);
  private static final AttributeKey<String> ERROR = AttributeKey.stringKey(ERROR_TYPE);
  private static final AttributeKey<String> FEATURE = AttributeKey.stringKey(KIAI_FEATURE);
  private static final AttributeKey<String> TENANT = AttributeKey.stringKey(KIAI_TENANT);
  private static final AttributeKey<String> TEMPLATE = AttributeKey.stringKey(TelemetryNames.KIAI_TEMPLATE);
  private static final AttributeKey<String> INPUT_MESSAGES =
      AttributeKey.stringKey(TelemetryNames.GEN_AI_INPUT_MESSAGES);
  private static final AttributeKey<String> OUTPUT_MESSAGES =
      AttributeKey.stringKey(TelemetryNames.GEN_AI_OUTPUT_MESSAGES);
  private static final long NO_CHUNK = -1;
  private static final AtomicLongFieldUpdater<Call> FIRST_CHUNK =
      AtomicLongFieldUpdater.newUpdater(Call.class, "firstChunkNanos");
  private static final AtomicIntegerFieldUpdater<Call> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(Call.class, "ended");

  private final MeterRegistry registry;
  private final Tracer tracer;
  private final boolean tagTenant;
  private final boolean captureContent;
  private final ConcurrentMap<CallKey, Timer> durations = new ConcurrentHashMap<>();
  private final ConcurrentMap<CallKey, Timer> firstChunks = new ConcurrentHashMap<>();
  private final ConcurrentMap<CallKey, TokenMeters> tokens = new ConcurrentHashMap<>();
  private final ConcurrentMap<CostKey, Counter> costs = new ConcurrentHashMap<>();

  private TelemetryInterceptor(Builder b) {
    this.registry = b.registry;
    this.tracer = b.openTelemetry == null ? null : b.openTelemetry.getTracer(TelemetryNames.INSTRUMENTATION_SCOPE);
    this.tagTenant = b.tagTenant;
    this.captureContent = b.captureContent;
  }

  /** @return a builder; with neither a registry nor an OpenTelemetry the interceptor records nothing */
  public static Builder builder() {
    return new Builder();
  }

  /** @return {@code telemetry} */
  @Override
  public String name() {
    return "telemetry";
  }

  /**
   * Times the call, opens its span and records the outcome.
   *
   * @param chain the rest of the path
   * @return the response, unchanged
   */
  @Override
  @SuppressWarnings("try") // the scope is only opened and closed
  public ChatResponse intercept(Chain chain) {
    ChatRequest request = chain.request();
    if (registry == null && tracer == null) {
      return chain.proceed(request);
    }
    Call call = new Call(request, false);
    ChatResponse response;
    try (Scope ignored = call.makeCurrent()) {
      response = chain.proceed(request);
    } catch (Throwable t) {
      call.failed(t);
      throw t;
    }
    call.succeeded(response);
    return response;
  }

  /**
   * Times the stream, opens its span, notes the first chunk and records the outcome when the stream
   * completes or fails.
   *
   * @param chain the rest of the path
   */
  @Override
  @SuppressWarnings("try") // the scope is only opened and closed
  public void interceptStream(StreamChain chain) {
    ChatRequest request = chain.request();
    StreamListener downstream = chain.listener();
    if (registry == null && tracer == null) {
      chain.proceed(request, downstream);
      return;
    }
    Call call = new Call(request, true);
    StreamListener observing = new StreamListener() {
      @Override
      public void onText(String delta) {
        call.chunk();
        downstream.onText(delta);
      }

      @Override
      public void onToolCall(ToolCallDelta delta) {
        call.chunk();
        downstream.onToolCall(delta);
      }

      @Override
      public void onComplete(ChatResponse response) {
        call.succeeded(response);
        downstream.onComplete(response);
      }

      @Override
      public void onError(Throwable error) {
        call.failed(error);
        downstream.onError(error);
      }
    };
    try (Scope ignored = call.makeCurrent()) {
      chain.proceed(request, observing);
    } catch (Throwable t) {
      call.failed(t);
      throw t;
    }
    if (!call.ended()) {
      // Kiai reports a stream that returned without completing as this error; record it the same way
      call.failed(new IllegalStateException("the stream returned without completing"));
    }
  }

  private Timer duration(CallKey key) {
    Timer t = durations.get(key);
    return t != null ? t : durations.computeIfAbsent(key, k -> Timer.builder(GEN_AI_CLIENT_OPERATION_DURATION)
        .description("GenAI operation duration")
        .tags(k.tags())
        .serviceLevelObjectives(durationBuckets())
        .register(registry));
  }

  private Timer firstChunk(CallKey key) {
    Timer t = firstChunks.get(key);
    return t != null ? t : firstChunks.computeIfAbsent(key,
        k -> Timer.builder(GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK)
            .description("Time to receive the first chunk of a streaming response")
            .tags(k.tags())
            .serviceLevelObjectives(durationBuckets())
            .register(registry));
  }

  private TokenMeters tokens(CallKey key) {
    TokenMeters m = tokens.get(key);
    return m != null ? m : tokens.computeIfAbsent(key, k -> new TokenMeters(
        tokenSummary(k, TOKEN_TYPE_INPUT), tokenSummary(k, TOKEN_TYPE_OUTPUT)));
  }

  private DistributionSummary tokenSummary(CallKey k, String type) {
    return DistributionSummary.builder(GEN_AI_CLIENT_TOKEN_USAGE)
        .description("Number of input and output tokens used")
        .baseUnit("tokens")
        .tags(Tags.of(GEN_AI_OPERATION_NAME, OPERATION_CHAT, GEN_AI_PROVIDER_NAME, k.provider(),
            GEN_AI_REQUEST_MODEL, k.requestModel(), GEN_AI_RESPONSE_MODEL, k.responseModel(),
            GEN_AI_TOKEN_TYPE, type))
        .serviceLevelObjectives(tokenBuckets())
        .register(registry);
  }

  private Counter cost(CostKey key) {
    Counter c = costs.get(key);
    return c != null ? c : costs.computeIfAbsent(key, k -> Counter.builder(KIAI_COST)
        .description("Priced cost of LLM calls, in " + KIAI_CURRENCY)
        .tags(k.tags())
        .register(registry));
  }

  /** Bucket boundaries the GenAI conventions advise for durations (seconds). */
  private static Duration[] durationBuckets() {
    double[] seconds = {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92};
    Duration[] buckets = new Duration[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      buckets[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
    }
    return buckets;
  }

  /** Bucket boundaries the GenAI conventions advise for token counts: powers of 4 from 1 to 4^13. */
  private static double[] tokenBuckets() {
    double[] buckets = new double[14];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = Math.pow(4, i);
    }
    return buckets;
  }

  private static String orNone(String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }

  private static String errorType(Throwable t) {
    String simple = t.getClass().getSimpleName();
    return simple.isEmpty() ? t.getClass().getName() : simple;
  }

  /** One call in flight: its start, its span, its first chunk; ends exactly once. */
  private final class Call {
    private final ChatRequest request;
    private final String requestModel;
    private final boolean streaming;
    private final long startNanos;
    private final Span span;
    private volatile long firstChunkNanos = NO_CHUNK;
    private volatile int ended;

    Call(ChatRequest request, boolean streaming) {
      this.request = request;
      this.requestModel = request.model() == null || request.model().isBlank() ? UNKNOWN : request.model();
      this.streaming = streaming;
      this.startNanos = System.nanoTime();
      this.span = tracer == null ? null : startSpan();
    }

    private Span startSpan() {
      SpanBuilder b = tracer.spanBuilder(OPERATION_CHAT + " " + requestModel)
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute(OPERATION, OPERATION_CHAT)
          .setAttribute(REQUEST_MODEL, requestModel);
      if (request.maxTokens() != null) {
        b.setAttribute(MAX_TOKENS, request.maxTokens().longValue());
      }
      if (request.temperature() != null) {
        b.setAttribute(TEMPERATURE, request.temperature());
      }
      if (request.topP() != null) {
        b.setAttribute(TOP_P, request.topP());
      }
      RequestContext ctx = request.context();
      if (ctx.feature() != null) {
        b.setAttribute(FEATURE, ctx.feature());
      }
      if (ctx.tenant() != null) {
        b.setAttribute(TENANT, ctx.tenant());
      }
      if (ctx.template() != null) {
        b.setAttribute(TEMPLATE, ctx.template().toString());
      }
      return b.startSpan();
    }

    Scope makeCurrent() {
      return span == null ? null : span.makeCurrent();
    }

    void chunk() {
      if (firstChunkNanos == NO_CHUNK) {
        FIRST_CHUNK.compareAndSet(this, NO_CHUNK, System.nanoTime() - startNanos);
      }
    }

    boolean ended() {
      return ended != 0;
    }

    void succeeded(ChatResponse r) {
      if (!ENDED.compareAndSet(this, 0, 1)) {
        return;
      }
      long elapsed = System.nanoTime() - startNanos;
      long toFirstChunk = firstChunkNanos;
      Usage usage = r.usage();
      boolean usageReported = usage.inputTokens() > 0 || usage.outputTokens() > 0;
      if (registry != null) {
        CallKey key = new CallKey(orNone(r.provider()), requestModel, orNone(r.model()), NONE);
        duration(key).record(elapsed, TimeUnit.NANOSECONDS);
        if (streaming && toFirstChunk != NO_CHUNK) {
          firstChunk(key).record(toFirstChunk, TimeUnit.NANOSECONDS);
        }
        if (usageReported) {
          TokenMeters m = tokens(key);
          m.input().record(usage.inputTokens());
          m.output().record(usage.outputTokens());
        }
        Cost cost = r.cost();
        if (cost.known()) {
          RequestContext ctx = request.context();
          cost(new CostKey(key.provider(), key.responseModel(), cost.currency(), orNone(ctx.feature()),
              tagTenant ? orNone(ctx.tenant()) : null)).increment(cost.total().doubleValue());
        }
      }
      if (span != null) {
        span.setAttribute(PROVIDER, r.provider());
        span.setAttribute(RESPONSE_MODEL, r.model());
        if (!r.id().isEmpty()) {
          span.setAttribute(RESPONSE_ID, r.id());
        }
        span.setAttribute(FINISH_REASONS, List.of(r.finishReason().name().toLowerCase(Locale.ROOT)));
        if (usageReported) {
          span.setAttribute(INPUT_TOKENS, usage.inputTokens());
          span.setAttribute(OUTPUT_TOKENS, usage.outputTokens());
          if (usage.cachedInputTokens() > 0) {
            span.setAttribute(CACHE_READ_TOKENS, usage.cachedInputTokens());
          }
          if (usage.reasoningTokens() > 0) {
            span.setAttribute(REASONING_TOKENS, usage.reasoningTokens());
          }
        }
        if (streaming && toFirstChunk != NO_CHUNK) {
          span.setAttribute(TIME_TO_FIRST_CHUNK, toFirstChunk / 1e9);
        }
        if (captureContent) {
          span.addEvent(TelemetryNames.GEN_AI_OPERATION_DETAILS_EVENT, Attributes.of(
              INPUT_MESSAGES, ContentJson.input(request.messages()),
              OUTPUT_MESSAGES, ContentJson.output(r)));
        }
        span.end();
      }
    }

    void failed(Throwable t) {
      if (!ENDED.compareAndSet(this, 0, 1)) {
        return;
      }
      long elapsed = System.nanoTime() - startNanos;
      String type = errorType(t);
      String provider = t instanceof ProviderException pe && pe.provider() != null ? pe.provider() : null;
      if (registry != null) {
        CallKey key = new CallKey(provider == null ? UNKNOWN : provider, requestModel, UNKNOWN, type);
        duration(key).record(elapsed, TimeUnit.NANOSECONDS);
        long toFirstChunk = firstChunkNanos;
        if (streaming && toFirstChunk != NO_CHUNK) {
          firstChunk(key).record(toFirstChunk, TimeUnit.NANOSECONDS);
        }
      }
      if (span != null) {
        if (provider != null) {
          span.setAttribute(PROVIDER, provider);
        }
        span.setAttribute(ERROR, type);
        span.setStatus(StatusCode.ERROR, type);
        if (captureContent) {
          span.addEvent(TelemetryNames.GEN_AI_OPERATION_DETAILS_EVENT,
              Attributes.of(INPUT_MESSAGES, ContentJson.input(request.messages())));
        }
        span.end();
      }
    }
  }

  /** Tag values of the duration, first-chunk and token meters. */
  private record CallKey(String provider, String requestModel, String responseModel, String errorType) {
    Tags tags() {
      return Tags.of(GEN_AI_OPERATION_NAME, OPERATION_CHAT, GEN_AI_PROVIDER_NAME, provider,
          GEN_AI_REQUEST_MODEL, requestModel, GEN_AI_RESPONSE_MODEL, responseModel, ERROR_TYPE, errorType);
    }
  }

  /** Tag values of the cost counter; {@code tenant} null when tenant tagging is off. */
  private record CostKey(String provider, String model, String currency, String feature, String tenant) {
    Tags tags() {
      Tags t = Tags.of(GEN_AI_PROVIDER_NAME, provider, GEN_AI_RESPONSE_MODEL, model, KIAI_CURRENCY, currency,
          KIAI_FEATURE, feature);
      return tenant == null ? t : t.and(KIAI_TENANT, tenant);
    }
  }

  private record TokenMeters(DistributionSummary input, DistributionSummary output) {}

  /** Renders messages as the GenAI conventions' JSON ({@code role} and {@code parts}). */
  private static final class ContentJson {
    private ContentJson() {}

    static String input(List<ChatMessage> messages) {
      StringBuilder sb = new StringBuilder("[");
      for (ChatMessage m : messages) {
        if (sb.length() > 1) {
          sb.append(',');
        }
        sb.append("{\"role\":\"").append(m.role().name().toLowerCase(Locale.ROOT)).append("\",\"parts\":[");
        parts(sb, m);
        sb.append("]}");
      }
      return sb.append(']').toString();
    }

    static String output(ChatResponse r) {
      StringBuilder sb = new StringBuilder("[{\"role\":\"assistant\",\"parts\":[");
      parts(sb, r.message());
      return sb.append("],\"finish_reason\":\"").append(r.finishReason().name().toLowerCase(Locale.ROOT))
          .append("\"}]").toString();
    }

    private static void parts(StringBuilder sb, ChatMessage m) {
      int start = sb.length();
      if (m.toolCallId() != null) {
        sb.append("{\"type\":\"tool_call_response\",\"id\":");
        quote(sb, m.toolCallId()).append(",\"result\":");
        quote(sb, m.content()).append('}');
        return;
      }
      if (!m.content().isEmpty()) {
        sb.append("{\"type\":\"text\",\"content\":");
        quote(sb, m.content()).append('}');
      }
      for (ToolCall c : m.toolCalls()) {
        if (sb.length() > start) {
          sb.append(',');
        }
        sb.append("{\"type\":\"tool_call\",\"id\":");
        quote(sb, c.id()).append(",\"name\":");
        quote(sb, c.name()).append(",\"arguments\":");
        quote(sb, c.arguments()).append('}');
      }
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
      sb.append('"');
      JsonStringEncoder.getInstance().quoteAsString(s, sb);
      return sb.append('"');
    }
  }

  /** Builds a {@link TelemetryInterceptor}. */
  public static final class Builder {
    private MeterRegistry registry;
    private OpenTelemetry openTelemetry;
    private boolean tagTenant;
    private boolean captureContent;

    private Builder() {}

    /**
     * @param registry receives the meters; null records no meters
     * @return this
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /**
     * @param openTelemetry supplies the tracer (instrumentation scope
     *     {@value TelemetryNames#INSTRUMENTATION_SCOPE}); null
     *     records no spans
     * @return this
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
      return this;
    }

    /**
     * Tags {@code kiai.cost} with {@code kiai.tenant}. Off by default: every tenant becomes a separate
     * time series, which many metric backends cannot afford beyond a few hundred tenants. Spans carry
     * the tenant regardless.
     *
     * @param tagTenant whether to tag cost by tenant
     * @return this
     */
    public Builder tagTenant(boolean tagTenant) {
      this.tagTenant = tagTenant;
      return this;
    }

    /**
     * Records prompt and completion text on spans, as a {@code gen_ai.client.inference.operation.details}
     * event. Off by default. The text is recorded exactly as this interceptor sees it (the request on
     * its way in, the response on its way out) and is <b>not scrubbed</b>: removing personal data is
     * the guardrails module's job. Where text may hold personal data, leave this off unless a scrubbing
     * stage has already cleaned what this interceptor sees.
     *
     * @param captureContent whether to record message text
     * @return this
     */
    public Builder captureContent(boolean captureContent) {
      this.captureContent = captureContent;
      return this;
    }

    /** @return the interceptor */
    public TelemetryInterceptor build() {
      return new TelemetryInterceptor(this);
    }
  }
}
