package dev.kiai.core;

import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ToolCall;
import dev.kiai.core.chat.ToolCallDelta;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.pricing.PriceTable;
import dev.kiai.core.telemetry.TelemetryInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The entry point: turns a {@link ChatRequest} into a {@link ChatResponse} by passing it through the
 * configured {@link LlmInterceptor}s, in order, and then to the {@link ChatModel} the request names.
 * Every response comes back priced from the {@link PriceTable} and with a {@link Trace} of what each
 * stage decided.
 *
 * <pre>{@code
 * Kiai kiai = Kiai.builder()
 *     .model(OpenAiCompatibleChatModel.openAi(System.getenv("OPENAI_API_KEY"), "gpt-4o-mini"))
 *     .interceptor(myInterceptor)
 *     .build();
 * ChatResponse answer = kiai.chat(ChatRequest.of("Say hello"));
 * }</pre>
 *
 * <p>Thread-safe; build one per application and share it. {@link #close()} stops the threads used by
 * {@link #chatAsync}.
 */
public final class Kiai implements AutoCloseable {
  /** Trace stage recorded for the model call itself. */
  public static final String MODEL_STAGE = "model";

  private final ChatModel defaultModel;
  private final Map<String, ChatModel> modelsById;
  private final List<LlmInterceptor> interceptors;
  private final PriceTable prices;
  private final ExecutorService executor;
  private final boolean ownsExecutor;

  private Kiai(Builder b) {
    this.defaultModel = b.defaultModel;
    this.modelsById = Map.copyOf(b.modelsById);
    this.interceptors = chain(b);
    this.prices = b.prices == null ? PriceTable.bundled() : b.prices;
    this.ownsExecutor = b.executor == null;
    this.executor = ownsExecutor ? Executors.newCachedThreadPool(daemonThreads()) : b.executor;
  }

  /** Telemetry, when configured, goes first: its span and duration cover every other stage. */
  private static List<LlmInterceptor> chain(Builder b) {
    if (b.meterRegistry == null && b.openTelemetry == null) {
      return List.copyOf(b.interceptors);
    }
    List<LlmInterceptor> all = new ArrayList<>(b.interceptors.size() + 1);
    all.add(TelemetryInterceptor.builder()
        .meterRegistry(b.meterRegistry)
        .openTelemetry(b.openTelemetry)
        .build());
    all.addAll(b.interceptors);
    return List.copyOf(all);
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the price table used to price responses */
  public PriceTable prices() {
    return prices;
  }

  /** @return the interceptors in the order requests pass them */
  public List<LlmInterceptor> interceptors() {
    return interceptors;
  }

  /**
   * Sends a single user message.
   *
   * @param userText the message
   * @return the answer
   */
  public ChatResponse chat(String userText) {
    return chat(ChatRequest.of(userText));
  }

  /**
   * Sends a request through the interceptor chain to its model and blocks for the answer.
   *
   * @param request the request
   * @return the answer, priced and traced
   * @throws dev.kiai.core.error.KiaiException when any stage or the provider fails
   */
  public ChatResponse chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    TraceRecorder trace = new TraceRecorder();
    ChatResponse response = new BlockingChain(0, request, trace).proceed(request);
    return finish(request, response, trace);
  }

  /**
   * Like {@link #chat(ChatRequest)} on Kiai's executor.
   *
   * @param request the request
   * @return the answer, or a future failed with the {@link dev.kiai.core.error.KiaiException}
   */
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    return CompletableFuture.supplyAsync(() -> chat(request), executor);
  }

  /**
   * Streams the answer to {@code listener} through the interceptor chain. Blocks until the listener
   * has received completion or error; provider failures go to {@link StreamListener#onError}. A model
   * that cannot stream answers in one piece: one text delta, then completion.
   *
   * @param request the request
   * @param listener receives deltas and then the complete, priced and traced response
   */
  public void stream(ChatRequest request, StreamListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    TraceRecorder trace = new TraceRecorder();
    OnceListener outer = new OnceListener(
        forwarding(listener, response -> finish(request, response, trace), response -> { }, error -> { }));
    try {
      new StreamingChain(0, request, outer, trace).proceed(request, outer);
    } catch (RuntimeException e) {
      outer.onError(e);
    }
    if (!outer.done()) {
      outer.onError(new IllegalStateException(
          "the stream returned without completing; an interceptor dropped the listener"));
    }
  }

  /**
   * Streams on Kiai's executor.
   *
   * @param request the request
   * @param listener receives deltas and completion or error
   * @return completes with the final response, or exceptionally with the error
   */
  public CompletableFuture<ChatResponse> streamAsync(ChatRequest request, StreamListener listener) {
    CompletableFuture<ChatResponse> result = new CompletableFuture<>();
    executor.execute(() -> stream(request,
        forwarding(listener, response -> response, result::complete, result::completeExceptionally)));
    return result;
  }

  /** Stops the async executor if Kiai created it. Models are not closed: they belong to the caller. */
  @Override
  public void close() {
    if (ownsExecutor) {
      executor.shutdown();
    }
  }

  private ChatResponse finish(ChatRequest request, ChatResponse response, TraceRecorder trace) {
    ChatResponse r = response.withTrace(new Trace(concat(response.trace().entries(), trace.entries())));
    if (r.template() == null && request.context().template() != null) {
      r = r.withTemplate(request.context().template());
    }
    return r;
  }

  private static List<Trace.Entry> concat(List<Trace.Entry> a, List<Trace.Entry> b) {
    if (a.isEmpty()) {
      return b;
    }
    List<Trace.Entry> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  ChatModel resolve(ChatRequest request) {
    String id = request.model();
    if (id != null) {
      ChatModel m = modelsById.get(id);
      if (m != null) {
        return m;
      }
    }
    if (defaultModel != null) {
      return defaultModel;
    }
    throw new ConfigurationException("no model configured for " + (id == null ? "a request without a model"
        : "model '" + id + "'") + "; configured: " + modelsById.keySet());
  }

  private ChatResponse priceAndRecord(ChatModel model, ChatResponse r, long startNanos, TraceRecorder trace) {
    ChatResponse priced = r;
    if (!r.cost().known()) {
      Cost cost = prices.cost(r.model(), r.usage());
      priced = priced.withCost(cost);
    }
    if (r.latency().isZero()) {
      priced = priced.withLatency(Duration.ofNanos(System.nanoTime() - startNanos));
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("provider", priced.provider());
    attrs.put("model", priced.model());
    attrs.put("input_tokens", Long.toString(priced.usage().inputTokens()));
    attrs.put("cached_input_tokens", Long.toString(priced.usage().cachedInputTokens()));
    attrs.put("output_tokens", Long.toString(priced.usage().outputTokens()));
    attrs.put("cost_usd", priced.cost().total().stripTrailingZeros().toPlainString());
    attrs.put("priced_as", priced.cost().known() ? priced.cost().pricedAs() : "unknown");
    attrs.put("finish_reason", priced.finishReason().name().toLowerCase(java.util.Locale.ROOT));
    attrs.put("latency_ms", Long.toString(priced.latency().toMillis()));
    trace.add(MODEL_STAGE, "called " + model.provider() + "/" + priced.model(), attrs);
    return priced;
  }

  private final class BlockingChain implements LlmInterceptor.Chain {
    private final int index;
    private final ChatRequest request;
    private final TraceRecorder trace;

    private final String stage;

    BlockingChain(int index, ChatRequest request, TraceRecorder trace) {
      this.index = index;
      this.request = request;
      this.trace = trace;
      this.stage = index == 0 ? MODEL_STAGE : interceptors.get(index - 1).name();
    }

    @Override
    public ChatRequest request() {
      return request;
    }

    @Override
    public ChatResponse proceed(ChatRequest next) {
      Objects.requireNonNull(next, "request");
      if (index < interceptors.size()) {
        LlmInterceptor interceptor = interceptors.get(index);
        ChatResponse r = interceptor.intercept(new BlockingChain(index + 1, next, trace));
        return Objects.requireNonNull(r, () -> interceptor.name() + " returned a null response");
      }
      ChatModel model = resolve(next);
      long start = System.nanoTime();
      ChatResponse r = Objects.requireNonNull(model.chat(next), () -> model.provider() + " returned null");
      return priceAndRecord(model, r, start, trace);
    }

    @Override
    public void record(String decision, Map<String, String> attributes) {
      trace.add(stage, decision, attributes);
    }
  }

  private final class StreamingChain implements LlmInterceptor.StreamChain {
    private final int index;
    private final ChatRequest request;
    private final StreamListener listener;
    private final TraceRecorder trace;
    private final String stage;

    StreamingChain(int index, ChatRequest request, StreamListener listener, TraceRecorder trace) {
      this.index = index;
      this.request = request;
      this.listener = listener;
      this.trace = trace;
      this.stage = index == 0 ? MODEL_STAGE : interceptors.get(index - 1).name();
    }

    @Override
    public ChatRequest request() {
      return request;
    }

    @Override
    public StreamListener listener() {
      return listener;
    }

    @Override
    public void proceed(ChatRequest next, StreamListener nextListener) {
      Objects.requireNonNull(next, "request");
      Objects.requireNonNull(nextListener, "listener");
      if (index < interceptors.size()) {
        interceptors.get(index).interceptStream(new StreamingChain(index + 1, next, nextListener, trace));
        return;
      }
      ChatModel model = resolve(next);
      long start = System.nanoTime();
      StreamListener pricing = forwarding(nextListener, response -> priceAndRecord(model, response, start, trace),
          response -> { }, error -> { });
      if (model instanceof StreamingChatModel streaming) {
        streaming.stream(next, pricing);
        return;
      }
      ChatResponse whole;
      try {
        whole = model.chat(next);
      } catch (RuntimeException e) {
        pricing.onError(e);
        return;
      }
      if (!whole.text().isEmpty()) {
        pricing.onText(whole.text());
      }
      List<ToolCall> calls = whole.toolCalls();
      for (int i = 0; i < calls.size(); i++) {
        ToolCall c = calls.get(i);
        pricing.onToolCall(new ToolCallDelta(i, c.id(), c.name(), c.arguments()));
      }
      pricing.onComplete(whole);
    }

    @Override
    public void record(String decision, Map<String, String> attributes) {
      trace.add(stage, decision, attributes);
    }
  }

  /**
   * A listener that passes deltas to {@code target}, maps the completed response before handing it on,
   * and runs the after-hooks once {@code target} has seen the terminal event (even if it threw).
   */
  private static StreamListener forwarding(StreamListener target, UnaryOperator<ChatResponse> map,
      Consumer<ChatResponse> afterComplete, Consumer<Throwable> afterError) {
    return new StreamListener() {
      @Override
      public void onText(String delta) {
        target.onText(delta);
      }

      @Override
      public void onToolCall(ToolCallDelta delta) {
        target.onToolCall(delta);
      }

      @Override
      public void onComplete(ChatResponse response) {
        ChatResponse mapped = map.apply(response);
        try {
          target.onComplete(mapped);
        } finally {
          afterComplete.accept(mapped);
        }
      }

      @Override
      public void onError(Throwable error) {
        try {
          target.onError(error);
        } finally {
          afterError.accept(error);
        }
      }
    };
  }

  /** Collects trace entries of one request; interceptors may record from any thread. */
  private static final class TraceRecorder {
    private final List<Trace.Entry> entries = new ArrayList<>();

    synchronized void add(String stage, String decision, Map<String, String> attributes) {
      entries.add(new Trace.Entry(stage, decision, attributes));
    }

    synchronized List<Trace.Entry> entries() {
      return List.copyOf(entries);
    }
  }

  /** Guarantees the caller's listener sees exactly one terminal event. */
  private static final class OnceListener implements StreamListener {
    private final StreamListener delegate;
    private volatile boolean done;

    OnceListener(StreamListener delegate) {
      this.delegate = delegate;
    }

    boolean done() {
      return done;
    }

    @Override
    public void onText(String delta) {
      if (!done) {
        delegate.onText(delta);
      }
    }

    @Override
    public void onToolCall(ToolCallDelta delta) {
      if (!done) {
        delegate.onToolCall(delta);
      }
    }

    @Override
    public synchronized void onComplete(ChatResponse response) {
      if (!done) {
        done = true;
        delegate.onComplete(response);
      }
    }

    @Override
    public synchronized void onError(Throwable error) {
      if (!done) {
        done = true;
        delegate.onError(error instanceof CompletionException && error.getCause() != null
            ? error.getCause() : error);
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "kiai-async-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds a {@link Kiai}. */
  public static final class Builder {
    private ChatModel defaultModel;
    private final Map<String, ChatModel> modelsById = new LinkedHashMap<>();
    private final List<LlmInterceptor> interceptors = new ArrayList<>();
    private PriceTable prices;
    private ExecutorService executor;
    private MeterRegistry meterRegistry;
    private OpenTelemetry openTelemetry;

    private Builder() {}

    /**
     * @param model answers requests that name no model or a model not registered by id
     * @return this
     */
    public Builder model(ChatModel model) {
      this.defaultModel = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * @param modelId a model id requests may name
     * @param model the model that serves it
     * @return this
     */
    public Builder model(String modelId, ChatModel model) {
      modelsById.put(Objects.requireNonNull(modelId, "modelId"), Objects.requireNonNull(model, "model"));
      return this;
    }

    /**
     * @param interceptor appended to the chain; requests pass interceptors in the order added
     * @return this
     */
    public Builder interceptor(LlmInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /**
     * @param prices the table used to price responses; {@link PriceTable#bundled()} by default
     * @return this
     */
    public Builder prices(PriceTable prices) {
      this.prices = Objects.requireNonNull(prices, "prices");
      return this;
    }

    /**
     * @param executor runs {@link Kiai#chatAsync} and {@link Kiai#streamAsync}; by default Kiai owns a
     *     cached pool of daemon threads, shut down by {@link Kiai#close()}
     * @return this
     */
    public Builder executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Records GenAI meters of every call in {@code meterRegistry}: a {@link TelemetryInterceptor} with
     * default settings becomes the first interceptor. Without this and {@link #openTelemetry}, Kiai records no
     * telemetry at all. For non-default settings, add a {@link TelemetryInterceptor} yourself, first.
     *
     * @param meterRegistry receives the meters
     * @return this
     */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * Records a GenAI span for every call: a {@link TelemetryInterceptor} with default settings becomes
     * the first interceptor. Without this and {@link #meterRegistry}, Kiai records no telemetry at all.
     *
     * @param openTelemetry supplies the tracer
     * @return this
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * @return the configured instance
     * @throws ConfigurationException when no model is configured
     */
    public Kiai build() {
      if (defaultModel == null && modelsById.isEmpty()) {
        throw new ConfigurationException("Kiai needs at least one ChatModel: call model(...)");
      }
      return new Kiai(this);
    }
  }

}
