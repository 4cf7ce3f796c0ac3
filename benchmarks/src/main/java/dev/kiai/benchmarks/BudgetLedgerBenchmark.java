package dev.kiai.benchmarks;

import dev.kiai.core.budget.BudgetLedger;
import dev.kiai.core.budget.BudgetLimit;
import dev.kiai.core.budget.BudgetLimits;
import dev.kiai.core.budget.Charge;
import dev.kiai.core.budget.CommitReceipt;
import dev.kiai.core.budget.Reservation;
import dev.kiai.core.budget.Window;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.pricing.PriceTable;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * In-memory ledger: one reserve plus one commit per operation, on a request charged to three limits
 * (global month, its tenant's day, its user's day). Baseline: pricing one usage with the
 * {@link PriceTable}, work every Kiai response already does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BudgetLedgerBenchmark {
  BudgetLedger ledger;
  PriceTable prices;
  Charge charge;
  Usage usage;
  Cost cost;

  /** Limits high enough never to refuse during a run. */
  @Setup
  public void setUp() {
    prices = PriceTable.bundled();
    ledger = BudgetLedger.builder().prices(prices).limits(BudgetLimits.of(ZoneId.of("UTC"),
        BudgetLimit.builder().window(Window.MONTH).usd("1000000000").build(),
        BudgetLimit.builder().match("tenant", "*").window(Window.DAY).usd("1000000000").build(),
        BudgetLimit.builder().match("user", "*").window(Window.DAY).tokens(Long.MAX_VALUE / 4).build())).build();
    charge = Charge.builder().tenant("acme").user("u1").feature("summary").model("gpt-4o-mini").inputTokens(1200)
        .maxTokens(500).build();
    usage = Usage.of(1200, 300);
    cost = prices.cost("gpt-4o-mini", usage);
  }

  /** @return the receipt, so the pair is not optimised away */
  @Benchmark
  @Threads(1)
  public CommitReceipt reserveCommit1Thread() {
    return pair();
  }

  /** @return the receipt */
  @Benchmark
  @Threads(2)
  public CommitReceipt reserveCommit2Threads() {
    return pair();
  }

  /** @return the cost of one usage: the baseline */
  @Benchmark
  @Threads(1)
  public Cost baselinePriceOneUsage() {
    return prices.cost("gpt-4o-mini", usage);
  }

  private CommitReceipt pair() {
    Reservation r = ledger.reserve(charge);
    return ledger.commit(r, "gpt-4o-mini", usage, cost);
  }
}
