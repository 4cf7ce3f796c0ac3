package dev.kiai.budget.redis;

import dev.kiai.core.budget.BudgetStore;
import dev.kiai.core.error.BudgetUnavailableException;
import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A {@link BudgetStore} in Redis, so that several application replicas share one budget and spend
 * survives an application restart. Every reserve, commit, release and read is one Lua script, run
 * atomically by Redis: a reserve plus a commit is exactly two round trips. Scripts are called by their
 * SHA-1; after a Redis restart the first call sends the script once more.
 *
 * <pre>{@code
 * try (RedisBudgetStore store = RedisBudgetStore.builder().url("redis://127.0.0.1:6379").build()) {
 *   BudgetLedger ledger = BudgetLedger.builder().limits(limits).store(store).build();
 * }
 * }</pre>
 *
 * <p>Keys (all under {@link Builder#prefix}, {@code kiai:budget} by default): {@code <p>:c:<counter>}
 * holds a counter's reserved totals, {@code <p>:z:<counter>} its open reservations by expiry,
 * {@code <p>:w:<counter>} its spend per window slot, {@code <p>:s:<counter>:<slot start>} a slot's spend
 * by model and feature (for reports), and {@code <p>:r:<reservation id>} marks an open reservation.
 * Window and slot keys expire when their slots have left the window (stale slots of a rolling window are
 * also dropped by the next commit); the others when no reservation has touched them for twice a
 * reservation's lifetime.
 * Expired reservations are released by the next script that touches their counter. The scripts build
 * key names from their arguments, so they need a single Redis (or a primary with replicas), not a
 * Redis Cluster.
 *
 * <p>When Redis cannot be reached every operation throws {@link BudgetUnavailableException}; the
 * ledger then fails closed or open as configured. Thread-safe; close it to free its connections.
 */
public final class RedisBudgetStore implements BudgetStore {
  private static final Script RESERVE = Script.load("reserve.lua");
  private static final Script COMMIT = Script.load("commit.lua");
  private static final Script RELEASE = Script.load("release.lua");
  private static final Script READ = Script.load("read.lua");

  private final JedisPooled jedis;
  private final String prefix;
  private final String description;

  private RedisBudgetStore(Builder b) {
    URI uri;
    try {
      uri = new URI(Objects.requireNonNull(b.url, "url"));
    } catch (URISyntaxException e) {
      throw new ConfigurationException("Redis url is not a URI: " + b.url, e);
    }
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new ConfigurationException("Redis url must start with redis:// or rediss://, was " + b.url);
    }
    this.description = uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    this.jedis = new JedisPooled(uri, (int) b.timeout.toMillis());
    this.prefix = b.prefix;
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param url e.g. {@code redis://127.0.0.1:6379} or {@code redis://:password@host:6379/2}
   * @return a store with default settings
   */
  public static RedisBudgetStore create(String url) {
    return builder().url(url).build();
  }

  @Override
  public ReserveResult reserve(Reserve r) {
    List<String> args = new ArrayList<>(8 + 6 * r.counters().size());
    args.add(prefix);
    args.add(r.id());
    args.add(Long.toString(r.nowMs()));
    args.add(Long.toString(r.expiresAtMs()));
    args.add(Long.toString(r.tokens()));
    args.add(Long.toString(r.nanos()));
    args.add(Long.toString(forgetAt(r)));
    args.add(Integer.toString(r.counters().size()));
    for (Counter c : r.counters()) {
      args.add(c.key());
      args.add(Long.toString(c.limitTokens()));
      args.add(Long.toString(c.limitNanos()));
      args.add(Long.toString(c.slotStartMs()));
      args.add(Long.toString(c.slotMs()));
      args.add(Integer.toString(c.slots()));
    }
    List<?> reply = (List<?>) run(RESERVE, args);
    return new ReserveResult(num(reply.get(0)) == 1, (int) num(reply.get(1)), totals(reply, 2, r.counters().size()));
  }

  /** A reservation is remembered (for an "expired" rather than "unknown" commit) for its lifetime again. */
  private static long forgetAt(Reserve r) {
    return r.expiresAtMs() + Math.max(1000, r.expiresAtMs() - r.nowMs());
  }

  @Override
  public CommitResult commit(Commit c) {
    Reserve r = c.reservation();
    List<String> args = new ArrayList<>(11 + 4 * c.counters().size());
    args.add(prefix);
    args.add(r.id());
    args.add(Long.toString(c.nowMs()));
    args.add(Long.toString(r.expiresAtMs()));
    args.add(Long.toString(r.tokens()));
    args.add(Long.toString(r.nanos()));
    args.add(Long.toString(c.tokens()));
    args.add(Long.toString(c.nanos()));
    args.add(c.model());
    args.add(c.feature() == null ? "none" : c.feature());
    args.add(Integer.toString(c.counters().size()));
    for (Counter k : c.counters()) {
      args.add(k.key());
      args.add(Long.toString(k.slotStartMs()));
      args.add(Long.toString(k.slotMs()));
      args.add(Integer.toString(k.slots()));
    }
    List<?> reply = (List<?>) run(COMMIT, args);
    long status = num(reply.get(0));
    if (status == 2) {
      return new CommitResult(CommitStatus.UNKNOWN, List.of());
    }
    return new CommitResult(status == 1 ? CommitStatus.EXPIRED : CommitStatus.COMMITTED,
        totals(reply, 1, c.counters().size()));
  }

  @Override
  public boolean release(Reserve r, long nowMs) {
    List<String> args = new ArrayList<>(5 + r.counters().size());
    args.add(prefix);
    args.add(r.id());
    args.add(Long.toString(r.tokens()));
    args.add(Long.toString(r.nanos()));
    args.add(Integer.toString(r.counters().size()));
    for (Counter c : r.counters()) {
      args.add(c.key());
    }
    return num(run(RELEASE, args)) == 1;
  }

  @Override
  public Snapshot read(Counter counter, long nowMs) {
    List<String> args = List.of(prefix, Long.toString(nowMs), counter.key(), Long.toString(counter.slotStartMs()),
        Long.toString(counter.slotMs()), Integer.toString(counter.slots()));
    List<?> reply = (List<?>) run(READ, args);
    Totals totals = totals(reply, 0, 1).get(0);
    Map<String, long[]> byModel = new HashMap<>();
    Map<String, long[]> byFeature = new HashMap<>();
    for (int i = 4; i < reply.size(); i++) {
      List<?> fields = (List<?>) reply.get(i);
      for (int f = 0; f + 1 < fields.size(); f += 2) {
        String name = str(fields.get(f));
        long value = Long.parseLong(str(fields.get(f + 1)));
        if (name.length() > 4 && (name.startsWith("m:") || name.startsWith("f:"))) {
          Map<String, long[]> into = name.charAt(0) == 'm' ? byModel : byFeature;
          long[] v = into.computeIfAbsent(name.substring(2, name.length() - 2), k -> new long[2]);
          v[name.endsWith(":t") ? 0 : 1] += value;
        }
      }
    }
    return new Snapshot(totals, amounts(byModel), amounts(byFeature));
  }

  private static Map<String, Amount> amounts(Map<String, long[]> m) {
    Map<String, Amount> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, new Amount(v[0], v[1])));
    return out;
  }

  /** Frees the connection pool. */
  @Override
  public void close() {
    jedis.close();
  }

  @Override
  public String toString() {
    return "RedisBudgetStore[" + description + ", prefix " + prefix + "]";
  }

  private Object run(Script script, List<String> args) {
    try {
      try {
        return jedis.evalsha(script.sha, List.of(), args);
      } catch (JedisNoScriptException e) {
        return jedis.eval(script.text, List.of(), args);
      }
    } catch (JedisDataException e) {
      throw new BudgetUnavailableException(description, "script failed: " + e.getMessage(), e);
    } catch (JedisException e) {
      throw new BudgetUnavailableException(description, e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
  }

  private static List<Totals> totals(List<?> reply, int from, int n) {
    List<Totals> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int b = from + i * 4;
      out.add(new Totals(new Amount(num(reply.get(b)), num(reply.get(b + 1))),
          new Amount(num(reply.get(b + 2)), num(reply.get(b + 3)))));
    }
    return out;
  }

  private static long num(Object o) {
    if (o instanceof Long l) {
      return l;
    }
    return Long.parseLong(str(o));
  }

  private static String str(Object o) {
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
  }

  /** A Lua script with the shared helpers prepended, and its SHA-1. */
  private record Script(String text, String sha) {
    static Script load(String name) {
      String text = resource("common.lua") + "\n" + resource(name);
      try {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
        return new Script(text, HexFormat.of().formatHex(digest));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-1", e);
      }
    }

    private static String resource(String name) {
      try (InputStream in = RedisBudgetStore.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + name + " next to RedisBudgetStore");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + name, e);
      }
    }
  }

  /** Builds a {@link RedisBudgetStore}; {@link #url} is required. */
  public static final class Builder {
    private String url;
    private String prefix = "kiai:budget";
    private Duration timeout = Duration.ofSeconds(2);

    private Builder() {}

    /** @param url {@code redis://host:port} (optionally with password and database) @return this */
    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url");
      return this;
    }

    /** @param prefix key prefix, so several applications can share one Redis; {@code kiai:budget} by default @return this */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (prefix.isBlank()) {
        throw new IllegalArgumentException("prefix must not be blank");
      }
      this.prefix = prefix;
      return this;
    }

    /** @param timeout connect and read timeout; 2 seconds by default @return this */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.toMillis() < 1) {
        throw new IllegalArgumentException("timeout must be >= 1ms, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * @return the store; connections are opened on first use
     * @throws ConfigurationException when the url is not a redis:// URI
     */
    public RedisBudgetStore build() {
      if (url == null) {
        throw new ConfigurationException("RedisBudgetStore needs url(...), e.g. redis://127.0.0.1:6379");
      }
      return new RedisBudgetStore(this);
    }
  }
}
