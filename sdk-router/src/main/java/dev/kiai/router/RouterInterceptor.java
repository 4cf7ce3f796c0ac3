package dev.kiai.router;

import dev.kiai.core.LlmInterceptor;
import dev.kiai.core.StreamListener;
import dev.kiai.core.Trace;
import dev.kiai.core.budget.BudgetSignal;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ToolCallDelta;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.KiaiException;
import dev.kiai.core.error.RateLimitedException;
import dev.kiai.core.load.LoadSignal;
import dev.kiai.core.load.LoadSnapshot;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.pricing.PriceTable;
import dev.kiai.core.telemetry.TelemetryNames;
import dev.kiai.core.tokens.TokenCounter;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The router stage of the interceptor chain: asks its {@link RoutingPolicy} which model should answer,
 * adjusts the decision to the budget's {@link BudgetSignal}, a running {@link Canary} and each model's
 * load ({@link LoadSignal}), then calls the chosen model through resilience4j guards (circuit breaker,
 * retry honouring {@code Retry-After}, per-provider rate limiter, bulkhead, time limit from the request's
 * deadline) and falls back per {@link ErrorKind} as its {@link FallbackPolicy} says. A decision with a
 * verifier runs as a cascade. A configured {@link Shadow} gets an asynchronous copy.
 *
 * <p>Everything lands in the trace under the stage {@code router}: the decision with its policy,
 * reason, scores and fallbacks; budget, canary and load adjustments; every failed attempt and retry;
 * cascade verdicts. Each model call also records its own {@code model} entry (priced for the model that
 * actually ran), so a fallback or cascade shows every call that was charged.
 *
 * <p>Requests that name a model the catalog does not list pass through untouched; requests naming a
 * catalog model are pinned to it, with the policy's other choices as fallbacks, unless
 * {@link Builder#pinRequestedModel pinning} is off. Streaming requests are
 * routed the same way and fall back only while nothing has been streamed yet; they pass the circuit
 * breaker but are not retried or time-limited by the router.
 *
 * <pre>{@code
 * RouterInterceptor router = RouterInterceptor.builder()
 *     .catalog(ModelCatalog.of(PriceTable.bundled(), "gpt-4o-mini", "gpt-4.1"))
 *     .policy(RoutingPolicy.firstOf(
 *         RulesPolicy.of(Rule.named("legal").feature("legal").routeTo("gpt-4.1", "gpt-4o-mini")),
 *         RoutingPolicy.cheapestEligible()))
 *     .build();
 * Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big).interceptor(router).build();
 * }</pre>
 *
 * <p>Thread-safe; one instance serves all requests. {@link #close()} stops its executor threads.
 */
public final class RouterInterceptor implements LlmInterceptor, AutoCloseable {
  /** The trace stage of the router's entries. */
  public static final String STAGE = "router";

  private final ModelCatalog catalog;
  private final RoutingPolicy policy;
  private final FallbackPolicy fallbacks;
  private final Guards guards;
  private final TokenCounter tokens;
  private final LoadSignal loadSignal;
  private final double overflowAt;
  private final Canary canary;
  private final Shadow shadow;
  private final PriceTable prices;
  private final MeterRegistry meters;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final ExecutorService executor;
  private final boolean ownsExecutor;
  private final RoutingListener listener;
  private final boolean pinRequested;

  private RouterInterceptor(Builder b) {
    this.listener = b.listener;
    this.pinRequested = b.pinRequested;
    this.catalog = b.catalog;
    this.policy = b.policy;
    this.fallbacks = b.fallbacks;
    this.prices = b.prices == null ? PriceTable.bundled() : b.prices;
    this.tokens = b.tokens == null ? TokenCounter.create(prices) : b.tokens;
    this.loadSignal = b.loadSignal;
    this.overflowAt = b.overflowAt;
    this.canary = b.canary;
    this.shadow = b.shadow;
    this.meters = b.meters;
    this.ownsExecutor = b.executor == null;
    this.executor = ownsExecutor ? defaultExecutor() : b.executor;
    this.guards = new Guards(b.resilience, b.perModel, b.rateLimits, executor, b.clock);
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return STAGE;
  }

  /** @return the models this router chooses from */
  public ModelCatalog catalog() {
    return catalog;
  }

  /**
   * @param model a model id
   * @return that model's circuit breaker (created on first use), e.g. to read its state or metrics
   */
  public CircuitBreaker circuitBreaker(String model) {
    return guards.breaker(Objects.requireNonNull(model, "model"));
  }

  /**
   * Decides the route for a request without calling any model: the policy's decision adjusted for
   * pinning, budget signals, the canary and eligibility. Load is checked per attempt, not here.
   *
   * @param request a request
   * @return the decision the router would carry out, or empty for a pass-through request (it names a
   *     model outside the catalog)
   */
  public Optional<RouteDecision> decide(ChatRequest request) {
    Plan plan = plan(request, null);
    if (plan == null) {
      return Optional.empty();
    }
    RouteDecision d = plan.decision;
    if (plan.candidates.equals(d.candidates())) {
      return Optional.of(d);
    }
    return Optional.of(new RouteDecision(plan.candidates.get(0), plan.candidates.subList(1, plan.candidates.size()),
        d.reason() + "; ineligible models removed", d.scores(), d.policy(), d.verifier()));
  }

  @Override
  public ChatResponse intercept(Chain chain) {
    ChatRequest request = chain.request();
    Audit audit = listener == null ? null : new Audit(chain::record);
    Recorder rec = audit == null ? chain::record : audit;
    Plan plan = plan(request, rec);
    if (plan == null) {
      rec.record("pass-through", Map.of("model", request.model(), "reason", "model is not in the catalog"));
      notify(audit, request, null);
      return chain.proceed(request);
    }
    ChatResponse answer;
    try {
      answer = plan.decision.cascade() ? cascade(chain, plan, rec) : withFallbacks(chain, plan, rec);
    } catch (RuntimeException e) {
      count(plan.decision, "none", "failed");
      notify(audit, request, e);
      throw e;
    }
    count(plan.decision, answer.model(), plan.outcome);
    notify(audit, request, null);
    shadowCopy(plan.request, answer);
    return answer;
  }

  private void notify(Audit audit, ChatRequest request, Throwable error) {
    if (audit != null) {
      listener.onRouted(request, audit.entries(), error);
    }
  }

  /** Records into the trace and keeps a copy for the {@link RoutingListener}. */
  private static final class Audit implements Recorder {
    private final Recorder trace;
    private final List<Trace.Entry> entries = new ArrayList<>();

    Audit(Recorder trace) {
      this.trace = trace;
    }

    @Override
    public synchronized void record(String decision, Map<String, String> attributes) {
      entries.add(new Trace.Entry(STAGE, decision, attributes));
      trace.record(decision, attributes);
    }

    synchronized List<Trace.Entry> entries() {
      return List.copyOf(entries);
    }
  }

  @Override
  public void interceptStream(StreamChain chain) {
    ChatRequest request = chain.request();
    Plan plan = plan(request, chain::record);
    if (plan == null) {
      chain.record("pass-through", Map.of("model", request.model(), "reason", "model is not in the catalog"));
      chain.proceed(request, chain.listener());
      return;
    }
    List<String> candidates = plan.candidates;
    RuntimeException last = null;
    for (int i = 0; i < candidates.size(); i++) {
      String model = candidates.get(i);
      if (i < candidates.size() - 1 && overloaded(model, chain::record)) {
        continue;
      }
      CircuitBreaker breaker = guards.breaker(model);
      if (!breaker.tryAcquirePermission()) {
        chain.record("skipped " + model, Map.of("error", ErrorKind.CIRCUIT_OPEN.tag()));
        continue;
      }
      long start = breaker.getCurrentTimestamp();
      StreamAttempt attempt = new StreamAttempt(chain.listener());
      chain.proceed(plan.request.toBuilder().model(model).build(), attempt);
      long took = breaker.getCurrentTimestamp() - start;
      if (attempt.error == null) {
        breaker.onSuccess(took, breaker.getTimestampUnit());
        count(plan.decision, model, i == 0 ? "routed" : "fallback");
        return;
      }
      breaker.onError(took, breaker.getTimestampUnit(), attempt.error);
      ErrorKind kind = ErrorKind.of(attempt.error);
      recordFailure(chain::record, model, 1, kind, attempt.error);
      last = attempt.error instanceof RuntimeException re ? re : new IllegalStateException(attempt.error);
      Fallback f = fallbacks.on(kind);
      if (attempt.delivered || f.action() == Fallback.Action.FAIL) {
        break;
      }
    }
    count(plan.decision, "none", "failed");
    chain.listener().onError(last == null ? new ConfigurationException("no model could serve the request") : last);
  }

  /** Stops the router's own executor (timeouts, shadow copies, canary judging) if it created it. */
  @Override
  public void close() {
    if (ownsExecutor) {
      executor.shutdown();
    }
  }

  // --- planning ------------------------------------------------------------------------------------

  /** A decision ready to carry out. */
  private static final class Plan {
    final RouteDecision decision;
    final ChatRequest request;
    final List<String> candidates;
    final boolean canaryRoute;
    String outcome = "routed";

    Plan(RouteDecision decision, ChatRequest request, List<String> candidates, boolean canaryRoute) {
      this.decision = decision;
      this.request = request;
      this.candidates = candidates;
      this.canaryRoute = canaryRoute;
    }
  }

  /** Receives the router's trace entries (the chain's, or nothing when only deciding). */
  private interface Recorder {
    void record(String decision, Map<String, String> attributes);
  }

  private Plan plan(ChatRequest request, Recorder trace) {
    Recorder rec = trace == null ? (d, a) -> { } : trace;
    if (request.model() != null && !catalog.contains(request.model())) {
      return null;
    }
    RoutingInput input = RoutingInput.of(request, catalog, tokens);
    RouteDecision decision = policy.decide(input).map(d -> "unnamed".equals(d.policy()) ? d.withPolicy(policy.name()) : d)
        .or(() -> RoutingPolicy.cheapestEligible().decide(input))
        .orElseGet(() -> RouteDecision.to(catalog.ids().get(0), catalog.ids(),
            "no policy decided and no model is eligible; trying the catalog in order").withPolicy("catalog"));
    if (pinRequested && request.model() != null && !request.model().equals(decision.model())) {
      decision = decision.reroute(request.model(), "pinned: the request names " + request.model());
    }
    ChatRequest effective = request;
    Optional<BudgetSignal> budget = BudgetSignal.of(request.context());
    if (budget.isPresent()) {
      BudgetSignal s = budget.get();
      if (s.action() == BudgetSignal.Action.DOWNGRADE) {
        decision = downgrade(input, decision, s, rec);
      } else if (s.maxTokens() != null && (request.maxTokens() == null || request.maxTokens() > s.maxTokens())) {
        effective = request.toBuilder().maxTokens(s.maxTokens()).build();
        rec.record("budget shrink", Map.of("scope", s.scope(), "max_tokens", Integer.toString(s.maxTokens()),
            "was", String.valueOf(request.maxTokens())));
      }
      if (s.remainingUsd() != null && catalog.contains(decision.model())
          && input.estimatedCost(decision.model()).compareTo(s.remainingUsd()) > 0) {
        decision = downgrade(input, decision, s, rec);
      }
    }
    boolean canaryRoute = false;
    if (canary != null && catalog.contains(canary.model()) && !canary.model().equals(decision.model())
        && (request.model() == null || !pinRequested) && canary.selects(request.context())) {
      if (input.fits(canary.model())) {
        decision = decision.reroute(canary.model(), "canary " + String.format(Locale.ROOT, "%.1f%%", canary.percent())
            + " (bucket " + canary.bucket(request.context()) + ")");
        canaryRoute = true;
      }
    }
    List<String> candidates = new ArrayList<>();
    for (String m : decision.candidates()) {
      Optional<String> why = input.ineligibility(m);
      if (why.isPresent()) {
        rec.record("skipped " + m, Map.of("reason", why.get()));
      } else {
        candidates.add(m);
      }
    }
    if (candidates.isEmpty()) {
      candidates.add(decision.model());
    }
    if (trace == null) {
      return new Plan(decision, effective, List.copyOf(candidates), canaryRoute);
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("model", candidates.get(0));
    attrs.put("policy", decision.policy());
    attrs.put("reason", decision.reason());
    attrs.put("fallbacks", String.join(",", candidates.subList(1, candidates.size())));
    if (!decision.scores().isEmpty()) {
      attrs.put("scores", decision.scoresText());
    }
    if (decision.cascade()) {
      attrs.put("cascade", decision.verifier().name());
    }
    rec.record("routed to " + candidates.get(0), attrs);
    return new Plan(decision, effective, List.copyOf(candidates), canaryRoute);
  }

  private RouteDecision downgrade(RoutingInput input, RouteDecision decision, BudgetSignal s, Recorder rec) {
    String target = s.downgradeTo();
    if (target == null || !catalog.contains(target) || !input.fits(target)) {
      List<String> eligible = input.eligibleByCost();
      if (s.remainingUsd() != null) {
        List<String> affordable = eligible.stream()
            .filter(m -> input.estimatedCost(m).compareTo(s.remainingUsd()) <= 0).toList();
        eligible = affordable.isEmpty() ? eligible : affordable;
      }
      target = eligible.isEmpty() ? decision.model() : eligible.get(0);
    }
    BigDecimal targetCost = catalog.contains(target) ? input.estimatedCost(target) : null;
    List<String> cheaper = new ArrayList<>();
    for (String m : decision.candidates()) {
      if (!m.equals(target) && targetCost != null && catalog.contains(m)
          && input.estimatedCost(m).compareTo(targetCost) <= 0) {
        cheaper.add(m);
      }
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("scope", s.scope());
    attrs.put("from", decision.model());
    attrs.put("to", target);
    if (s.remainingUsd() != null) {
      attrs.put("remaining_usd", s.remainingUsd().toPlainString());
    }
    rec.record("budget downgrade", attrs);
    return decision.replace(target, cheaper, "budget " + s.action().name().toLowerCase(Locale.ROOT) + " for "
        + s.scope() + " (was " + decision.model() + ")");
  }

  // --- carrying out --------------------------------------------------------------------------------

  private ChatResponse withFallbacks(Chain chain, Plan plan, Recorder rec) {
    List<String> queue = new ArrayList<>(plan.candidates);
    RuntimeException last = null;
    for (int i = 0; i < queue.size(); i++) {
      String model = queue.get(i);
      if (i < queue.size() - 1 && overloaded(model, rec)) {
        plan.outcome = "overflow";
        continue;
      }
      try {
        ChatResponse r = attempt(chain, plan.request, model, rec);
        if (r.finishReason() == FinishReason.CONTENT_FILTER && r.text().isBlank()) {
          Fallback f = fallbacks.on(ErrorKind.CONTENT_POLICY);
          rec.record("content filtered by " + model, Map.of("error", ErrorKind.CONTENT_POLICY.tag(),
              "fallback", f.action().name().toLowerCase(Locale.ROOT)));
          if (f.action() == Fallback.Action.FAIL || !advance(queue, i, model, f)) {
            finishCanary(plan, model, r, null);
            return r;
          }
          plan.outcome = "fallback";
          continue;
        }
        finishCanary(plan, model, r, null);
        if (i > 0 && !"overflow".equals(plan.outcome)) {
          plan.outcome = "fallback";
        }
        return r;
      } catch (RuntimeException e) {
        finishCanary(plan, model, null, e);
        last = e;
        ErrorKind kind = ErrorKind.of(e);
        Fallback f = fallbacks.on(kind);
        recordFailure(rec, model, guards.config(model).maxAttempts(), kind, e);
        if (f.action() == Fallback.Action.FAIL || !advance(queue, i, model, f)) {
          throw e;
        }
        plan.outcome = "fallback";
      }
    }
    throw last != null ? last : new ConfigurationException("every candidate model was overloaded");
  }

  /**
   * Arranges the queue so that the entry after {@code i} is the one the fallback asks for.
   *
   * @return false when no such entry exists
   */
  private boolean advance(List<String> queue, int i, String failed, Fallback f) {
    switch (f.action()) {
      case NEXT:
        return i + 1 < queue.size();
      case ALTERNATE:
        queue.remove(f.model());
        queue.add(i + 1, f.model());
        return true;
      case LARGER_CONTEXT: {
        int window = catalog.find(failed).map(ModelInfo::contextWindow).orElse(0);
        for (int j = i + 1; j < queue.size(); j++) {
          int w = catalog.find(queue.get(j)).map(ModelInfo::contextWindow).orElse(0);
          if (w > window) {
            String m = queue.remove(j);
            queue.add(i + 1, m);
            return true;
          }
        }
        for (String m : catalog.ids()) {
          if (!queue.contains(m) && catalog.find(m).get().contextWindow() > window) {
            queue.add(i + 1, m);
            return true;
          }
        }
        return false;
      }
      default:
        return false;
    }
  }

  private ChatResponse attempt(Chain chain, ChatRequest request, String model, Recorder rec) {
    ChatRequest routed = model.equals(request.model()) ? request : request.toBuilder().model(model).build();
    String provider = catalog.find(model).map(ModelInfo::provider).orElse(null);
    return guards.call(model, provider, request.context().deadline(), () -> chain.proceed(routed),
        (n, error, wait) -> {
          Map<String, String> a = new LinkedHashMap<>();
          a.put("attempt", Integer.toString(n));
          a.put("error", ErrorKind.of(error).tag());
          a.put("wait_ms", Long.toString(wait.toMillis()));
          if (error instanceof RateLimitedException r && r.retryAfter().isPresent()) {
            a.put("retry_after_ms", Long.toString(r.retryAfter().get().toMillis()));
          }
          rec.record("retrying " + model, a);
        });
  }

  private ChatResponse cascade(Chain chain, Plan plan, Recorder rec) {
    Verifier verifier = plan.decision.verifier();
    List<ChatResponse> charged = new ArrayList<>();
    List<String> queue = plan.candidates;
    RuntimeException last = null;
    for (int i = 0; i < queue.size(); i++) {
      String model = queue.get(i);
      ChatResponse answer;
      try {
        answer = attempt(chain, plan.request, model, rec);
      } catch (RuntimeException e) {
        last = e;
        ErrorKind kind = ErrorKind.of(e);
        recordFailure(rec, model, guards.config(model).maxAttempts(), kind, e);
        if (fallbacks.on(kind).action() == Fallback.Action.FAIL) {
          throw e;
        }
        continue;
      }
      charged.add(answer);
      if (i == queue.size() - 1) {
        rec.record("cascade accepted " + model, Map.of("verifier", verifier.name(),
            "reason", "last model of the cascade: accepted without verification"));
        plan.outcome = charged.size() == 1 ? "routed" : "escalated";
        return combine(charged);
      }
      ChatRequest routed = plan.request.toBuilder().model(model).build();
      Verifier.Verdict verdict = verifier.verify(routed, answer, r -> {
        ChatResponse extra = chain.proceed(r);
        charged.add(extra);
        return extra;
      });
      Map<String, String> a = new LinkedHashMap<>();
      a.put("verifier", verifier.name());
      a.put("score", String.format(Locale.ROOT, "%.3f", verdict.score()));
      a.put("reason", verdict.reason());
      if (verdict.accepted()) {
        rec.record("cascade accepted " + model, a);
        plan.outcome = charged.size() == 1 && i == 0 ? "routed" : "escalated";
        return combine(charged, answer);
      }
      a.put("escalate_to", queue.get(i + 1));
      rec.record("cascade rejected " + model, a);
      plan.outcome = "escalated";
    }
    if (last != null) {
      throw last;
    }
    throw new ConfigurationException("the cascade had no model to call");
  }

  /** The last answer, charged with every call of the cascade. */
  private static ChatResponse combine(List<ChatResponse> charged) {
    return combine(charged, charged.get(charged.size() - 1));
  }

  private static ChatResponse combine(List<ChatResponse> charged, ChatResponse answer) {
    if (charged.size() == 1) {
      return answer;
    }
    Usage usage = Usage.ZERO;
    Cost cost = null;
    Duration latency = Duration.ZERO;
    for (ChatResponse r : charged) {
      usage = usage.plus(r.usage());
      cost = cost == null ? r.cost() : cost.plus(r.cost());
      latency = latency.plus(r.latency());
    }
    return new ChatResponse(answer.id(), answer.message(), answer.finishReason(), usage, cost, answer.model(),
        answer.provider(), latency, answer.template(), answer.trace());
  }

  private boolean overloaded(String model, Recorder rec) {
    if (loadSignal == null) {
      return false;
    }
    Optional<LoadSnapshot> snap = loadSignal.current(model);
    if (snap.isEmpty()) {
      return false;
    }
    LoadSnapshot s = snap.get();
    if (s.healthy() && s.saturation() < overflowAt) {
      return false;
    }
    Map<String, String> a = new LinkedHashMap<>();
    a.put("healthy", Boolean.toString(s.healthy()));
    a.put("saturation", String.format(Locale.ROOT, "%.2f", s.saturation()));
    a.put("overflow_at", String.format(Locale.ROOT, "%.2f", overflowAt));
    a.put("queued", Integer.toString(s.queued()));
    rec.record("overflow from " + model, a);
    return true;
  }

  private static void recordFailure(Recorder rec, String model, int attempts, ErrorKind kind, Throwable e) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("error", kind.tag());
    a.put("exception", e.getClass().getSimpleName());
    if (e instanceof RateLimitedException r && r.retryAfter().isPresent()) {
      a.put("retry_after_ms", Long.toString(r.retryAfter().get().toMillis()));
    }
    a.put("max_attempts", Integer.toString(attempts));
    rec.record("failed " + model, a);
  }

  private void finishCanary(Plan plan, String model, ChatResponse answer, RuntimeException error) {
    if (!plan.canaryRoute || !model.equals(canary.model())) {
      return;
    }
    if (error != null) {
      canary.recordFailure();
      return;
    }
    Canary.Judge judge = canary.judge();
    if (judge == null) {
      canary.recordSuccess(Double.NaN);
      return;
    }
    ChatRequest request = plan.request;
    try {
      executor.execute(() -> {
        double score;
        try {
          score = judge.score(request, answer);
        } catch (RuntimeException e) {
          canary.recordFailure();
          return;
        }
        canary.recordSuccess(Math.max(0, Math.min(1, score)));
      });
    } catch (RejectedExecutionException e) {
      canary.recordSuccess(Double.NaN);
    }
  }

  private void shadowCopy(ChatRequest request, ChatResponse primary) {
    if (shadow == null || shadow.model().equals(primary.model()) || !shadow.samples(request.context().requestId())) {
      return;
    }
    ChatRequest copy = request.toBuilder().model(shadow.model()).build();
    try {
      executor.execute(() -> {
        long start = System.nanoTime();
        ShadowComparison c;
        try {
          ChatResponse r = shadow.candidate().chat(copy);
          Cost cost = r.cost().known() ? r.cost() : prices.cost(r.model(), r.usage());
          c = new ShadowComparison(request.context().requestId(), primary.model(), shadow.model(),
              Math.max(0, Math.min(1, shadow.agreement(primary, r))), primary.latency(),
              Duration.ofNanos(System.nanoTime() - start), cost.known() ? cost.total() : null, r.text(), null);
        } catch (RuntimeException e) {
          c = new ShadowComparison(request.context().requestId(), primary.model(), shadow.model(), 0,
              primary.latency(), Duration.ofNanos(System.nanoTime() - start), null, "",
              e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        shadow.sink().accept(c);
      });
    } catch (RejectedExecutionException e) {
      // a saturated executor drops the copy: shadowing must never slow the real request
      count(null, shadow.model(), "shadow_dropped");
    }
  }

  private void count(RouteDecision decision, String model, String outcome) {
    if (meters == null) {
      return;
    }
    String policyName = decision == null ? "shadow" : decision.policy();
    String key = policyName + '|' + model + '|' + outcome;
    counters.computeIfAbsent(key, k -> Counter.builder(TelemetryNames.KIAI_ROUTER_DECISIONS)
        .description("Routing decisions by policy, model that answered and outcome")
        .tag("policy", policyName)
        .tag(TelemetryNames.GEN_AI_RESPONSE_MODEL, model)
        .tag("outcome", outcome)
        .register(meters)).increment();
  }

  private static ExecutorService defaultExecutor() {
    AtomicInteger n = new AtomicInteger();
    // core == max with core timeout: threads are added up to 64 before anything queues, so a call stuck
    // past its time limit never delays the next one
    ThreadPoolExecutor pool = new ThreadPoolExecutor(64, 64, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024),
        r -> {
          Thread t = new Thread(r, "kiai-router-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Forwards a streamed answer and remembers whether anything was delivered and how it ended. */
  private static final class StreamAttempt implements StreamListener {
    private final StreamListener delegate;
    volatile boolean delivered;
    volatile Throwable error;

    StreamAttempt(StreamListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onText(String delta) {
      delivered = true;
      delegate.onText(delta);
    }

    @Override
    public void onToolCall(ToolCallDelta delta) {
      delivered = true;
      delegate.onToolCall(delta);
    }

    @Override
    public void onComplete(ChatResponse response) {
      delegate.onComplete(response);
    }

    @Override
    public void onError(Throwable e) {
      error = e;
    }
  }

  /** Builds a {@link RouterInterceptor}. */
  public static final class Builder {
    private ModelCatalog catalog;
    private RoutingPolicy policy = RoutingPolicy.cheapestEligible();
    private FallbackPolicy fallbacks = FallbackPolicy.defaults();
    private ResilienceConfig resilience = ResilienceConfig.defaults();
    private final Map<String, ResilienceConfig> perModel = new HashMap<>();
    private final Map<String, RateLimiterConfig> rateLimits = new HashMap<>();
    private PriceTable prices;
    private TokenCounter tokens;
    private LoadSignal loadSignal;
    private double overflowAt = 0.9;
    private Canary canary;
    private Shadow shadow;
    private MeterRegistry meters;
    private ExecutorService executor;
    private Clock clock = Clock.systemUTC();
    private RoutingListener listener;
    private boolean pinRequested = true;

    private Builder() {}

    /**
     * Whether a request that names a catalog model is pinned to it (true, the default: the policy's other
     * choices become fallbacks) or routed like any other (false: the named model is ignored). Turn pinning
     * off when an earlier stage fills in a model for its own purposes, e.g. a budget stage configured with
     * a default model for its reservation.
     *
     * @param pin whether to pin
     * @return this
     */
    public Builder pinRequestedModel(boolean pin) {
      this.pinRequested = pin;
      return this;
    }

    /**
     * @param listener receives the router's trace entries of every request, also of failed ones (whose
     *     trace the caller never sees), e.g. for an audit log
     * @return this
     */
    public Builder listener(RoutingListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** @param catalog the models to choose from (required) @return this */
    public Builder catalog(ModelCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** @param policy decides the route; {@link RoutingPolicy#cheapestEligible()} by default @return this */
    public Builder policy(RoutingPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** @param fallbacks what to do per kind of failure @return this */
    public Builder fallbacks(FallbackPolicy fallbacks) {
      this.fallbacks = Objects.requireNonNull(fallbacks, "fallbacks");
      return this;
    }

    /** @param resilience guards for every model without its own @return this */
    public Builder resilience(ResilienceConfig resilience) {
      this.resilience = Objects.requireNonNull(resilience, "resilience");
      return this;
    }

    /**
     * @param model a model id
     * @param resilience guards for that model (e.g. a bulkhead for a local GPU)
     * @return this
     */
    public Builder resilience(String model, ResilienceConfig resilience) {
      perModel.put(Objects.requireNonNull(model, "model"), Objects.requireNonNull(resilience, "resilience"));
      return this;
    }

    /**
     * @param provider a provider name as the catalog's {@link ModelInfo#provider()} gives it
     * @param config its rate limiter, shared by all its models (see {@link ResilienceConfig#rateLimit})
     * @return this
     */
    public Builder rateLimit(String provider, RateLimiterConfig config) {
      rateLimits.put(Objects.requireNonNull(provider, "provider"), Objects.requireNonNull(config, "config"));
      return this;
    }

    /** @param prices prices shadow copies and counts tokens; bundled by default @return this */
    public Builder prices(PriceTable prices) {
      this.prices = Objects.requireNonNull(prices, "prices");
      return this;
    }

    /** @param tokens counts prompt tokens for eligibility and cost estimates @return this */
    public Builder tokenCounter(TokenCounter tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /**
     * @param loadSignal reports engine load; a model whose engine is unhealthy or at least
     *     {@code overflowAt} saturated is skipped while another candidate remains
     * @param overflowAt saturation 0..1 from which the router overflows to the next candidate
     * @return this
     */
    public Builder loadSignal(LoadSignal loadSignal, double overflowAt) {
      if (!(overflowAt >= 0 && overflowAt <= 1)) {
        throw new IllegalArgumentException("overflowAt must be within 0..1, was " + overflowAt);
      }
      this.loadSignal = Objects.requireNonNull(loadSignal, "loadSignal");
      this.overflowAt = overflowAt;
      return this;
    }

    /** @param canary a canary rollout of a new model (the model must be in the catalog) @return this */
    public Builder canary(Canary canary) {
      this.canary = Objects.requireNonNull(canary, "canary");
      return this;
    }

    /** @param shadow asynchronous copies to a candidate model @return this */
    public Builder shadow(Shadow shadow) {
      this.shadow = Objects.requireNonNull(shadow, "shadow");
      return this;
    }

    /** @param meters receives {@code kiai.router.decisions}; none by default @return this */
    public Builder meterRegistry(MeterRegistry meters) {
      this.meters = Objects.requireNonNull(meters, "meters");
      return this;
    }

    /**
     * @param executor runs time-limited calls, shadow copies and canary judging; by default the router
     *     owns a bounded pool of daemon threads, stopped by {@link RouterInterceptor#close()}
     * @return this
     */
    public Builder executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** @param clock the clock deadlines are measured with @return this */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @return the router
     * @throws ConfigurationException when no catalog is set, or the canary's model is not in it
     */
    public RouterInterceptor build() {
      if (catalog == null) {
        throw new ConfigurationException("catalog is required: the models the router chooses from");
      }
      if (canary != null && !catalog.contains(canary.model())) {
        throw new ConfigurationException("canary model '" + canary.model() + "' is not in the catalog "
            + catalog.ids());
      }
      return new RouterInterceptor(this);
    }
  }
}
