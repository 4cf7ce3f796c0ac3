package dev.kiai.cache.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiai.core.cache.CachedAnswer;
import dev.kiai.core.cache.ExactCacheStore;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.CacheUnavailableException;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.prompt.TemplateRef;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * An {@link ExactCacheStore} in Redis: the exact tier of a {@link dev.kiai.core.cache.SemanticCache}
 * shared by every application replica that points at the same Redis and prefix, so that an answer one
 * replica paid for is an exact hit in all of them.
 *
 * <pre>{@code
 * try (RedisExactCacheStore shared = RedisExactCacheStore.builder().url("redis://cache:6379").prefix("shop:cache").build()) {
 *   SemanticCache cache = SemanticCache.builder().embeddingModel(minilm).exactStore(shared).build();
 * }
 * }</pre>
 *
 * <p>Keys (all under {@link Builder#prefix}, {@code kiai:cache} by default): {@code <p>:e:<sha256 of the
 * exact key>} holds one answer as JSON (Jackson) with a Redis expiry of the cache's TTL; the exact key
 * itself is the request's scope hash (tenant, route, system prompt, template, tools, ...) and its
 * normalised last user message. {@code <p>:tag:<tag>}, {@code <p>:tv:<id@version>} and {@code <p>:ti:<id>}
 * are sets of the answer keys stored with a tag, a template version and a template id; they expire no
 * earlier than their longest-lived member. A put and an invalidation are each one Lua script (called by
 * its SHA-1, so the script text travels only once per Redis start), atomic in
 * Redis, so an answer stored concurrently with an invalidation is either removed by it or stored after
 * it. Answers replaced under the same key stay in their old index sets, so invalidation may remove an
 * answer early, never leave one behind. The scripts touch keys they compute, so they need a single Redis
 * (or a primary with replicas), not a Redis Cluster.
 *
 * <p>When Redis cannot be reached every operation throws {@link CacheUnavailableException}; the cache
 * then misses (lookups) or keeps the answer in-process only (stores). Thread-safe; close it to free its
 * connections.
 */
public final class RedisExactCacheStore implements ExactCacheStore {
  private static final Script PUT = new Script(String.join("\n",
      "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])",
      "local ttl = tonumber(ARGV[2])",
      "for i = 2, #KEYS do",
      "  redis.call('SADD', KEYS[i], KEYS[1])",
      "  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end",
      "end",
      "return 1"));
  private static final Script INVALIDATE = new Script(String.join("\n",
      "local n = 0",
      "for _, k in ipairs(redis.call('SMEMBERS', KEYS[1])) do n = n + redis.call('DEL', k) end",
      "redis.call('DEL', KEYS[1])",
      "return n"));

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final JedisPooled jedis;
  private final String prefix;
  private final String description;

  private RedisExactCacheStore(Builder b) {
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
  public static RedisExactCacheStore create(String url) {
    return builder().url(url).build();
  }

  @Override
  public Optional<CachedAnswer> get(String key) {
    Objects.requireNonNull(key, "key");
    String json = call(() -> jedis.get(entryKey(key)));
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(json, Stored.class).toAnswer());
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty(); // written by an incompatible version: a miss, overwritten by the next store
    }
  }

  @Override
  public boolean contains(String key) {
    Objects.requireNonNull(key, "key");
    return call(() -> jedis.exists(entryKey(key)));
  }

  @Override
  public void put(String key, CachedAnswer answer, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be >= 1ms, was " + ttl);
    }
    String json;
    try {
      json = JSON.writeValueAsString(Stored.of(answer));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a cached answer", e);
    }
    List<String> keys = new ArrayList<>(3 + answer.tags().size());
    keys.add(entryKey(key));
    for (String tag : answer.tags()) {
      keys.add(prefix + ":tag:" + tag);
    }
    if (answer.template() != null) {
      keys.add(prefix + ":tv:" + answer.template());
      keys.add(prefix + ":ti:" + answer.template().id());
    }
    call(() -> run(PUT, keys, List.of(json, Long.toString(ttl.toMillis()))));
  }

  @Override
  public boolean evict(String key) {
    Objects.requireNonNull(key, "key");
    return call(() -> jedis.del(entryKey(key))) > 0;
  }

  @Override
  public int invalidateTag(String tag) {
    return invalidate(prefix + ":tag:" + Objects.requireNonNull(tag, "tag"));
  }

  @Override
  public int invalidateTemplate(TemplateRef template) {
    return invalidate(prefix + ":tv:" + Objects.requireNonNull(template, "template"));
  }

  @Override
  public int invalidateTemplate(String templateId) {
    return invalidate(prefix + ":ti:" + Objects.requireNonNull(templateId, "templateId"));
  }

  /** Removes every key under this store's prefix (SCAN and UNLINK: linear in the keys of the Redis). */
  @Override
  public void clear() {
    ScanParams params = new ScanParams().match(glob(prefix) + ":*").count(500);
    call(() -> {
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = jedis.scan(cursor, params);
        if (!page.getResult().isEmpty()) {
          jedis.unlink(page.getResult().toArray(String[]::new));
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      return null;
    });
  }

  /** Frees the connection pool. */
  @Override
  public void close() {
    jedis.close();
  }

  @Override
  public String toString() {
    return "RedisExactCacheStore[" + description + ", prefix " + prefix + "]";
  }

  private int invalidate(String set) {
    Object n = call(() -> run(INVALIDATE, List.of(set), List.of()));
    return (int) ((Long) n).longValue();
  }

  /** Calls a script by its SHA-1; after a Redis restart or SCRIPT FLUSH the first call sends its text once more. */
  private Object run(Script script, List<String> keys, List<String> args) {
    try {
      return jedis.evalsha(script.sha(), keys, args);
    } catch (JedisNoScriptException e) {
      return jedis.eval(script.text(), keys, args);
    }
  }

  /** A Lua script and its SHA-1 (the name Redis caches it under). */
  private record Script(String text, String sha) {
    Script(String text) {
      this(text, sha1(text));
    }

    private static String sha1(String text) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-1", e);
      }
    }
  }

  String entryKey(String key) {
    return prefix + ":e:" + sha256(key);
  }

  private <T> T call(Supplier<T> op) {
    try {
      return op.get();
    } catch (JedisException e) {
      throw new CacheUnavailableException(description, e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
  }

  private static String glob(String s) {
    return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** The JSON form of a cached answer; amounts as strings, so their scale survives. */
  record Stored(String id, String prompt, long createdAtMs, long expiresAtMs, String template, List<String> tags,
      String responseId, String text, String finishReason, long[] usage, String currency, String[] cost,
      String pricedAs, String model, String provider, long latencyNanos) {

    static Stored of(CachedAnswer a) {
      ChatResponse r = a.response();
      Usage u = r.usage();
      Cost c = r.cost();
      return new Stored(a.id(), a.prompt(), a.createdAt().toEpochMilli(), a.expiresAt().toEpochMilli(),
          a.template() == null ? null : a.template().toString(), List.copyOf(a.tags()), r.id(), r.text(),
          r.finishReason().name(),
          new long[] {u.inputTokens(), u.outputTokens(), u.cachedInputTokens(), u.cacheWriteInputTokens(),
              u.reasoningTokens()},
          c.currency(),
          new String[] {c.input().toPlainString(), c.cachedInput().toPlainString(), c.cacheWrite().toPlainString(),
              c.output().toPlainString()},
          c.pricedAs(), r.model(), r.provider(), r.latency().toNanos());
    }

    CachedAnswer toAnswer() {
      Cost c = new Cost(currency, new BigDecimal(cost[0]), new BigDecimal(cost[1]), new BigDecimal(cost[2]),
          new BigDecimal(cost[3]), pricedAs);
      TemplateRef t = template == null ? null : TemplateRef.parse(template);
      ChatResponse r = new ChatResponse(responseId, ChatMessage.assistant(text), FinishReason.valueOf(finishReason),
          new Usage(usage[0], usage[1], usage[2], usage[3], usage[4]), c, model, provider,
          Duration.ofNanos(latencyNanos), t, null);
      return new CachedAnswer(id, prompt, r, Instant.ofEpochMilli(createdAtMs), Instant.ofEpochMilli(expiresAtMs), t,
          Set.copyOf(tags));
    }
  }

  /** Configures a {@link RedisExactCacheStore}. */
  public static final class Builder {
    private String url = "redis://127.0.0.1:6379";
    private String prefix = "kiai:cache";
    private Duration timeout = Duration.ofSeconds(2);

    private Builder() {}

    /**
     * @param url e.g. {@code redis://127.0.0.1:6379} (the default) or {@code rediss://:password@host:6380/1}
     * @return this
     */
    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * @param prefix key prefix, so several applications (or cache generations) can share one Redis;
     *     {@code kiai:cache} by default
     * @return this
     */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (prefix.isBlank()) {
        throw new IllegalArgumentException("prefix must not be blank");
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * @param timeout connect and read timeout; 2 seconds by default. A cache lookup waits at most this
     *     long for Redis before it counts as a miss
     * @return this
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.toMillis() < 1) {
        throw new IllegalArgumentException("timeout must be >= 1ms, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * @return the store (connections open lazily)
     * @throws ConfigurationException when the url is not a redis:// or rediss:// URI
     */
    public RedisExactCacheStore build() {
      return new RedisExactCacheStore(this);
    }
  }
}
