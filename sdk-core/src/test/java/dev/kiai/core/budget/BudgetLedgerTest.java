package dev.kiai.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.BudgetExceededException;
import dev.kiai.core.error.BudgetReservationException;
import dev.kiai.core.error.BudgetUnavailableException;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.telemetry.TelemetryNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BudgetLedgerTest {
  final MutableClock clock = new MutableClock("2026-05-04T10:15:00Z");

  BudgetLedger ledger(BudgetLimit... limits) {
    return BudgetLedger.builder().limits(BudgetLimits.of(ZoneId.of("UTC"), limits)).clock(clock).build();
  }

  static Charge.Builder charge(String model, long input, int max) {
    return Charge.builder().tenant("acme").user("u1").feature("summary").model(model).inputTokens(input).maxTokens(max);
  }

  @Test
  void reservesTheWorstCaseAndCommitsWhatTheCallCostCachedInputAtTheCachedPrice() {
    BudgetLedger ledger = ledger(BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("1.00").build());

    Reservation r = ledger.reserve(charge("gpt-4o-mini", 1000, 500).build());

    assertThat(r.decision()).isEqualTo(BudgetDecision.ADMIT);
    assertThat(r.model()).isEqualTo("gpt-4o-mini");
    assertThat(r.reservedUsd()).isEqualByComparingTo("0.00045"); // 1000 x 0.15/M + 500 x 0.60/M
    assertThat(r.reservedTokens()).isEqualTo(1500);
    assertThat(r.limits()).singleElement().satisfies(s -> {
      assertThat(s.scope()).isEqualTo("tenant:acme");
      assertThat(s.reservedUsd()).isEqualByComparingTo("0.00045");
      assertThat(s.remainingUsd()).isEqualByComparingTo("0.99955");
      assertThat(s.resetsAt()).isEqualTo(Instant.parse("2026-05-05T00:00:00Z"));
    });

    CommitReceipt c = ledger.commit(r, "gpt-4o-mini", new Usage(1000, 200, 400, 0, 0), null);

    // 600 x 0.15/M + 400 cached x 0.075/M + 200 x 0.60/M
    assertThat(c.usd()).isEqualByComparingTo("0.00024");
    assertThat(c.tokens()).isEqualTo(1200);
    assertThat(c.limits().get(0).spentUsd()).isEqualByComparingTo("0.00024");
    assertThat(c.limits().get(0).reservedUsd()).isEqualByComparingTo("0");
    assertThat(c.limits().get(0).remainingUsd()).isEqualByComparingTo("0.99976");
  }

  @Test
  void rejectsAtAHardCapNamingScopeLimitSpentReservedAndReset() {
    BudgetLedger ledger = ledger(
        BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("10").build(),
        BudgetLimit.builder().match("user", "*").window(Window.DAY).usd("0.001").build());
    ledger.reserve(charge("gpt-4o-mini", 1000, 500).build());
    Reservation second = ledger.reserve(charge("gpt-4o-mini", 1000, 500).build());
    ledger.commit(second, "gpt-4o-mini", Usage.of(1000, 100), null); // 0.00021

    assertThatThrownBy(() -> ledger.reserve(charge("gpt-4o-mini", 1000, 500).build()))
        .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
          assertThat(e.scope()).isEqualTo("user:u1");
          assertThat(e.window()).isEqualTo("day");
          assertThat(e.unit()).isEqualTo("USD");
          assertThat(e.limit()).isEqualByComparingTo("0.001");
          assertThat(e.spent()).isEqualByComparingTo("0.00021");
          assertThat(e.reserved()).isEqualByComparingTo("0.00045");
          assertThat(e.resetsAt()).isEqualTo(Instant.parse("2026-05-05T00:00:00Z"));
          assertThat(e.retryable()).isTrue();
        });
    // every user has a budget of their own; the tenant above has room
    Reservation otherUser = ledger.reserve(charge("gpt-4o-mini", 1000, 500).user("u2").build());
    assertThat(otherUser.limits()).extracting(LimitState::scope).containsExactly("tenant:acme", "user:u2");
  }

  @Test
  void aRequestIsChargedToEveryScopeOnItsPath() {
    BudgetLedger ledger = ledger(
        BudgetLimit.builder().window(Window.MONTH).usd("100").build(),
        BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("50").build(),
        BudgetLimit.builder().match("tenant", "acme").match("feature", "summary").window(Window.HOUR).tokens(1_000_000).build(),
        BudgetLimit.builder().match("tenant", "other").window(Window.DAY).usd("1").build(),
        BudgetLimit.builder().match("template", "support-reply").window(Window.DAY).tokens(10).build());

    Reservation r = ledger.reserve(charge("gpt-4o-mini", 1000, 500).build());
    CommitReceipt c = ledger.commit(r, "gpt-4o-mini", Usage.of(1000, 500), null);

    assertThat(c.limits()).extracting(LimitState::index).containsExactly(0, 1, 2);
    assertThat(c.limits()).extracting(LimitState::scope)
        .containsExactly("global", "tenant:acme", "tenant:acme/feature:summary");
    assertThat(c.limits().get(0).spentUsd()).isEqualByComparingTo("0.00045");
    assertThat(c.limits().get(1).spentUsd()).isEqualByComparingTo("0.00045");
    assertThat(c.limits().get(2).spentTokens()).isEqualTo(1500);
    assertThat(c.limits().get(2).remainingTokens()).isEqualTo(998_500);
    assertThatThrownBy(() -> ledger.reserve(charge("gpt-4o-mini", 5, 6).template("support-reply").build()))
        .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
          assertThat(e.scope()).isEqualTo("template:support-reply");
          assertThat(e.unit()).isEqualTo("tokens");
          assertThat(e.limit()).isEqualByComparingTo("10");
        });
  }

  @Test
  void downgradesToTheConfiguredModelWhenTheCapIsReached() {
    BudgetLedger ledger = ledger(BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("0.01")
        .policy(BudgetPolicy.DOWNGRADE).downgradeTo("gpt-4o-mini").build());

    Reservation first = ledger.reserve(charge("gpt-4o", 1000, 500).build()); // 0.0025 + 0.005
    Reservation second = ledger.reserve(charge("gpt-4o", 1000, 500).build());

    assertThat(first.decision()).isEqualTo(BudgetDecision.ADMIT);
    assertThat(first.reservedUsd()).isEqualByComparingTo("0.0075");
    assertThat(second.decision()).isEqualTo(BudgetDecision.DOWNGRADE);
    assertThat(second.model()).isEqualTo("gpt-4o-mini");
    assertThat(second.reservedUsd()).isEqualByComparingTo("0.00045");
    assertThat(second.trigger().scope()).isEqualTo("tenant:acme");
    assertThat(second.trigger().remainingUsd()).isEqualByComparingTo("0.0025");
    // when even the cheaper model does not fit, the request is rejected
    ledger.commit(first, "gpt-4o", Usage.of(1000, 500), null);
    ledger.reserve(charge("gpt-4o-mini", 1000, 3000).build()); // 0.00195 of the last 0.00205
    assertThatThrownBy(() -> ledger.reserve(charge("gpt-4o", 1000, 500).build()))
        .isInstanceOf(BudgetExceededException.class).hasMessageContaining("tenant:acme");
  }

  @Test
  void shrinksTheOutputLimitToWhatRemainsAndTrimsInputWhenEvenAShortAnswerDoesNotFit() {
    BudgetLedger tokens = ledger(BudgetLimit.builder().match("tenant", "acme").window(Window.HOUR).tokens(2800)
        .policy(BudgetPolicy.SHRINK).build());
    Reservation full = tokens.reserve(charge("gpt-4o-mini", 1000, 500).build());
    tokens.commit(full, "gpt-4o-mini", Usage.of(1000, 500), null);
    Reservation shrunk = tokens.reserve(charge("gpt-4o-mini", 1000, 500).build());
    assertThat(shrunk.decision()).isEqualTo(BudgetDecision.SHRINK);
    assertThat(shrunk.maxTokens()).isEqualTo(300);
    assertThat(shrunk.inputTokens()).isEqualTo(1000);
    assertThat(shrunk.reservedTokens()).isEqualTo(1300);

    BudgetLedger trim = ledger(BudgetLimit.builder().match("tenant", "acme").window(Window.HOUR).tokens(1000)
        .policy(BudgetPolicy.SHRINK).build());
    Reservation trimmed = trim.reserve(charge("gpt-4o-mini", 1200, 500).minInputTokens(300).build());
    assertThat(trimmed.decision()).isEqualTo(BudgetDecision.SHRINK);
    assertThat(trimmed.maxTokens()).isEqualTo(16);
    assertThat(trimmed.inputTokens()).isEqualTo(984);
    assertThat(trimmed.reservedTokens()).isEqualTo(1000);
    assertThatThrownBy(() -> trim.reserve(charge("gpt-4o-mini", 1200, 500).minInputTokens(300).build()))
        .isInstanceOf(BudgetExceededException.class);

    BudgetLedger money = ledger(BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("0.0005")
        .policy(BudgetPolicy.SHRINK).build());
    Reservation m = money.reserve(charge("gpt-4o-mini", 1000, 1000).build());
    assertThat(m.maxTokens()).isEqualTo(583); // (0.0005 - 0.00015) / 0.0000006
    assertThat(m.reservedUsd()).isEqualByComparingTo("0.0004998");
  }

  @Test
  void expiredReservationsStopHoldingBudgetAndLateOrRepeatedCommitsGetTypedErrors() {
    BudgetLedger ledger = BudgetLedger.builder().clock(clock).reservationTtl(Duration.ofMinutes(1))
        .limits(BudgetLimits.of(ZoneId.of("UTC"),
            BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("0.0006").build()))
        .build();
    Reservation crashed = ledger.reserve(charge("gpt-4o-mini", 1000, 500).build());
    assertThatThrownBy(() -> ledger.reserve(charge("gpt-4o-mini", 1000, 500).build()))
        .isInstanceOf(BudgetExceededException.class);

    clock.advance(Duration.ofSeconds(61));
    Reservation later = ledger.reserve(charge("gpt-4o-mini", 1000, 500).build());
    assertThat(later.limits().get(0).reservedUsd()).isEqualByComparingTo("0.00045");

    assertThatThrownBy(() -> ledger.commit(crashed, "gpt-4o-mini", Usage.of(100, 0), null))
        .isInstanceOfSatisfying(BudgetReservationException.class, e -> {
          assertThat(e.reason()).isEqualTo(BudgetReservationException.Reason.EXPIRED);
          assertThat(e.charged()).isTrue();
          assertThat(e.reservationId()).isEqualTo(crashed.id());
        });
    assertThat(ledger.report(Map.of("tenant", "acme"), Window.DAY).state().spentUsd()).isEqualByComparingTo("0.000015");

    ledger.commit(later, "gpt-4o-mini", Usage.of(1000, 10), null);
    assertThatThrownBy(() -> ledger.commit(later, "gpt-4o-mini", Usage.of(1000, 10), null))
        .isInstanceOfSatisfying(BudgetReservationException.class,
            e -> assertThat(e.reason()).isEqualTo(BudgetReservationException.Reason.UNKNOWN));
    assertThatThrownBy(() -> ledger.release(later))
        .isInstanceOfSatisfying(BudgetReservationException.class,
            e -> assertThat(e.reason()).isEqualTo(BudgetReservationException.Reason.UNKNOWN));
  }

  @Test
  void releaseGivesTheHoldBack() {
    BudgetLedger ledger = ledger(BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("0.0005").build());
    Reservation r = ledger.reserve(charge("gpt-4o-mini", 1000, 500).build());
    ledger.release(r);
    Reservation again = ledger.reserve(charge("gpt-4o-mini", 1000, 500).build());
    assertThat(again.limits().get(0).reservedUsd()).isEqualByComparingTo("0.00045");
  }

  @Test
  void reportsSpentReservedAndRemainingByModelAndFeature() {
    BudgetLedger ledger = ledger(BudgetLimit.builder().match("tenant", "*").window(Window.DAY).usd("1").build());
    ledger.commit(ledger.reserve(charge("gpt-4o", 1000, 500).build()), "gpt-4o-mini", Usage.of(1000, 500), null);
    ledger.commit(ledger.reserve(charge("gpt-4o", 1000, 500).feature("chat").build()), "gpt-4o", Usage.of(1000, 100), null);
    ledger.reserve(charge("gpt-4o-mini", 1000, 500).build());

    BudgetReport report = ledger.report(Map.of("tenant", "acme"), Window.DAY);

    assertThat(report.state().spentUsd()).isEqualByComparingTo("0.00395"); // 0.00045 + 0.0025 + 0.001
    assertThat(report.state().reservedUsd()).isEqualByComparingTo("0.00045");
    assertThat(report.state().remainingUsd()).isEqualByComparingTo("0.9956");
    assertThat(report.byModel()).containsOnlyKeys("gpt-4o-mini", "gpt-4o");
    assertThat(report.byModel().get("gpt-4o").usd()).isEqualByComparingTo("0.0035");
    assertThat(report.byModel().get("gpt-4o-mini").tokens()).isEqualTo(1500);
    assertThat(report.byFeature().get("summary").usd()).isEqualByComparingTo("0.00045");
    assertThat(report.byFeature().get("chat").usd()).isEqualByComparingTo("0.0035");
    assertThat(ledger.report(Map.of("tenant", "nobody"), Window.DAY).state().spentUsd()).isEqualByComparingTo("0");
    assertThatThrownBy(() -> ledger.report(Map.of("tenant", "acme"), Window.HOUR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no limit for scope {tenant=acme} and window hour; configured limits: [tenant=*|day]");
    assertThatThrownBy(() -> ledger.report(Map.of("team", "x"), Window.DAY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown scope name 'team'");
  }

  @Test
  void softThresholdEmitsOneEventAndMetersRemaining() {
    List<BudgetEvent> events = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BudgetLedger ledger = BudgetLedger.builder().clock(clock).listener(events::add).meterRegistry(registry)
        .limits(BudgetLimits.of(ZoneId.of("UTC"),
            BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("0.001").soft(0.5).build()))
        .build();
    for (int i = 0; i < 3; i++) {
      ledger.commit(ledger.reserve(charge("gpt-4o-mini", 0, 500).build()), "gpt-4o-mini", Usage.of(0, 500), null);
    }

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.scope()).isEqualTo("tenant:acme");
      assertThat(e.unit()).isEqualTo("USD");
      assertThat(e.cap()).isEqualByComparingTo("0.001");
      assertThat(e.spent()).isEqualByComparingTo("0.0006");
      assertThat(e.limitIndex()).isZero();
    });
    assertThat(registry.get(TelemetryNames.KIAI_BUDGET_SOFT_THRESHOLDS).counter().count()).isEqualTo(1.0);
    assertThat(registry.get(TelemetryNames.KIAI_BUDGET_REMAINING).tag(TelemetryNames.KIAI_BUDGET_SCOPE, "tenant:acme")
        .tag(TelemetryNames.KIAI_BUDGET_UNIT, "USD").gauge().value()).isEqualTo(0.0001, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(registry.get(TelemetryNames.KIAI_BUDGET_DECISIONS).tag(TelemetryNames.KIAI_BUDGET_DECISION, "admit")
        .counter().count()).isEqualTo(3.0);
  }

  @Test
  void rollingWindowsForgetSpendSlotBySlotAndCalendarWindowsReset() {
    BudgetLedger ledger = ledger(
        BudgetLimit.builder().match("tenant", "acme").window(Window.parse("rolling:PT1M")).tokens(100).build(),
        BudgetLimit.builder().match("user", "u1").window(Window.MINUTE).tokens(1000).build());
    clock.set("2026-05-04T10:15:00.500Z");
    ledger.commit(ledger.reserve(charge("x-local", 10, 50).build()), "x-local", Usage.of(10, 50), null);
    clock.set("2026-05-04T10:15:30Z");
    assertThatThrownBy(() -> ledger.reserve(charge("x-local", 10, 40).build()))
        .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
          assertThat(e.window()).isEqualTo("rolling:PT1M");
          assertThat(e.spent()).isEqualByComparingTo("60");
          assertThat(e.resetsAt()).isEqualTo(Instant.parse("2026-05-04T10:15:31Z"));
        });
    clock.set("2026-05-04T10:16:01Z");
    Reservation r = ledger.reserve(charge("x-local", 10, 40).build());
    assertThat(r.limits().get(0).spentTokens()).isZero();
    assertThat(r.limits().get(1).spentTokens()).isZero();
  }

  @Test
  void costPerOutcomeDividesAFeaturesSpendByItsOutcomes() {
    BudgetLedger ledger = ledger(BudgetLimit.builder().window(Window.DAY).usd("1").build());
    for (String id : List.of("r1", "r2", "r3")) {
      ledger.commit(ledger.reserve(charge("gpt-4o-mini", 0, 500).feature("support").requestId(id).build()),
          "gpt-4o-mini", Usage.of(0, 500), null);
    }
    ledger.recordOutcome("r1", "resolved");
    ledger.recordOutcome("r2", "resolved");
    ledger.recordOutcome("r3", "escalated");

    Map<String, OutcomeCost> costs = ledger.costPerOutcome("support");

    assertThat(costs).containsOnlyKeys("escalated", "resolved");
    OutcomeCost resolved = costs.get("resolved");
    assertThat(resolved.count()).isEqualTo(2);
    assertThat(resolved.attributedUsd()).isEqualByComparingTo("0.0006");
    assertThat(resolved.featureUsd()).isEqualByComparingTo("0.0009");
    assertThat(resolved.usdPerOutcome()).isEqualByComparingTo("0.00045");
    assertThat(ledger.costPerOutcome("other")).isEmpty();
    assertThatThrownBy(() -> ledger.recordOutcome("nope", "resolved"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no committed request with id 'nope'");
  }

  @Test
  void aStoreThatIsDownFailsClosedByDefaultOrOpenWhenConfigured() {
    BudgetStore down = new BudgetStore() {
      @Override
      public ReserveResult reserve(Reserve r) {
        throw new BudgetUnavailableException("test-store", "connection refused", null);
      }

      @Override
      public CommitResult commit(Commit c) {
        throw new BudgetUnavailableException("test-store", "connection refused", null);
      }

      @Override
      public boolean release(Reserve r, long nowMs) {
        throw new BudgetUnavailableException("test-store", "connection refused", null);
      }

      @Override
      public Snapshot read(Counter counter, long nowMs) {
        throw new BudgetUnavailableException("test-store", "connection refused", null);
      }
    };
    BudgetLimits limits = BudgetLimits.of(ZoneId.of("UTC"), BudgetLimit.builder().window(Window.DAY).usd("1").build());
    BudgetLedger closed = BudgetLedger.builder().limits(limits).store(down).build();
    assertThatThrownBy(() -> closed.reserve(charge("gpt-4o-mini", 1, 1).build()))
        .isInstanceOf(BudgetUnavailableException.class)
        .hasMessage("budget store test-store unavailable: connection refused");

    BudgetLedger open = BudgetLedger.builder().limits(limits).store(down).failOpen(true).build();
    Reservation r = open.reserve(charge("gpt-4o-mini", 1, 1).build());
    assertThat(r.unaccounted()).isTrue();
    assertThat(open.commit(r, "gpt-4o-mini", Usage.of(1, 1), null).usd()).isEqualByComparingTo("0.00000075");
  }

  @Test
  void aMoneyLimitNeedsAPricedModel() {
    BudgetLedger ledger = ledger(BudgetLimit.builder().window(Window.DAY).usd("1").build());
    assertThatThrownBy(() -> ledger.reserve(charge("my-unpriced-model", 1, 1).build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no price for model 'my-unpriced-model'");
    assertThatThrownBy(() -> BudgetLedger.builder().limits(BudgetLimits.of(ZoneId.of("UTC"),
        BudgetLimit.builder().window(Window.DAY).usd("1").policy(BudgetPolicy.DOWNGRADE).downgradeTo("nope").build())).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("downgrades to nope");
    assertThat(new BigDecimal("0.00000075")).isEqualByComparingTo(BudgetLedger.usd(750));
  }
}
