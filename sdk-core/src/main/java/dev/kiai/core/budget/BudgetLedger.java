package dev.kiai.core.budget;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.BudgetExceededException;
import dev.kiai.core.error.BudgetReservationException;
import dev.kiai.core.error.BudgetUnavailableException;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.pricing.ModelPrice;
import dev.kiai.core.pricing.PriceTable;
import dev.kiai.core.telemetry.TelemetryNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Token and money budgets with hard caps: every request {@linkplain #reserve reserves} its worst case
 * (exact input tokens at the input price plus {@code maxTokens} at the output price) on every limit
 * that applies to it, and is admitted only if all of them have room; afterwards it
 * {@linkplain #commit commits} what it actually cost, or {@linkplain #release releases} the hold on
 * failure. Reservations neither committed nor released lapse after {@link Builder#reservationTtl}.
 *
 * <pre>{@code
 * BudgetLedger ledger = BudgetLedger.builder()
 *     .limits(BudgetLimits.fromFile(Path.of("budgets.yaml")))
 *     .store(BudgetStore.inMemory())          // or RedisBudgetStore to share budgets across replicas
 *     .build();
 * Reservation r = ledger.reserve(Charge.builder().tenant("acme").model("gpt-4o").inputTokens(1200)
 *     .maxTokens(500).build());
 * // ... call r.model() with r.maxTokens() ...
 * ledger.commit(r, "gpt-4o", Usage.of(1200, 310), null);
 * }</pre>
 *
 * <p>At a hard cap the limit's {@link BudgetPolicy} decides: reject with a
 * {@link BudgetExceededException}, downgrade to a cheaper model, or shrink the output limit (and the
 * input, when the caller says its history can be trimmed). Soft thresholds emit a {@link BudgetEvent}
 * and count {@value TelemetryNames#KIAI_BUDGET_SOFT_THRESHOLDS}.
 *
 * <p>Thread-safe; build one per application and share it. {@link BudgetInterceptor} puts it on the
 * request path.
 */
public final class BudgetLedger {
  private static final BigDecimal NANOS = BigDecimal.valueOf(1_000_000_000L);
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  private final BudgetLimits limits;
  private final List<Rule> rules;
  private final BudgetStore store;
  private final PriceTable prices;
  private final Clock clock;
  private final long ttlMs;
  private final boolean failOpen;
  private final int shrinkMinTokens;
  private final BudgetListener listener;
  private final MeterRegistry registry;
  private final String idPrefix = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private final AtomicLong seq = new AtomicLong();
  private final ConcurrentHashMap<String, Rates> rates = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> decisionCounters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, GaugeValue> gauges = new ConcurrentHashMap<>();
  private final Cache<String, Spent> byRequest;
  private final ConcurrentHashMap<String, LongAdder> featureNanos = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<List<String>, Tally> outcomes = new ConcurrentHashMap<>();

  private BudgetLedger(Builder b) {
    this.limits = Objects.requireNonNull(b.limits, "limits");
    List<Rule> rs = new ArrayList<>();
    for (int i = 0; i < limits.limits().size(); i++) {
      rs.add(new Rule(i, limits.limits().get(i), limits.zone()));
    }
    this.rules = List.copyOf(rs);
    this.store = b.store == null ? BudgetStore.inMemory() : b.store;
    this.prices = b.prices == null ? PriceTable.bundled() : b.prices;
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.ttlMs = b.ttl.toMillis();
    this.failOpen = b.failOpen;
    this.shrinkMinTokens = b.shrinkMinTokens;
    this.listener = b.listener;
    this.registry = b.registry;
    this.byRequest = Caffeine.newBuilder().maximumSize(b.outcomeRequests).build();
    for (Rule r : rules) {
      if (r.limit.downgradeTo() != null && r.limit.usd() != null && prices.find(r.limit.downgradeTo()).isEmpty()) {
        throw new ConfigurationException("limit " + r.index + " (" + r.limit.id() + ") downgrades to "
            + r.limit.downgradeTo() + ", which the price table does not know");
      }
    }
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the limits this ledger enforces */
  public BudgetLimits limits() {
    return limits;
  }

  /** @return the price table used to price reservations and commits */
  public PriceTable prices() {
    return prices;
  }

  /** @return the store holding spent and reserved amounts */
  public BudgetStore store() {
    return store;
  }

  /**
   * Reserves the worst case of a request on every limit that applies to it.
   *
   * @param charge the request
   * @return the reservation: how to send the request, and what is held
   * @throws BudgetExceededException when a limit has no room and its policy cannot make the request fit
   * @throws BudgetUnavailableException when the store is unreachable and the ledger fails closed
   * @throws ConfigurationException when a money limit applies and the price table does not know the model
   */
  public Reservation reserve(Charge charge) {
    Objects.requireNonNull(charge, "charge");
    Instant now = charge.at() == null ? clock.instant() : charge.at();
    long nowMs = now.toEpochMilli();
    List<Rule> applicable = applicable(charge);
    boolean money = false;
    for (Rule r : applicable) {
      money |= r.limitNanos >= 0;
    }
    String model = charge.model();
    long input = charge.inputTokens();
    int maxTokens = charge.maxTokens();
    BudgetDecision decision = BudgetDecision.ADMIT;
    LimitState trigger = null;
    BudgetExceededException refusal = null;
    for (int attempt = 0; attempt < 4; attempt++) {
      Rates rate = rates(model, money);
      long tokens = input + maxTokens;
      long nanos = rate.in * input + rate.out * maxTokens;
      List<BudgetStore.Counter> counters = counters(applicable, charge, now);
      BudgetStore.Reserve reserve = new BudgetStore.Reserve(nextId(), nowMs, nowMs + ttlMs, tokens, nanos, counters);
      if (applicable.isEmpty()) {
        count(decision);
        return new Reservation(reserve.id(), decision, model, maxTokens, input, nanos, tokens,
            reserve.expiresAtMs(), null, List::of, false, charge, reserve, applicable);
      }
      BudgetStore.ReserveResult result;
      try {
        result = store.reserve(reserve);
      } catch (BudgetUnavailableException e) {
        if (!failOpen) {
          count("unavailable");
          throw e;
        }
        count("fail_open");
        return new Reservation(reserve.id(), decision, model, maxTokens, input, nanos, tokens,
            reserve.expiresAtMs(), trigger, List::of, true, charge, reserve, applicable);
      }
      if (result.admitted()) {
        count(decision);
        List<BudgetStore.Totals> totals = result.totals();
        return new Reservation(reserve.id(), decision, model, maxTokens, input, nanos, tokens,
            reserve.expiresAtMs(), trigger, () -> states(applicable, charge, counters, totals), false, charge,
            reserve, applicable);
      }
      int i = result.failedIndex();
      Rule rule = applicable.get(i);
      BudgetStore.Totals t = result.totals().get(i);
      LimitState state = state(rule, charge, counters.get(i), t);
      refusal = exceeded(rule, state, t, tokens, nanos);
      if (rule.limit.policy() == BudgetPolicy.DOWNGRADE) {
        String to = rule.limit.downgradeTo();
        if (to == null || to.equals(model)) {
          break;
        }
        model = to;
        decision = BudgetDecision.DOWNGRADE;
        trigger = state;
      } else if (rule.limit.policy() == BudgetPolicy.SHRINK) {
        long roomTokens = rule.limitTokens < 0 ? Long.MAX_VALUE : rule.limitTokens - t.spent().tokens()
            - t.reserved().tokens();
        long roomNanos = rule.limitNanos < 0 ? Long.MAX_VALUE : rule.limitNanos - t.spent().nanos()
            - t.reserved().nanos();
        long out = Math.min(maxTokens, fit(roomTokens, input, roomNanos, input * rate.in, rate.out));
        int floor = Math.min(shrinkMinTokens, maxTokens);
        long newInput = input;
        if (out < floor) {
          out = floor;
          long inTokens = roomTokens == Long.MAX_VALUE ? input : roomTokens - out;
          long inNanos = roomNanos == Long.MAX_VALUE || rate.in == 0 ? input
              : (roomNanos - out * rate.out) / rate.in;
          newInput = Math.min(input, Math.min(inTokens, inNanos));
          if (newInput < charge.minInputTokens()) {
            break;
          }
        }
        if (out >= maxTokens && newInput >= input) {
          break;
        }
        maxTokens = (int) out;
        input = newInput;
        decision = BudgetDecision.SHRINK;
        trigger = state;
      } else {
        break;
      }
    }
    count("reject");
    throw refusal;
  }

  /** Output tokens that fit both rooms after the input, or Long.MAX_VALUE when neither caps. */
  private static long fit(long roomTokens, long input, long roomNanos, long inputNanos, long outRate) {
    long byTokens = roomTokens == Long.MAX_VALUE ? Long.MAX_VALUE : roomTokens - input;
    long byNanos = roomNanos == Long.MAX_VALUE || outRate == 0 ? Long.MAX_VALUE : (roomNanos - inputNanos) / outRate;
    return Math.max(0, Math.min(byTokens, byNanos));
  }

  private BudgetExceededException exceeded(Rule rule, LimitState s, BudgetStore.Totals t, long tokens, long nanos) {
    boolean tokensOver = rule.limitTokens >= 0
        && t.spent().tokens() + t.reserved().tokens() + tokens > rule.limitTokens;
    if (tokensOver || rule.limitNanos < 0) {
      return new BudgetExceededException(s.scope(), rule.limit.window().label(), "tokens",
          BigDecimal.valueOf(rule.limitTokens), BigDecimal.valueOf(t.spent().tokens()),
          BigDecimal.valueOf(t.reserved().tokens()), s.resetsAt());
    }
    return new BudgetExceededException(s.scope(), rule.limit.window().label(), "USD", rule.limit.usd(),
        s.spentUsd(), s.reservedUsd(), s.resetsAt());
  }

  /**
   * Charges what a request actually cost, for the model that actually ran, and ends its reservation.
   *
   * @param reservation the reservation from {@link #reserve}
   * @param model the model that ran (a fallback's, when the router fell back)
   * @param usage tokens the call consumed (cached input charged at its cached price)
   * @param cost the call's cost when known (e.g. {@code ChatResponse.cost()}), else null to price
   *     {@code usage} for {@code model}, or, when the table does not know it, for the reserved model
   * @return what was charged and where every limit stands now
   * @throws BudgetReservationException when the reservation is unknown (already ended, or another
   *     ledger's) or had expired (then {@link BudgetReservationException#charged()} tells whether the
   *     spend was charged anyway)
   * @throws BudgetUnavailableException when the store is unreachable (the hold lapses at expiry)
   */
  public CommitReceipt commit(Reservation reservation, String model, Usage usage, Cost cost) {
    Objects.requireNonNull(reservation, "reservation");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(usage, "usage");
    Cost priced = cost != null && cost.known() ? cost : prices.cost(model, usage);
    if (!priced.known()) {
      priced = prices.cost(reservation.model(), usage);
    }
    long nanos = nanos(priced.total());
    long tokens = usage.totalTokens();
    Charge charge = reservation.charge;
    Instant now = charge.at() == null ? clock.instant() : charge.at();
    remember(charge, nanos);
    if (reservation.unaccounted() || reservation.rules.isEmpty()) {
      return new CommitReceipt(reservation.id(), model, tokens, nanos, List::of);
    }
    List<BudgetStore.Counter> counters = counters(reservation.rules, charge, now);
    BudgetStore.CommitResult result = store.commit(new BudgetStore.Commit(reservation.reserve, now.toEpochMilli(),
        counters, tokens, nanos, model, charge.feature()));
    if (result.status() == BudgetStore.CommitStatus.UNKNOWN) {
      boolean expired = now.toEpochMilli() > reservation.reserve.expiresAtMs();
      throw new BudgetReservationException(reservation.id(), expired
          ? BudgetReservationException.Reason.EXPIRED : BudgetReservationException.Reason.UNKNOWN, false);
    }
    List<BudgetStore.Totals> totals = result.totals();
    for (int i = 0; i < totals.size(); i++) {
      afterCommit(reservation.rules.get(i), charge, counters.get(i), totals.get(i), tokens, nanos, now);
    }
    if (result.status() == BudgetStore.CommitStatus.EXPIRED) {
      throw new BudgetReservationException(reservation.id(), BudgetReservationException.Reason.EXPIRED, true);
    }
    List<Rule> rules = reservation.rules;
    return new CommitReceipt(reservation.id(), model, tokens, nanos, () -> states(rules, charge, counters, totals));
  }

  /**
   * Ends a reservation without spend, e.g. when the call failed.
   *
   * @param reservation the reservation
   * @throws BudgetReservationException when the store does not know it (already ended, or expired and
   *     forgotten)
   * @throws BudgetUnavailableException when the store is unreachable (the hold lapses at expiry)
   */
  public void release(Reservation reservation) {
    Objects.requireNonNull(reservation, "reservation");
    if (reservation.unaccounted() || reservation.rules.isEmpty()) {
      return;
    }
    Instant now = reservation.charge.at() == null ? clock.instant() : reservation.charge.at();
    if (!store.release(reservation.reserve, now.toEpochMilli())) {
      boolean expired = now.toEpochMilli() > reservation.reserve.expiresAtMs();
      throw new BudgetReservationException(reservation.id(), expired
          ? BudgetReservationException.Reason.EXPIRED : BudgetReservationException.Reason.UNKNOWN, false);
    }
  }

  /**
   * @param charge a request (only its scopes and time matter)
   * @return every limit that applies to it and where it stands, in limit order
   * @throws BudgetUnavailableException when the store is unreachable
   */
  public List<LimitState> status(Charge charge) {
    Instant now = charge.at() == null ? clock.instant() : charge.at();
    List<Rule> applicable = applicable(charge);
    List<BudgetStore.Counter> counters = counters(applicable, charge, now);
    List<LimitState> out = new ArrayList<>();
    for (int i = 0; i < applicable.size(); i++) {
      BudgetStore.Snapshot s = store.read(counters.get(i), now.toEpochMilli());
      out.add(state(applicable.get(i), charge, counters.get(i), s.totals()));
    }
    return out;
  }

  /**
   * Where a scope stands in a window: spent, reserved, remaining, and spend by model and feature.
   *
   * @param scope concrete scope values, e.g. {@code Map.of("tenant", "acme")}; empty for global
   * @param window the window of a configured limit for exactly these scope names
   * @return the report as of now
   * @throws IllegalArgumentException when a scope name is unknown or no limit has these scope names and
   *     window (the message lists the configured limits)
   * @throws BudgetUnavailableException when the store is unreachable
   */
  public BudgetReport report(Map<String, String> scope, Window window) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(window, "window");
    Charge.Builder cb = Charge.builder().model("report").maxTokens(1);
    for (Map.Entry<String, String> e : scope.entrySet()) {
      if (!BudgetLimit.SCOPE_KEYS.contains(e.getKey())) {
        throw new IllegalArgumentException("unknown scope name '" + e.getKey() + "'; known: tenant, user, feature, template");
      }
      switch (e.getKey()) {
        case "tenant":
          cb.tenant(e.getValue());
          break;
        case "user":
          cb.user(e.getValue());
          break;
        case "feature":
          cb.feature(e.getValue());
          break;
        default:
          cb.template(e.getValue());
          break;
      }
    }
    Charge charge = cb.build();
    for (Rule r : rules) {
      if (r.limit.window().equals(window) && r.limit.match().keySet().equals(scope.keySet()) && r.matches(charge)) {
        Instant now = clock.instant();
        BudgetStore.Counter counter = r.counter(charge, now);
        BudgetStore.Snapshot s = store.read(counter, now.toEpochMilli());
        return new BudgetReport(state(r, charge, counter, s.totals()), spend(s.byModel()), spend(s.byFeature()));
      }
    }
    List<String> ids = rules.stream().map(r -> r.limit.id()).toList();
    throw new IllegalArgumentException("no limit for scope " + scope + " and window " + window.label()
        + "; configured limits: " + ids);
  }

  private static Map<String, BudgetReport.Spend> spend(Map<String, BudgetStore.Amount> m) {
    Map<String, BudgetReport.Spend> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, new BudgetReport.Spend(usd(v.nanos()), v.tokens())));
    return out;
  }

  /**
   * Records a business outcome (e.g. {@code resolved}, {@code converted}) against a request this ledger
   * committed, for {@link #costPerOutcome(String)}. Outcomes are kept in this process for the last
   * {@link Builder#outcomeRequests} committed requests.
   *
   * @param requestId the request's id ({@code RequestContext.requestId()})
   * @param outcome the outcome name
   * @throws IllegalArgumentException when the ledger has committed no request with that id (or has
   *     forgotten it)
   */
  public void recordOutcome(String requestId, String outcome) {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(outcome, "outcome");
    if (outcome.isBlank()) {
      throw new IllegalArgumentException("outcome must not be blank");
    }
    Spent s = byRequest.getIfPresent(requestId);
    if (s == null) {
      throw new IllegalArgumentException("no committed request with id '" + requestId + "'");
    }
    Tally t = outcomes.computeIfAbsent(List.of(s.feature, outcome), k -> new Tally());
    t.count.increment();
    t.nanos.add(s.nanos);
  }

  /**
   * @param feature a feature, or null for requests without one
   * @return cost per outcome of that feature, by outcome name (sorted)
   */
  public Map<String, OutcomeCost> costPerOutcome(String feature) {
    String f = feature == null ? "none" : feature;
    LongAdder total = featureNanos.get(f);
    long featureTotal = total == null ? 0 : total.sum();
    Map<String, OutcomeCost> out = new java.util.TreeMap<>();
    outcomes.forEach((k, t) -> {
      if (k.get(0).equals(f)) {
        long n = t.count.sum();
        BigDecimal per = n == 0 ? BigDecimal.ZERO
            : usd(featureTotal).divide(BigDecimal.valueOf(n), 9, RoundingMode.CEILING).stripTrailingZeros();
        out.put(k.get(1), new OutcomeCost(f, k.get(1), n, usd(t.nanos.sum()), usd(featureTotal), per));
      }
    });
    return out;
  }

  private void remember(Charge charge, long nanos) {
    String f = charge.feature() == null ? "none" : charge.feature();
    featureNanos.computeIfAbsent(f, k -> new LongAdder()).add(nanos);
    if (charge.requestId() != null) {
      byRequest.put(charge.requestId(), new Spent(f, nanos));
    }
  }

  private void afterCommit(Rule rule, Charge charge, BudgetStore.Counter counter, BudgetStore.Totals t, long tokens,
      long nanos, Instant now) {
    Double soft = rule.limit.soft();
    if (soft == null && registry == null) {
      return;
    }
    LimitState state = state(rule, charge, counter, t);
    if (soft != null) {
      if (rule.limitNanos >= 0) {
        long threshold = (long) Math.ceil(rule.limitNanos * soft);
        long after = t.spent().nanos();
        if (after >= threshold && after - nanos < threshold) {
          soft(rule, state, "USD", rule.limit.usd(), usd(after), now);
        }
      }
      if (rule.limitTokens >= 0) {
        long threshold = (long) Math.ceil(rule.limitTokens * soft);
        long after = t.spent().tokens();
        if (after >= threshold && after - tokens < threshold) {
          soft(rule, state, "tokens", BigDecimal.valueOf(rule.limitTokens), BigDecimal.valueOf(after), now);
        }
      }
    }
    if (registry != null && !rule.limit.perValue()) {
      if (state.remainingUsd() != null) {
        gauge(state.scope(), rule.limit.window().label(), "USD").value = state.remainingUsd().doubleValue();
      }
      if (state.remainingTokens() != null) {
        gauge(state.scope(), rule.limit.window().label(), "tokens").value = state.remainingTokens();
      }
    }
  }

  private void soft(Rule rule, LimitState state, String unit, BigDecimal cap, BigDecimal spent, Instant now) {
    if (registry != null) {
      Counter.builder(TelemetryNames.KIAI_BUDGET_SOFT_THRESHOLDS)
          .description("Budget limits whose spend crossed their soft threshold")
          .tag(TelemetryNames.KIAI_BUDGET_SCOPE, rule.limit.perValue() ? rule.pattern() : state.scope())
          .tag(TelemetryNames.KIAI_BUDGET_WINDOW, rule.limit.window().label())
          .tag(TelemetryNames.KIAI_BUDGET_UNIT, unit)
          .register(registry).increment();
    }
    if (listener != null) {
      listener.onEvent(new BudgetEvent(rule.index, rule.limit, state.scope(), unit, cap, spent, now));
    }
  }

  private GaugeValue gauge(String scope, String window, String unit) {
    return gauges.computeIfAbsent(scope + "|" + window + "|" + unit, k -> {
      GaugeValue v = new GaugeValue();
      Gauge.builder(TelemetryNames.KIAI_BUDGET_REMAINING, v, g -> g.value)
          .description("Budget left in the current window (USD or tokens)")
          .tag(TelemetryNames.KIAI_BUDGET_SCOPE, scope)
          .tag(TelemetryNames.KIAI_BUDGET_WINDOW, window)
          .tag(TelemetryNames.KIAI_BUDGET_UNIT, unit)
          .register(registry);
      return v;
    });
  }

  private void count(BudgetDecision d) {
    count(d.name().toLowerCase(Locale.ROOT));
  }

  private void count(String decision) {
    if (registry == null) {
      return;
    }
    decisionCounters.computeIfAbsent(decision, d -> Counter.builder(TelemetryNames.KIAI_BUDGET_DECISIONS)
        .description("Budget decisions: admit, downgrade, shrink, reject, fail_open, unavailable")
        .tag(TelemetryNames.KIAI_BUDGET_DECISION, d).register(registry)).increment();
  }

  private List<Rule> applicable(Charge charge) {
    List<Rule> out = new ArrayList<>(rules.size());
    for (Rule r : rules) {
      if (r.matches(charge)) {
        out.add(r);
      }
    }
    return out;
  }

  private static List<BudgetStore.Counter> counters(List<Rule> rules, Charge charge, Instant now) {
    List<BudgetStore.Counter> out = new ArrayList<>(rules.size());
    for (Rule r : rules) {
      out.add(r.counter(charge, now));
    }
    return out;
  }

  private List<LimitState> states(List<Rule> rules, Charge charge, List<BudgetStore.Counter> counters,
      List<BudgetStore.Totals> totals) {
    List<LimitState> out = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      out.add(state(rules.get(i), charge, counters.get(i), totals.get(i)));
    }
    return out;
  }

  private static LimitState state(Rule r, Charge charge, BudgetStore.Counter c, BudgetStore.Totals t) {
    BigDecimal spent = usd(t.spent().nanos());
    BigDecimal reserved = usd(t.reserved().nanos());
    BigDecimal remainingUsd = r.limitNanos < 0 ? null
        : usd(r.limitNanos - t.spent().nanos() - t.reserved().nanos());
    Long remainingTokens = r.limitTokens < 0 ? null
        : r.limitTokens - t.spent().tokens() - t.reserved().tokens();
    long resets = c.slotStartMs() + c.slotMs();
    return new LimitState(r.index, r.limit, r.scope(charge), spent, t.spent().tokens(), reserved,
        t.reserved().tokens(), remainingUsd, remainingTokens, Instant.ofEpochMilli(resets));
  }

  private Rates rates(String model, boolean money) {
    Rates r = rates.get(model);
    if (r != null) {
      return r;
    }
    ModelInfo info = prices.find(model).orElse(null);
    if (info == null) {
      if (money) {
        throw new ConfigurationException("a USD budget applies, but the price table has no price for model '"
            + model + "'; add it with PriceTable.overriddenBy(...)");
      }
      return new Rates(0, 0);
    }
    ModelPrice p = info.price();
    Rates computed = new Rates(perTokenNanos(p.input()), perTokenNanos(p.output()));
    rates.putIfAbsent(model, computed);
    return computed;
  }

  /** Nano-USD per token for a price per million tokens, rounded up (exact up to 3 decimals). */
  private static long perTokenNanos(BigDecimal perMillion) {
    return perMillion.multiply(THOUSAND).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  static long nanos(BigDecimal usd) {
    return usd.multiply(NANOS).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** @return the exact USD amount of a nano-USD count */
  static BigDecimal usd(long nanos) {
    if (nanos == 0) {
      return BigDecimal.ZERO;
    }
    return BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
  }

  private String nextId() {
    return idPrefix + "-" + Long.toString(seq.incrementAndGet(), 36);
  }

  /** Nano-USD per input and output token of one model. */
  private record Rates(long in, long out) {}

  private record Spent(String feature, long nanos) {}

  private static final class Tally {
    final LongAdder count = new LongAdder();
    final LongAdder nanos = new LongAdder();
  }

  private static final class GaugeValue {
    volatile double value = Double.NaN;
  }

  /** One limit, prepared for the hot path. */
  static final class Rule {
    final int index;
    final BudgetLimit limit;
    final long limitTokens;
    final long limitNanos;
    final String id;
    final String[] keys;
    final String[] values;
    final boolean perValue;
    final String fixedScope;
    final ZoneId zone;
    /** Counter keys of a one-key per-value limit by value; bounded so many distinct values cannot grow it. */
    private final ConcurrentHashMap<String, String> keys1 = new ConcurrentHashMap<>();
    private volatile Window.Slot cached;

    Rule(int index, BudgetLimit limit, ZoneId zone) {
      this.index = index;
      this.limit = limit;
      this.limitTokens = limit.tokens() == null ? -1 : limit.tokens();
      this.limitNanos = limit.usd() == null ? -1 : nanos(limit.usd());
      this.id = limit.id();
      this.keys = limit.match().keySet().toArray(new String[0]);
      this.values = limit.match().values().toArray(new String[0]);
      this.perValue = limit.perValue();
      this.fixedScope = perValue ? null : pattern();
      this.zone = zone;
    }

    String pattern() {
      if (keys.length == 0) {
        return "global";
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < keys.length; i++) {
        if (i > 0) {
          sb.append('/');
        }
        sb.append(keys[i]).append(':').append(values[i]);
      }
      return sb.toString();
    }

    boolean matches(Charge c) {
      for (int i = 0; i < keys.length; i++) {
        String v = c.scopeValue(keys[i]);
        if (v == null || !(values[i].equals("*") || values[i].equals(v))) {
          return false;
        }
      }
      return true;
    }

    String scope(Charge c) {
      if (fixedScope != null) {
        return fixedScope;
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < keys.length; i++) {
        if (i > 0) {
          sb.append('/');
        }
        sb.append(keys[i]).append(':').append(c.scopeValue(keys[i]));
      }
      return sb.toString();
    }

    BudgetStore.Counter counter(Charge c, Instant now) {
      String key;
      if (perValue && keys.length == 1) {
        String v = c.scopeValue(keys[0]);
        key = keys1.get(v);
        if (key == null) {
          key = id + '/' + BudgetLimit.escape(v);
          if (keys1.size() < 10_000) {
            keys1.put(v, key);
          }
        }
      } else if (perValue) {
        StringBuilder sb = new StringBuilder(id).append('/');
        for (int i = 0; i < keys.length; i++) {
          if (i > 0) {
            sb.append(',');
          }
          sb.append(BudgetLimit.escape(c.scopeValue(keys[i])));
        }
        key = sb.toString();
      } else {
        key = id;
      }
      Window.Slot s = slot(now);
      return new BudgetStore.Counter(key, limitTokens, limitNanos, s.startMs(), s.lengthMs(), s.slots());
    }

    private Window.Slot slot(Instant now) {
      long ms = now.toEpochMilli();
      Window.Slot s = cached;
      if (s != null && ms >= s.startMs() && ms < s.startMs() + s.lengthMs()) {
        return s;
      }
      s = limit.window().slotAt(now, zone);
      cached = s;
      return s;
    }
  }

  /** Builds a {@link BudgetLedger}; {@link #limits} is required. */
  public static final class Builder {
    private BudgetLimits limits;
    private BudgetStore store;
    private PriceTable prices;
    private Clock clock;
    private Duration ttl = Duration.ofMinutes(10);
    private boolean failOpen;
    private int shrinkMinTokens = 16;
    private BudgetListener listener;
    private MeterRegistry registry;
    private long outcomeRequests = 100_000;

    private Builder() {}

    /** @param limits the limits to enforce @return this */
    public Builder limits(BudgetLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** @param store where amounts live; {@link BudgetStore#inMemory()} by default @return this */
    public Builder store(BudgetStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** @param prices prices of reservations and commits; {@link PriceTable#bundled()} by default @return this */
    public Builder prices(PriceTable prices) {
      this.prices = Objects.requireNonNull(prices, "prices");
      return this;
    }

    /** @param clock the time windows are counted by; the UTC system clock by default @return this */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @param ttl how long a reservation holds budget if neither committed nor released; 10 minutes by
     *     default. Longer than the slowest call you allow.
     * @return this
     */
    public Builder reservationTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.toMillis() < 1) {
        throw new IllegalArgumentException("reservationTtl must be >= 1ms, was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * @param failOpen true to admit requests unaccounted when the store is unreachable; false (the
     *     default) to refuse them with a {@link BudgetUnavailableException}
     * @return this
     */
    public Builder failOpen(boolean failOpen) {
      this.failOpen = failOpen;
      return this;
    }

    /**
     * @param tokens the smallest output limit {@link BudgetPolicy#SHRINK} grants (16 by default); below
     *     it the input is trimmed, or the request rejected
     * @return this
     */
    public Builder shrinkMinTokens(int tokens) {
      if (tokens < 1) {
        throw new IllegalArgumentException("shrinkMinTokens must be >= 1, was " + tokens);
      }
      this.shrinkMinTokens = tokens;
      return this;
    }

    /** @param listener receives soft-threshold events, on the committing thread @return this */
    public Builder listener(BudgetListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * @param registry receives {@code kiai.budget.remaining} (limits without {@code "*"}),
     *     {@code kiai.budget.decisions} and {@code kiai.budget.soft_thresholds}
     * @return this
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** @param requests how many committed requests outcomes can be recorded against (100,000) @return this */
    public Builder outcomeRequests(long requests) {
      if (requests < 1) {
        throw new IllegalArgumentException("outcomeRequests must be >= 1, was " + requests);
      }
      this.outcomeRequests = requests;
      return this;
    }

    /**
     * @return the ledger
     * @throws ConfigurationException when a downgrade target has no price
     */
    public BudgetLedger build() {
      if (limits == null) {
        throw new ConfigurationException("BudgetLedger needs limits(...)");
      }
      return new BudgetLedger(this);
    }
  }
}
