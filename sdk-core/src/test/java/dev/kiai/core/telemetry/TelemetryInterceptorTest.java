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
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.LlmInterceptor;
import dev.kiai.core.RequestContext;
import dev.kiai.core.StreamListener;
import dev.kiai.core.StreamingChatModel;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.RateLimitedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TelemetryInterceptorTest {
  private static final String RESPONSE_MODEL = "gpt-4o-mini-2024-07-18";
  /** gpt-4o-mini: 1000 input tokens at 0.15 USD/1M + 500 output tokens at 0.60 USD/1M. */
  private static final double COST = 0.00045;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();

  @AfterEach
  void close() {
    tracerProvider.close();
    registry.close();
  }

  private static ChatResponse answer() {
    return new ChatResponse("chatcmpl-42", ChatMessage.assistant("Paris"), FinishReason.STOP,
        Usage.of(1000, 500), null, RESPONSE_MODEL, "openai", null, null, null);
  }

  /** A fake provider: answers every request with {@link #answer()}. */
  private static final class FakeModel implements ChatModel {
    @Override
    public ChatResponse chat(ChatRequest request) {
      return answer();
    }

    @Override
    public String provider() {
      return "openai";
    }

    @Override
    public String defaultModel() {
      return "gpt-4o-mini";
    }
  }

  /** A fake streaming provider: two text chunks, then {@link #answer()}, or an error. */
  private static final class FakeStreamingModel implements StreamingChatModel {
    private final RuntimeException failure;

    FakeStreamingModel(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public void stream(ChatRequest request, StreamListener listener) {
      listener.onText("Par");
      if (failure != null) {
        listener.onError(failure);
        return;
      }
      listener.onText("is");
      listener.onComplete(answer());
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      return answer();
    }

    @Override
    public String provider() {
      return "openai";
    }

    @Override
    public String defaultModel() {
      return "gpt-4o-mini";
    }
  }

  private static ChatRequest request() {
    return ChatRequest.builder().model("gpt-4o-mini").addUser("Capital of France?")
        .maxTokens(100).temperature(0.2)
        .context(RequestContext.builder().feature("quiz").tenant("acme").build())
        .build();
  }

  private Kiai kiai(ChatModel model) {
    return Kiai.builder().model(model).meterRegistry(registry).openTelemetry(otel).build();
  }

  private SpanData onlySpan() {
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
    return spans.getFinishedSpanItems().get(0);
  }

  private Timer duration(String errorType) {
    return registry.get(GEN_AI_CLIENT_OPERATION_DURATION).tag(ERROR_TYPE, errorType).timer();
  }

  private DistributionSummary tokens(String type) {
    return registry.get(GEN_AI_CLIENT_TOKEN_USAGE).tag(GEN_AI_TOKEN_TYPE, type).summary();
  }

  @Test
  void blockingCallRecordsSpanAndMeters() {
    try (Kiai kiai = kiai(new FakeModel())) {
      ChatResponse response = kiai.chat(request());
      assertThat(response.cost().total()).isEqualByComparingTo("0.00045");
      assertThat(response.trace().find(Kiai.MODEL_STAGE)).isPresent();
    }

    SpanData span = onlySpan();
    assertThat(span.getName()).isEqualTo("chat gpt-4o-mini");
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo("dev.kiai.core");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    var a = span.getAttributes();
    assertThat(a.get(stringKey("gen_ai.operation.name"))).isEqualTo("chat");
    assertThat(a.get(stringKey("gen_ai.provider.name"))).isEqualTo("openai");
    assertThat(a.get(stringKey("gen_ai.request.model"))).isEqualTo("gpt-4o-mini");
    assertThat(a.get(stringKey("gen_ai.response.model"))).isEqualTo(RESPONSE_MODEL);
    assertThat(a.get(stringKey("gen_ai.response.id"))).isEqualTo("chatcmpl-42");
    assertThat(a.get(longKey("gen_ai.usage.input_tokens"))).isEqualTo(1000L);
    assertThat(a.get(longKey("gen_ai.usage.output_tokens"))).isEqualTo(500L);
    assertThat(a.get(longKey("gen_ai.request.max_tokens"))).isEqualTo(100L);
    assertThat(a.get(doubleKey("gen_ai.request.temperature"))).isEqualTo(0.2);
    assertThat(a.get(stringArrayKey("gen_ai.response.finish_reasons"))).containsExactly("stop");
    assertThat(a.get(stringKey("kiai.feature"))).isEqualTo("quiz");
    assertThat(a.get(stringKey("kiai.tenant"))).isEqualTo("acme");
    assertThat(a.get(stringKey("error.type"))).isNull();
    assertThat(a.get(doubleKey("gen_ai.response.time_to_first_chunk"))).isNull();
    assertThat(span.getEvents()).isEmpty();

    Timer timer = registry.get(GEN_AI_CLIENT_OPERATION_DURATION)
        .tag(GEN_AI_OPERATION_NAME, "chat").tag(GEN_AI_PROVIDER_NAME, "openai")
        .tag(GEN_AI_REQUEST_MODEL, "gpt-4o-mini").tag(GEN_AI_RESPONSE_MODEL, RESPONSE_MODEL)
        .tag(ERROR_TYPE, "none").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.SECONDS)).isPositive();
    assertThat(tokens("input").count()).isEqualTo(1);
    assertThat(tokens("input").totalAmount()).isEqualTo(1000.0);
    assertThat(tokens("output").count()).isEqualTo(1);
    assertThat(tokens("output").totalAmount()).isEqualTo(500.0);
    assertThat(tokens("input").getId().getTag(GEN_AI_RESPONSE_MODEL)).isEqualTo(RESPONSE_MODEL);

    Counter cost = registry.get(KIAI_COST).tag(GEN_AI_PROVIDER_NAME, "openai")
        .tag(GEN_AI_RESPONSE_MODEL, RESPONSE_MODEL).tag(KIAI_CURRENCY, "USD").tag(KIAI_FEATURE, "quiz")
        .counter();
    assertThat(cost.count()).isCloseTo(COST, within(1e-12));
    assertThat(cost.getId().getTag(KIAI_TENANT)).as("tenant tagging is opt-in").isNull();
    assertThat(registry.find(GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK).meters()).isEmpty();
  }

  @Test
  void metersAccumulateAcrossCalls() {
    try (Kiai kiai = kiai(new FakeModel())) {
      kiai.chat(request());
      kiai.chat(request());
      kiai.chat(request().toBuilder().context(RequestContext.empty()).build());
    }
    assertThat(duration("none").count()).isEqualTo(3);
    assertThat(tokens("input").totalAmount()).isEqualTo(3000.0);
    assertThat(tokens("output").totalAmount()).isEqualTo(1500.0);
    assertThat(registry.get(KIAI_COST).tag(KIAI_FEATURE, "quiz").counter().count()).isCloseTo(2 * COST, within(1e-12));
    assertThat(registry.get(KIAI_COST).tag(KIAI_FEATURE, "none").counter().count()).isCloseTo(COST, within(1e-12));
    assertThat(spans.getFinishedSpanItems()).hasSize(3);
  }

  @Test
  void failureMarksSpanAndRethrowsTheSameException() {
    RateLimitedException limit = new RateLimitedException(
        "openai", "gpt-4o-mini", 429, "rate_limit_exceeded", "slow down", Duration.ofSeconds(2), false);
    ChatModel failing = new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        throw limit;
      }

      @Override
      public String provider() {
        return "openai";
      }

      @Override
      public String defaultModel() {
        return null;
      }
    };
    try (Kiai kiai = kiai(failing)) {
      assertThatThrownBy(() -> kiai.chat(request())).isSameAs(limit);
    }

    SpanData span = onlySpan();
    assertThat(span.getName()).isEqualTo("chat gpt-4o-mini");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(stringKey("error.type"))).isEqualTo("RateLimitedException");
    assertThat(span.getAttributes().get(stringKey("gen_ai.provider.name"))).isEqualTo("openai");
    assertThat(span.getAttributes().get(longKey("gen_ai.usage.input_tokens"))).isNull();
    assertThat(span.getEvents()).as("messages may quote the prompt: no exception event").isEmpty();

    Timer failed = registry.get(GEN_AI_CLIENT_OPERATION_DURATION).tag(ERROR_TYPE, "RateLimitedException")
        .tag(GEN_AI_PROVIDER_NAME, "openai").tag(GEN_AI_RESPONSE_MODEL, "unknown").timer();
    assertThat(failed.count()).isEqualTo(1);
    assertThat(registry.find(GEN_AI_CLIENT_TOKEN_USAGE).meters()).isEmpty();
    assertThat(registry.find(KIAI_COST).meters()).isEmpty();
  }

  @Test
  void streamingRecordsTimeToFirstChunkAndOutcome() {
    List<String> deltas = new ArrayList<>();
    AtomicReference<ChatResponse> completed = new AtomicReference<>();
    try (Kiai kiai = kiai(new FakeStreamingModel(null))) {
      kiai.stream(request(), new StreamListener() {
        @Override
        public void onText(String delta) {
          deltas.add(delta);
        }

        @Override
        public void onComplete(ChatResponse response) {
          completed.set(response);
        }

        @Override
        public void onError(Throwable error) {
          throw new AssertionError(error);
        }
      });
    }
    assertThat(deltas).containsExactly("Par", "is");
    assertThat(completed.get().cost().total()).isEqualByComparingTo("0.00045");

    SpanData span = onlySpan();
    assertThat(span.getName()).isEqualTo("chat gpt-4o-mini");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.getAttributes().get(longKey("gen_ai.usage.output_tokens"))).isEqualTo(500L);
    Double ttft = span.getAttributes().get(doubleKey("gen_ai.response.time_to_first_chunk"));
    assertThat(ttft).isNotNull().isGreaterThanOrEqualTo(0.0);

    Timer total = duration("none");
    Timer first = registry.get(GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK).tag(ERROR_TYPE, "none").timer();
    assertThat(total.count()).isEqualTo(1);
    assertThat(first.count()).isEqualTo(1);
    assertThat(first.totalTime(TimeUnit.NANOSECONDS)).isLessThanOrEqualTo(total.totalTime(TimeUnit.NANOSECONDS));
    assertThat(tokens("input").totalAmount()).isEqualTo(1000.0);
    assertThat(registry.get(KIAI_COST).counter().count()).isCloseTo(COST, within(1e-12));
  }

  @Test
  void streamingFailureIsRecordedAndPassedOnUnchanged() {
    RateLimitedException limit = new RateLimitedException(
        "openai", "gpt-4o-mini", 429, null, "slow down", null, false);
    AtomicReference<Throwable> error = new AtomicReference<>();
    try (Kiai kiai = kiai(new FakeStreamingModel(limit))) {
      kiai.stream(request(), new StreamListener() {
        @Override
        public void onComplete(ChatResponse response) {
          throw new AssertionError("must fail");
        }

        @Override
        public void onError(Throwable e) {
          error.set(e);
        }
      });
    }
    assertThat(error.get()).isSameAs(limit);
    SpanData span = onlySpan();
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(stringKey("error.type"))).isEqualTo("RateLimitedException");
    assertThat(duration("RateLimitedException").count()).isEqualTo(1);
    assertThat(registry.find(GEN_AI_CLIENT_TOKEN_USAGE).meters()).isEmpty();
  }

  @Test
  void streamDroppedByAnInterceptorEndsTheSpan() {
    LlmInterceptor dropper = new LlmInterceptor() {
      @Override
      public ChatResponse intercept(Chain chain) {
        return chain.proceed(chain.request());
      }

      @Override
      public void interceptStream(StreamChain chain) {
        // never proceeds, never completes
      }
    };
    AtomicReference<Throwable> error = new AtomicReference<>();
    try (Kiai kiai = Kiai.builder().model(new FakeStreamingModel(null)).openTelemetry(otel)
        .interceptor(dropper).build()) {
      kiai.stream(request(), new StreamListener() {
        @Override
        public void onComplete(ChatResponse response) {}

        @Override
        public void onError(Throwable e) {
          error.set(e);
        }
      });
    }
    assertThat(error.get()).isInstanceOf(IllegalStateException.class);
    assertThat(onlySpan().getAttributes().get(stringKey("error.type"))).isEqualTo("IllegalStateException");
  }

  @Test
  void telemetryIsOutermostAndItsSpanIsCurrentForLaterStages() {
    AtomicReference<String> seenSpanId = new AtomicReference<>();
    LlmInterceptor probe = chain -> {
      seenSpanId.set(Span.current().getSpanContext().getSpanId());
      return chain.proceed(chain.request());
    };
    try (Kiai kiai = Kiai.builder().model(new FakeModel()).interceptor(probe).openTelemetry(otel).build()) {
      assertThat(kiai.interceptors()).hasSize(2);
      assertThat(kiai.interceptors().get(0)).isInstanceOf(TelemetryInterceptor.class);
      assertThat(kiai.interceptors().get(1)).isSameAs(probe);
      kiai.chat(request());
    }
    assertThat(seenSpanId.get()).isEqualTo(onlySpan().getSpanId());
  }

  @Test
  void withoutRegistryOrTracerNoInterceptorIsAdded() {
    try (Kiai kiai = Kiai.builder().model(new FakeModel()).build()) {
      assertThat(kiai.interceptors()).isEmpty();
      assertThat(kiai.chat(request()).text()).isEqualTo("Paris");
    }
    try (Kiai metricsOnly = Kiai.builder().model(new FakeModel()).meterRegistry(registry).build()) {
      assertThat(metricsOnly.interceptors()).singleElement().isInstanceOf(TelemetryInterceptor.class);
      metricsOnly.chat(request());
    }
    assertThat(duration("none").count()).isEqualTo(1);
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void interceptorWithNothingConfiguredPassesThrough() {
    TelemetryInterceptor off = TelemetryInterceptor.builder().build();
    try (Kiai kiai = Kiai.builder().model(new FakeModel()).interceptor(off).build()) {
      assertThat(kiai.chat(request()).text()).isEqualTo("Paris");
    }
    assertThat(off.name()).isEqualTo("telemetry");
  }

  @Test
  void spanNamesUnknownWhenTheRequestNamesNoModel() {
    try (Kiai kiai = kiai(new FakeModel())) {
      kiai.chat("Hi");
    }
    SpanData span = onlySpan();
    assertThat(span.getName()).isEqualTo("chat unknown");
    assertThat(span.getAttributes().get(stringKey("gen_ai.request.model"))).isEqualTo("unknown");
    assertThat(span.getAttributes().get(stringKey("gen_ai.response.model"))).isEqualTo(RESPONSE_MODEL);
  }

  @Test
  void tenantTagIsOptIn() {
    TelemetryInterceptor telemetry = TelemetryInterceptor.builder().meterRegistry(registry).tagTenant(true).build();
    try (Kiai kiai = Kiai.builder().model(new FakeModel()).interceptor(telemetry).build()) {
      kiai.chat(request());
      kiai.chat(request().toBuilder().context(RequestContext.builder().feature("quiz").build()).build());
    }
    assertThat(registry.get(KIAI_COST).tag(KIAI_TENANT, "acme").counter().count()).isCloseTo(COST, within(1e-12));
    assertThat(registry.get(KIAI_COST).tag(KIAI_TENANT, "none").counter().count()).isCloseTo(COST, within(1e-12));
  }

  @Test
  void contentIsCapturedOnlyOnOptIn() {
    TelemetryInterceptor telemetry = TelemetryInterceptor.builder().openTelemetry(otel).captureContent(true).build();
    try (Kiai kiai = Kiai.builder().model(new FakeModel()).interceptor(telemetry).build()) {
      kiai.chat(ChatRequest.builder().model("gpt-4o-mini").addSystem("Be \"brief\".").addUser("Capital of France?").build());
    }
    SpanData span = onlySpan();
    assertThat(span.getEvents()).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("gen_ai.client.inference.operation.details");
      assertThat(e.getAttributes().get(stringKey("gen_ai.input.messages"))).isEqualTo(
          "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be \\\"brief\\\".\"}]},"
              + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Capital of France?\"}]}]");
      assertThat(e.getAttributes().get(stringKey("gen_ai.output.messages"))).isEqualTo(
          "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Paris\"}],"
              + "\"finish_reason\":\"stop\"}]");
    });
  }

  @Test
  void concurrentCallsAreAllCounted() throws Exception {
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try (Kiai kiai = kiai(new FakeModel())) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            kiai.chat(request());
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int calls = threads * perThread;
    assertThat(duration("none").count()).isEqualTo(calls);
    assertThat(tokens("output").totalAmount()).isEqualTo(500.0 * calls);
    assertThat(registry.get(KIAI_COST).counter().count()).isCloseTo(COST * calls, within(1e-9));
    assertThat(registry.find(GEN_AI_CLIENT_OPERATION_DURATION).timers()).hasSize(1);
    assertThat(Collections.frequency(spans.getFinishedSpanItems().stream().map(SpanData::getName).toList(),
        "chat gpt-4o-mini")).isEqualTo(calls);
  }
}
