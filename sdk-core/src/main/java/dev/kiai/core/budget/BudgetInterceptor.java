package dev.kiai.core.budget;

import dev.kiai.core.LlmInterceptor;
import dev.kiai.core.RequestContext;
import dev.kiai.core.StreamListener;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Role;
import dev.kiai.core.chat.ToolCallDelta;
import dev.kiai.core.error.BudgetExceededException;
import dev.kiai.core.error.BudgetReservationException;
import dev.kiai.core.error.BudgetUnavailableException;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Puts a {@link BudgetLedger} on the request path: reserves each request's worst case before the call
 * (exact input tokens from the {@link TokenCounter}, {@code maxTokens} at the output price), sends it on
 * as the ledger decided, and commits the cost of the model that actually answered
 * ({@link ChatResponse#model()} and {@link ChatResponse#cost()}, so fallbacks and retries below are
 * charged as they ran), or releases the hold when the call fails.
 *
 * <p>As the ledger decided:
 * <ul>
 *   <li><b>admit</b>: the request goes on unchanged, except that a request without {@code maxTokens}
 *       gets the model's maximum output, the worst case reserved.
 *   <li><b>downgrade</b>: the request goes to the limit's {@code downgrade_to} model, marked with a
 *       {@link BudgetSignal} ({@link BudgetSignal#ATTRIBUTE}) so a router can pick the cheapest eligible
 *       model instead.
 *   <li><b>shrink</b>: {@code maxTokens} is lowered to what remains; if even a short answer does not
 *       fit, the oldest turns of the conversation are dropped (system messages and the newest message
 *       are kept) until the input fits; the request carries a {@link BudgetSignal}.
 *   <li><b>reject</b>: {@link BudgetExceededException}, the call is not made.
 * </ul>
 * Every decision and the commit are recorded in the response {@link dev.kiai.core.Trace} under stage
 * {@value #STAGE}. A commit that fails (store down, reservation expired) does not fail the answered
 * request: it is recorded in the trace and the hold lapses at expiry.
 *
 * <p>The request must name its model, or the interceptor must have a {@link Builder#defaultModel}.
 * Thread-safe.
 */
public final class BudgetInterceptor implements LlmInterceptor {
  /** Trace stage name. */
  public static final String STAGE = "budget";

  private final BudgetLedger ledger;
  private final TokenCounter tokens;
  private final String defaultModel;
  private final int defaultMaxTokens;

  private BudgetInterceptor(Builder b) {
    this.ledger = Objects.requireNonNull(b.ledger, "ledger");
    this.tokens = b.tokens == null ? TokenCounter.create(ledger.prices()) : b.tokens;
    this.defaultModel = b.defaultModel;
    this.defaultMaxTokens = b.defaultMaxTokens;
  }

  /**
   * @param ledger the ledger
   * @return an interceptor with default settings
   */
  public static BudgetInterceptor of(BudgetLedger ledger) {
    return builder().ledger(ledger).build();
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public ChatResponse intercept(Chain chain) {
    Admitted a = admit(chain.request(), chain::record);
    ChatResponse response;
    try {
      response = chain.proceed(a.request);
    } catch (RuntimeException e) {
      releaseQuietly(a.reservation, chain::record);
      throw e;
    }
    commit(a.reservation, response, chain::record);
    return response;
  }

  @Override
  public void interceptStream(StreamChain chain) {
    Admitted a;
    try {
      a = admit(chain.request(), chain::record);
    } catch (RuntimeException e) {
      chain.listener().onError(e);
      return;
    }
    StreamListener downstream = chain.listener();
    java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    StreamListener wrapped = new StreamListener() {
      @Override
      public void onText(String delta) {
        downstream.onText(delta);
      }

      @Override
      public void onToolCall(ToolCallDelta delta) {
        downstream.onToolCall(delta);
      }

      @Override
      public void onComplete(ChatResponse response) {
        if (ended.compareAndSet(false, true)) {
          commit(a.reservation, response, chain::record);
        }
        downstream.onComplete(response);
      }

      @Override
      public void onError(Throwable error) {
        if (ended.compareAndSet(false, true)) {
          releaseQuietly(a.reservation, chain::record);
        }
        downstream.onError(error);
      }
    };
    try {
      chain.proceed(a.request, wrapped);
    } catch (RuntimeException e) {
      wrapped.onError(e);
    }
  }

  /** Records trace entries. */
  private interface Recorder {
    void record(String decision, Map<String, String> attributes);
  }

  private record Admitted(ChatRequest request, Reservation reservation) {}

  private Admitted admit(ChatRequest request, Recorder trace) {
    String model = request.model() != null ? request.model() : defaultModel;
    if (model == null) {
      throw new ConfigurationException("BudgetInterceptor needs a model to price the request: set "
          + "ChatRequest.model or BudgetInterceptor.Builder.defaultModel");
    }
    ChatRequest counted = request.model() == null ? request.toBuilder().model(model).build() : request;
    int maxTokens = request.maxTokens() != null ? request.maxTokens() : maxOutput(model);
    long input = tokens.count(counted).tokens();
    long minInput = input;
    if (trimmable(request.messages())) {
      minInput = Math.min(input, tokens.count(counted.toBuilder().messages(minimal(request.messages())).build()).tokens());
    }
    RequestContext ctx = request.context();
    Charge charge = Charge.builder().requestId(ctx.requestId()).tenant(ctx.tenant()).user(ctx.user())
        .feature(ctx.feature()).template(ctx.template() == null ? null : ctx.template().id()).model(model)
        .inputTokens(input).minInputTokens(minInput).maxTokens(maxTokens).build();
    Reservation r;
    try {
      r = ledger.reserve(charge);
    } catch (BudgetExceededException e) {
      Map<String, String> a = new LinkedHashMap<>();
      a.put("scope", e.scope());
      a.put("window", e.window());
      a.put("unit", e.unit());
      a.put("limit", e.limit().toPlainString());
      a.put("spent", e.spent().toPlainString());
      a.put("reserved", e.reserved().toPlainString());
      trace.record("reject", a);
      throw e;
    }
    ChatRequest.Builder next = request.toBuilder().model(r.model()).maxTokens(r.maxTokens());
    if (r.inputTokens() < input) {
      next.messages(trim(counted, r.inputTokens()));
    }
    if (r.decision() != BudgetDecision.ADMIT && r.trigger() != null) {
      BudgetSignal signal = new BudgetSignal(r.decision() == BudgetDecision.DOWNGRADE
          ? BudgetSignal.Action.DOWNGRADE : BudgetSignal.Action.SHRINK, r.trigger().scope(),
          r.decision() == BudgetDecision.DOWNGRADE ? r.model() : null,
          r.decision() == BudgetDecision.SHRINK ? r.maxTokens() : null, r.trigger().remainingUsd());
      next.context(ctx.toBuilder().attribute(BudgetSignal.ATTRIBUTE, signal).build());
    }
    Map<String, String> a = new LinkedHashMap<>();
    a.put("reservation", r.id());
    a.put("model", r.model());
    if (!r.model().equals(model)) {
      a.put("requested_model", model);
    }
    a.put("max_tokens", Integer.toString(r.maxTokens()));
    if (r.maxTokens() != maxTokens) {
      a.put("requested_max_tokens", Integer.toString(maxTokens));
    }
    a.put("input_tokens", Long.toString(input));
    if (r.inputTokens() < input) {
      a.put("input_budget_tokens", Long.toString(r.inputTokens()));
    }
    a.put("reserved_usd", r.reservedUsd().toPlainString());
    a.put("reserved_tokens", Long.toString(r.reservedTokens()));
    if (r.trigger() != null) {
      a.put("trigger", r.trigger().scope() + " " + r.trigger().limit().window().label());
    }
    if (r.unaccounted()) {
      a.put("store", "unavailable; failing open");
    }
    addRemaining(a, r.limits());
    trace.record(r.decision().name().toLowerCase(Locale.ROOT), a);
    return new Admitted(next.build(), r);
  }

  private int maxOutput(String model) {
    return ledger.prices().find(model).map(ModelInfo::maxOutputTokens).filter(m -> m > 0).orElse(defaultMaxTokens);
  }

  private void commit(Reservation r, ChatResponse response, Recorder trace) {
    try {
      CommitReceipt c = ledger.commit(r, response.model(), response.usage(), response.cost());
      Map<String, String> a = new LinkedHashMap<>();
      a.put("reservation", r.id());
      a.put("model", c.model());
      a.put("charged_usd", c.usd().toPlainString());
      a.put("charged_tokens", Long.toString(c.tokens()));
      addRemaining(a, c.limits());
      trace.record("commit", a);
    } catch (BudgetReservationException | BudgetUnavailableException e) {
      trace.record("commit failed", Map.of("reservation", r.id(), "error", e.getMessage()));
    }
  }

  private void releaseQuietly(Reservation r, Recorder trace) {
    try {
      ledger.release(r);
      trace.record("release", Map.of("reservation", r.id()));
    } catch (BudgetReservationException | BudgetUnavailableException e) {
      trace.record("release failed", Map.of("reservation", r.id(), "error", e.getMessage()));
    }
  }

  private static void addRemaining(Map<String, String> a, List<LimitState> limits) {
    for (LimitState s : limits) {
      String key = "remaining " + s.scope() + " " + s.limit().window().label();
      StringBuilder v = new StringBuilder();
      if (s.remainingUsd() != null) {
        v.append(s.remainingUsd().toPlainString()).append(" USD");
      }
      if (s.remainingTokens() != null) {
        if (v.length() > 0) {
          v.append(", ");
        }
        v.append(s.remainingTokens()).append(" tokens");
      }
      a.put(key, v.toString());
    }
  }

  private static boolean trimmable(List<ChatMessage> messages) {
    int nonSystem = 0;
    for (ChatMessage m : messages) {
      if (m.role() != Role.SYSTEM) {
        nonSystem++;
      }
    }
    return nonSystem > 1;
  }

  /** System messages and the newest message. */
  private static List<ChatMessage> minimal(List<ChatMessage> messages) {
    List<ChatMessage> out = new ArrayList<>();
    for (int i = 0; i < messages.size() - 1; i++) {
      if (messages.get(i).role() == Role.SYSTEM) {
        out.add(messages.get(i));
      }
    }
    out.add(messages.get(messages.size() - 1));
    return out;
  }

  /**
   * Drops the oldest turns (a non-system message and the answers and tool results after it, so that the
   * history starts with a user message) until the request
   * counts at most {@code budget} tokens; keeps every system message and the newest message.
   */
  List<ChatMessage> trim(ChatRequest request, long budget) {
    List<ChatMessage> messages = new ArrayList<>(request.messages());
    while (tokens.count(request.toBuilder().messages(messages).build()).tokens() > budget) {
      int drop = -1;
      for (int i = 0; i < messages.size() - 1; i++) {
        if (messages.get(i).role() != Role.SYSTEM) {
          drop = i;
          break;
        }
      }
      if (drop < 0) {
        break;
      }
      messages.remove(drop);
      while (drop < messages.size() - 1 && messages.get(drop).role() != Role.USER
          && messages.get(drop).role() != Role.SYSTEM) {
        messages.remove(drop);
      }
    }
    return messages;
  }

  /** Builds a {@link BudgetInterceptor}; {@link #ledger} is required. */
  public static final class Builder {
    private BudgetLedger ledger;
    private TokenCounter tokens;
    private String defaultModel;
    private int defaultMaxTokens = 4096;

    private Builder() {}

    /** @param ledger the ledger @return this */
    public Builder ledger(BudgetLedger ledger) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      return this;
    }

    /** @param tokens counts input tokens; one over the ledger's price table by default @return this */
    public Builder tokenCounter(TokenCounter tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /** @param model the model of requests that name none (the Kiai default model's id) @return this */
    public Builder defaultModel(String model) {
      this.defaultModel = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * @param maxTokens the output limit reserved for requests without one whose model's maximum output
     *     is unknown (4096 by default)
     * @return this
     */
    public Builder defaultMaxTokens(int maxTokens) {
      if (maxTokens < 1) {
        throw new IllegalArgumentException("defaultMaxTokens must be >= 1, was " + maxTokens);
      }
      this.defaultMaxTokens = maxTokens;
      return this;
    }

    /** @return the interceptor */
    public BudgetInterceptor build() {
      if (ledger == null) {
        throw new ConfigurationException("BudgetInterceptor needs ledger(...)");
      }
      return new BudgetInterceptor(this);
    }
  }
}
