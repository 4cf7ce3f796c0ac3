package dev.kiai.benchmarks;

import dev.kiai.budget.redis.RedisBudgetStore;
import dev.kiai.core.budget.BudgetLedger;
import dev.kiai.core.budget.BudgetLimit;
import dev.kiai.core.budget.BudgetLimits;
import dev.kiai.core.budget.Charge;
import dev.kiai.core.budget.CommitReceipt;
import dev.kiai.core.budget.Reservation;
import dev.kiai.core.budget.Window;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.Usage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

/**
 * Redis store on loopback: latency of one reserve plus one commit (three limits, one rolling), and the
 * Redis round trips each pair costs, counted from Redis' own {@code INFO commandstats} and printed at
 * the end of each trial. Baseline: one {@code PING} round trip on the same connection pool kind. Needs
 * {@code KIAI_REDIS_URL}, e.g. {@code redis://127.0.0.1:6390}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class RedisBudgetBenchmark {
  RedisBudgetStore store;
  JedisPooled jedis;
  BudgetLedger ledger;
  Charge charge;
  Usage usage;
  Cost cost;
  final AtomicLong pairs = new AtomicLong();
  long scriptCallsBefore;

  /** Connects and counts script calls so far. */
  @Setup(Level.Trial)
  public void setUp() {
    String url = System.getenv("KIAI_REDIS_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("set KIAI_REDIS_URL, e.g. redis://127.0.0.1:6390");
    }
    jedis = new JedisPooled(URI.create(url));
    store = RedisBudgetStore.builder().url(url).prefix("kiai:bench:" + UUID.randomUUID()).build();
    ledger = BudgetLedger.builder().store(store).limits(BudgetLimits.of(ZoneId.of("UTC"),
        BudgetLimit.builder().window(Window.MONTH).usd("1000000000").build(),
        BudgetLimit.builder().match("tenant", "*").window(Window.DAY).usd("1000000000").build(),
        BudgetLimit.builder().match("user", "*").window(Window.parse("rolling:PT1H")).tokens(Long.MAX_VALUE / 4)
            .build())).build();
    charge = Charge.builder().tenant("acme").user("u1").feature("summary").model("gpt-4o-mini").inputTokens(1200)
        .maxTokens(500).build();
    usage = Usage.of(1200, 300);
    cost = ledger.prices().cost("gpt-4o-mini", usage);
    scriptCallsBefore = scriptCalls();
    pairs.set(0);
  }

  /** Prints round trips per reserve+commit pair. */
  @TearDown(Level.Trial)
  public void tearDown() {
    long calls = scriptCalls() - scriptCallsBefore;
    long n = pairs.get();
    if (n > 0) {
      System.out.printf("%n[redis] %d reserve+commit pairs, %d script calls (evalsha+eval): %.3f round trips per pair%n",
          n, calls, (double) calls / n);
    }
    store.close();
    jedis.close();
  }

  private long scriptCalls() {
    long total = 0;
    Object reply = jedis.sendCommand(Protocol.Command.INFO, "commandstats");
    String info = reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
        String calls = line.substring(line.indexOf("calls=") + 6);
        total += Long.parseLong(calls.substring(0, calls.indexOf(',')));
      }
    }
    return total;
  }

  /** @return the receipt */
  @Benchmark
  public CommitReceipt reserveCommit() {
    Reservation r = ledger.reserve(charge);
    CommitReceipt c = ledger.commit(r, "gpt-4o-mini", usage, cost);
    pairs.incrementAndGet();
    return c;
  }

  /** @return PONG: the round-trip baseline */
  @Benchmark
  public String baselinePing() {
    return jedis.ping();
  }
}
