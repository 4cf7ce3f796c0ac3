package dev.kiai.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiai.core.budget.BudgetLedger;
import dev.kiai.core.budget.BudgetLimit;
import dev.kiai.core.budget.BudgetLimits;
import dev.kiai.core.budget.BudgetPolicy;
import dev.kiai.core.budget.BudgetReport;
import dev.kiai.core.budget.Charge;
import dev.kiai.core.budget.CommitReceipt;
import dev.kiai.core.budget.Reservation;
import dev.kiai.core.budget.Window;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.BudgetExceededException;
import dev.kiai.core.error.BudgetReservationException;
import dev.kiai.core.error.BudgetUnavailableException;
import dev.kiai.core.error.ConfigurationException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * Runs against a real Redis at {@code KIAI_REDIS_URL} ({@code .ci/run} starts one). Skipped when the
 * variable is unset, except under {@code CI=true}, where a missing Redis fails.
 */
class RedisBudgetStoreTest {
  static final ZoneId UTC = ZoneId.of("UTC");

  String url;
  String prefix;

  static String redisUrl() {
    String url = System.getenv("KIAI_REDIS_URL");
    if (url == null || url.isBlank()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("CI=true but KIAI_REDIS_URL is not set: the Redis budget tests must not be skipped in CI "
            + "(.ci/run starts redis-server and exports KIAI_REDIS_URL)");
      }
      Assumptions.abort("KIAI_REDIS_URL is not set: skipping the Redis budget tests "
          + "(run .ci/run, or start redis-server and export KIAI_REDIS_URL=redis://127.0.0.1:6379)");
    }
    return url;
  }

  @BeforeEach
  void setUp() {
    url = redisUrl();
    prefix = "kiai:test:" + UUID.randomUUID();
  }

  RedisBudgetStore store() {
    return RedisBudgetStore.builder().url(url).prefix(prefix).build();
  }

  static Charge.Builder charge(long input, int max) {
    return Charge.builder().tenant("acme").user("u1").feature("summary").model("gpt-4o-mini").inputTokens(input)
        .maxTokens(max);
  }

  @Test
  void reservesCommitsAndReportsLikeTheInMemoryStore() {
    try (RedisBudgetStore store = store()) {
      BudgetLedger ledger = BudgetLedger.builder().store(store).limits(BudgetLimits.of(UTC,
          BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("0.001").build(),
          BudgetLimit.builder().match("user", "*").window(Window.parse("rolling:PT1H")).tokens(100_000).build())).build();

      Reservation r = ledger.reserve(charge(1000, 500).build());
      assertThat(r.reservedUsd()).isEqualByComparingTo("0.00045");
      assertThat(r.limits().get(0).reservedUsd()).isEqualByComparingTo("0.00045");
      CommitReceipt c = ledger.commit(r, "gpt-4o-mini", new Usage(1000, 200, 400, 0, 0), null);
      assertThat(c.usd()).isEqualByComparingTo("0.00024");
      assertThat(c.limits().get(0).spentUsd()).isEqualByComparingTo("0.00024");
      assertThat(c.limits().get(0).reservedUsd()).isEqualByComparingTo("0");
      assertThat(c.limits().get(1).spentTokens()).isEqualTo(1200);
      ledger.commit(ledger.reserve(charge(1000, 500).feature("chat").build()), "llama3:8b", Usage.of(10, 10), null);
      Reservation open = ledger.reserve(charge(100, 100).build());

      BudgetReport report = ledger.report(Map.of("tenant", "acme"), Window.DAY);
      assertThat(report.state().spentUsd()).isEqualByComparingTo("0.0002475"); // 0.00024 + llama3:8b, unpriced, at the reserved gpt-4o-mini prices
      assertThat(report.state().reservedUsd()).isEqualByComparingTo(open.reservedUsd());
      assertThat(report.byModel()).containsOnlyKeys("gpt-4o-mini", "llama3:8b");
      assertThat(report.byModel().get("llama3:8b").tokens()).isEqualTo(20);
      assertThat(report.byFeature().get("chat").usd()).isEqualByComparingTo("0.0000075");
      assertThatThrownBy(() -> ledger.reserve(charge(1000, 2000).build()))
          .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
            assertThat(e.scope()).isEqualTo("tenant:acme");
            assertThat(e.spent()).isEqualByComparingTo("0.0002475");
          });
      ledger.release(open);
      assertThat(ledger.report(Map.of("tenant", "acme"), Window.DAY).state().reservedUsd()).isEqualByComparingTo("0");
    }
  }

  /**
   * Two ledgers with their own connection pools play two replicas sharing one Redis budget; 16 threads
   * each reserve random sizes and commit random actual spend. The committed total must stay within the
   * cap (it may never exceed it by more than one reservation; with actual spend at most the reservation
   * it does not exceed it at all) and every hold must be gone at the end.
   */
  @Test
  void twoReplicasWithSixteenThreadsEachNeverOverspendOneRedisBudget() throws Exception {
    BudgetLimits limits = BudgetLimits.of(UTC,
        BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("0.02").build(),
        BudgetLimit.builder().match("user", "*").window(Window.HOUR).tokens(25_000).build());
    try (RedisBudgetStore storeA = store(); RedisBudgetStore storeB = store()) {
      BudgetLedger a = BudgetLedger.builder().store(storeA).limits(limits).build();
      BudgetLedger b = BudgetLedger.builder().store(storeB).limits(limits).build();
      ExecutorService pool = Executors.newFixedThreadPool(32);
      CountDownLatch start = new CountDownLatch(1);
      AtomicLong committedNanos = new AtomicLong();
      AtomicLong admitted = new AtomicLong();
      AtomicLong maxReservation = new AtomicLong();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 32; t++) {
        BudgetLedger ledger = t % 2 == 0 ? a : b;
        int seed = t;
        futures.add(pool.submit(() -> {
          SplittableRandom rnd = new SplittableRandom(seed);
          start.await();
          int rejects = 0;
          while (rejects < 20) {
            Charge c = charge(100 + rnd.nextInt(3000), 50 + rnd.nextInt(1500)).user("u" + rnd.nextInt(3)).build();
            Reservation r;
            try {
              r = ledger.reserve(c);
            } catch (BudgetExceededException e) {
              rejects++;
              continue;
            }
            rejects = 0;
            admitted.incrementAndGet();
            maxReservation.accumulateAndGet(r.reservedUsd().movePointRight(9).longValueExact(), Math::max);
            CommitReceipt receipt = ledger.commit(r, "gpt-4o-mini", Usage.of(r.inputTokens(), rnd.nextInt(r.maxTokens() + 1)), null);
            committedNanos.addAndGet(receipt.usd().movePointRight(9).longValueExact());
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
      pool.shutdown();

      BudgetReport tenant = a.report(Map.of("tenant", "acme"), Window.DAY);
      assertThat(admitted.get()).isGreaterThan(20);
      assertThat(tenant.state().spentUsd()).isEqualByComparingTo(BigDecimal.valueOf(committedNanos.get(), 9));
      assertThat(tenant.state().spentUsd()).isLessThanOrEqualTo(new BigDecimal("0.02"));
      assertThat(tenant.state().spentUsd().subtract(new BigDecimal("0.02")))
          .isLessThanOrEqualTo(BigDecimal.valueOf(maxReservation.get(), 9));
      assertThat(tenant.state().reservedUsd()).isEqualByComparingTo("0");
      long userTokens = 0;
      for (int u = 0; u < 3; u++) {
        BudgetReport user = b.report(Map.of("user", "u" + u), Window.HOUR);
        assertThat(user.state().spentTokens()).isLessThanOrEqualTo(25_000);
        assertThat(user.state().reservedTokens()).isZero();
        userTokens += user.state().spentTokens();
      }
      assertThat(tenant.state().spentTokens()).isEqualTo(userTokens);
    }
  }

  @Test
  void spendSurvivesARestartOfTheLedgerAndWindowKeysExpire() {
    BudgetLimits limits = BudgetLimits.of(UTC, BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("1").build());
    try (RedisBudgetStore store = store()) {
      BudgetLedger first = BudgetLedger.builder().store(store).limits(limits).build();
      first.commit(first.reserve(charge(1000, 500).build()), "gpt-4o-mini", Usage.of(1000, 500), null);
    }
    try (RedisBudgetStore store = store(); JedisPooled jedis = new JedisPooled(java.net.URI.create(url))) {
      BudgetLedger restarted = BudgetLedger.builder().store(store).limits(limits).build();
      assertThat(restarted.report(Map.of("tenant", "acme"), Window.DAY).state().spentUsd()).isEqualByComparingTo("0.00045");
      List<String> slotKeys = new ArrayList<>(jedis.keys(prefix + ":s:*"));
      assertThat(slotKeys).hasSize(1);
      long ttl = jedis.pttl(slotKeys.get(0));
      assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofDays(1).plusMinutes(1).toMillis());
      assertThat(jedis.pttl(prefix + ":c:tenant=acme|day")).isPositive();
    }
  }

  @Test
  void expiredAndUnknownReservationsGetTypedErrors() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    try (RedisBudgetStore store = store()) {
      BudgetLedger ledger = BudgetLedger.builder().store(store).clock(clock).reservationTtl(Duration.ofSeconds(30))
          .limits(BudgetLimits.of(UTC, BudgetLimit.builder().match("tenant", "acme").window(Window.MONTH)
              .usd("0.0006").policy(BudgetPolicy.REJECT).build())).build();
      Reservation crashed = ledger.reserve(charge(1000, 500).build());
      assertThatThrownBy(() -> ledger.reserve(charge(1000, 500).build())).isInstanceOf(BudgetExceededException.class);
      now.set(now.get().plusSeconds(31));
      Reservation later = ledger.reserve(charge(1000, 500).build());
      assertThat(later.limits().get(0).reservedUsd()).isEqualByComparingTo("0.00045");
      assertThatThrownBy(() -> ledger.commit(crashed, "gpt-4o-mini", Usage.of(100, 0), null))
          .isInstanceOfSatisfying(BudgetReservationException.class, e -> {
            assertThat(e.reason()).isEqualTo(BudgetReservationException.Reason.EXPIRED);
            assertThat(e.charged()).isTrue();
          });
      ledger.commit(later, "gpt-4o-mini", Usage.of(10, 10), null);
      assertThatThrownBy(() -> ledger.commit(later, "gpt-4o-mini", Usage.of(10, 10), null))
          .isInstanceOfSatisfying(BudgetReservationException.class,
              e -> assertThat(e.reason()).isEqualTo(BudgetReservationException.Reason.UNKNOWN));
      assertThat(ledger.report(Map.of("tenant", "acme"), Window.MONTH).state().spentUsd())
          .isEqualByComparingTo("0.0000225"); // 100 x 0.15/M + 10 x 0.15/M + 10 x 0.6/M
    }
  }

  @Test
  void rollingWindowsForgetSpendSlotBySlot() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-05-04T10:15:00.500Z"));
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    try (RedisBudgetStore store = store()) {
      BudgetLedger ledger = BudgetLedger.builder().store(store).clock(clock).limits(BudgetLimits.of(UTC,
          BudgetLimit.builder().match("tenant", "acme").window(Window.parse("rolling:PT1M")).tokens(100).build())).build();
      ledger.commit(ledger.reserve(charge(10, 50).model("x-local").build()), "x-local", Usage.of(10, 50), null);
      now.set(Instant.parse("2026-05-04T10:15:30Z"));
      assertThatThrownBy(() -> ledger.reserve(charge(10, 40).model("x-local").build()))
          .isInstanceOfSatisfying(BudgetExceededException.class, e -> assertThat(e.spent()).isEqualByComparingTo("60"));
      ledger.commit(ledger.reserve(charge(10, 20).model("x-local").build()), "x-local", Usage.of(10, 20), null);
      now.set(Instant.parse("2026-05-04T10:16:01Z"));
      Reservation r = ledger.reserve(charge(10, 40).model("x-local").build());
      assertThat(r.limits().get(0).spentTokens()).isEqualTo(30);
      now.set(Instant.parse("2026-05-04T10:16:31Z"));
      assertThat(ledger.report(Map.of("tenant", "acme"), Window.parse("rolling:PT1M")).state().spentTokens()).isZero();
    }
  }

  @Test
  void aRedisThatIsDownFailsClosedWithAClearErrorOrOpenWhenConfigured() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    BudgetLimits limits = BudgetLimits.of(UTC, BudgetLimit.builder().window(Window.DAY).usd("1").build());
    try (RedisBudgetStore down = RedisBudgetStore.builder().url("redis://127.0.0.1:" + port)
        .timeout(Duration.ofMillis(500)).build()) {
      BudgetLedger closed = BudgetLedger.builder().store(down).limits(limits).build();
      assertThatThrownBy(() -> closed.reserve(charge(10, 10).build()))
          .isInstanceOf(BudgetUnavailableException.class)
          .hasMessageStartingWith("budget store redis://127.0.0.1:" + port + " unavailable: ");
      BudgetLedger open = BudgetLedger.builder().store(down).limits(limits).failOpen(true).build();
      assertThat(open.reserve(charge(10, 10).build()).unaccounted()).isTrue();
    }
    assertThatThrownBy(() -> RedisBudgetStore.create("http://localhost:6379"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("must start with redis://");
  }
}
