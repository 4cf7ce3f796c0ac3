package dev.kiai.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.BudgetExceededException;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BudgetLedgerConcurrencyTest {

  /**
   * 16 threads reserve random sizes against a global cap and per-tenant caps sharing it, then commit
   * random actual output. With a lost update or a check-then-act race, the committed total would exceed
   * the cap, the store's total would differ from the sum of receipts, or holds would remain.
   */
  @Test
  void sixteenThreadsNeverOverspendAndEveryCommitIsCounted() throws Exception {
    BudgetLedger ledger = BudgetLedger.builder().limits(BudgetLimits.of(ZoneId.of("UTC"),
        BudgetLimit.builder().window(Window.DAY).usd("20").build(),
        BudgetLimit.builder().match("tenant", "*").window(Window.HOUR).tokens(12_000_000).build(),
        BudgetLimit.builder().match("tenant", "t0").match("feature", "*").window(Window.DAY).usd("1.5").build()))
        .build();
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong committedNanos = new AtomicLong();
    AtomicLong admitted = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      futures.add(pool.submit(() -> {
        SplittableRandom rnd = new SplittableRandom(seed);
        start.await();
        int consecutiveRejects = 0;
        while (consecutiveRejects < 50) {
          Charge c = Charge.builder().tenant("t" + rnd.nextInt(4)).feature("f" + rnd.nextInt(2)).model("gpt-4o-mini")
              .inputTokens(100 + rnd.nextInt(2000)).maxTokens(50 + rnd.nextInt(1000)).build();
          Reservation r;
          try {
            r = ledger.reserve(c);
          } catch (BudgetExceededException e) {
            rejected.incrementAndGet();
            consecutiveRejects++;
            continue;
          }
          consecutiveRejects = 0;
          admitted.incrementAndGet();
          if (rnd.nextInt(10) == 0) {
            ledger.release(r);
            continue;
          }
          CommitReceipt receipt = ledger.commit(r, "gpt-4o-mini",
              Usage.of(r.inputTokens(), rnd.nextInt(r.maxTokens() + 1)), null);
          committedNanos.addAndGet(receipt.usd().movePointRight(9).longValueExact());
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    BudgetReport global = ledger.report(Map.of(), Window.DAY);
    assertThat(admitted.get()).isGreaterThan(10_000);
    assertThat(rejected.get()).isGreaterThan(0);
    assertThat(global.state().reservedUsd()).isEqualByComparingTo("0");
    assertThat(global.state().spentUsd()).isEqualByComparingTo(BigDecimal.valueOf(committedNanos.get(), 9));
    assertThat(global.state().spentUsd()).isLessThanOrEqualTo(new BigDecimal("20"));
    long tenantTokens = 0;
    for (int t = 0; t < 4; t++) {
      BudgetReport tenant = ledger.report(Map.of("tenant", "t" + t), Window.HOUR);
      assertThat(tenant.state().spentTokens()).isLessThanOrEqualTo(12_000_000);
      assertThat(tenant.state().reservedTokens()).isZero();
      tenantTokens += tenant.state().spentTokens();
    }
    for (int f = 0; f < 2; f++) {
      assertThat(ledger.report(Map.of("tenant", "t0", "feature", "f" + f), Window.DAY).state().spentUsd())
          .isLessThanOrEqualTo(new BigDecimal("1.5"));
    }
    assertThat(global.byModel().get("gpt-4o-mini").tokens()).isEqualTo(tenantTokens);
  }
}
