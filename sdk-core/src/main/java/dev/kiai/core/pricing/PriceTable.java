package dev.kiai.core.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Model metadata and prices, loaded from a dated JSON document. Kiai ships one
 * ({@link #bundled()}, resource {@code dev/kiai/core/pricing/prices.json}); users override or extend it
 * from a file or classpath resource with {@link #overriddenBy(PriceTable)}. Prices never live in code.
 *
 * <p>Lookup ({@link #find(String)}) accepts the canonical id, an alias, a dated snapshot of a known id
 * ({@code gpt-4o-mini-2024-07-18}, {@code claude-sonnet-4-5-20250929}) and a {@code provider/} prefix
 * ({@code openai/gpt-4o}). Immutable and thread-safe (lookups are memoised in a bounded concurrent map).
 */
public final class PriceTable {
  /** Classpath location of the bundled table. */
  public static final String BUNDLED_RESOURCE = "dev/kiai/core/pricing/prices.json";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Pattern DATE_SUFFIX = Pattern.compile("(-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|-\\d{4})$");

  private final String asOf;
  private final Map<String, ModelInfo> byId;
  private final Map<String, ModelInfo> byName;
  /** Resolved lookups by the exact string asked for; bounded so arbitrary model names cannot grow it. */
  private final Map<String, Optional<ModelInfo>> resolved = new ConcurrentHashMap<>();
  private static final int MAX_RESOLVED = 1024;

  private PriceTable(String asOf, Map<String, ModelInfo> byId) {
    this.asOf = asOf;
    this.byId = Collections.unmodifiableMap(new LinkedHashMap<>(byId));
    Map<String, ModelInfo> names = new LinkedHashMap<>();
    for (ModelInfo m : byId.values()) {
      names.put(m.id().toLowerCase(Locale.ROOT), m);
      for (String alias : m.aliases()) {
        names.putIfAbsent(alias.toLowerCase(Locale.ROOT), m);
      }
    }
    this.byName = Map.copyOf(names);
  }

  /**
   * @return the table bundled with Kiai
   * @throws ConfigurationException if the resource is missing or invalid (a packaging error)
   */
  public static PriceTable bundled() {
    return fromClasspath(BUNDLED_RESOURCE);
  }

  /**
   * @param resource classpath resource name
   * @return the table in that resource
   * @throws ConfigurationException when missing or invalid
   */
  public static PriceTable fromClasspath(String resource) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = PriceTable.class.getClassLoader();
    }
    try (InputStream in = cl.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigurationException("price table resource not found on the classpath: " + resource);
      }
      return parse(in, "classpath:" + resource);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read price table classpath:" + resource, e);
    }
  }

  /**
   * @param file a JSON price table
   * @return the table in that file
   * @throws ConfigurationException when unreadable or invalid
   */
  public static PriceTable fromFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    } catch (IOException e) {
      throw new ConfigurationException("cannot read price table " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param models entries, e.g. built in code for a local model
   * @param asOf the date the prices were valid
   * @return a table of exactly these entries
   */
  public static PriceTable of(List<ModelInfo> models, String asOf) {
    Map<String, ModelInfo> byId = new LinkedHashMap<>();
    for (ModelInfo m : models) {
      byId.put(m.id(), m);
    }
    return new PriceTable(asOf, byId);
  }

  static PriceTable parse(InputStream in, String source) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (IOException e) {
      throw new ConfigurationException("price table " + source + " is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ConfigurationException("price table " + source + " must be a JSON object");
    }
    String asOf = text(root, "as_of", source, "table");
    String currency = root.path("currency").asText("USD");
    JsonNode models = root.path("models");
    if (!models.isArray()) {
      throw new ConfigurationException("price table " + source + ": \"models\" must be an array");
    }
    Map<String, ModelInfo> byId = new LinkedHashMap<>();
    int i = 0;
    for (JsonNode m : models) {
      String where = "models[" + i++ + "]";
      try {
        ModelInfo info = model(m, currency, source, where);
        if (byId.put(info.id(), info) != null) {
          throw new ConfigurationException("price table " + source + ": duplicate model id " + info.id());
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("price table " + source + " " + where + ": " + e.getMessage(), e);
      }
    }
    return new PriceTable(asOf, byId);
  }

  private static ModelInfo model(JsonNode m, String currency, String source, String where) {
    String id = text(m, "id", source, where);
    BigDecimal input = price(m, "input", null, source, where);
    BigDecimal output = price(m, "output", null, source, where);
    BigDecimal cached = price(m, "cached_input", input, source, where);
    BigDecimal cacheWrite = price(m, "cache_write", input, source, where);
    List<String> aliases = new ArrayList<>();
    m.path("aliases").forEach(a -> aliases.add(a.asText()));
    Set<Capability> caps = EnumSet.noneOf(Capability.class);
    for (JsonNode c : m.path("capabilities")) {
      try {
        caps.add(Capability.valueOf(c.asText().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("price table " + source + " " + where + ": unknown capability "
            + c.asText() + ", expected one of " + EnumSet.allOf(Capability.class));
      }
    }
    Locality locality;
    try {
      locality = Locality.valueOf(m.path("locality").asText("remote_api").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("price table " + source + " " + where + ": unknown locality "
          + m.path("locality").asText());
    }
    int contextWindow = m.path("context_window").asInt(0);
    int maxOutput = m.path("max_output_tokens").asInt(contextWindow);
    String tokenizer = m.hasNonNull("tokenizer") ? m.get("tokenizer").asText() : null;
    return new ModelInfo(text(m, "provider", source, where), id, aliases, contextWindow, maxOutput,
        new ModelPrice(m.path("currency").asText(currency), input, cached, cacheWrite, output),
        caps, locality, tokenizer);
  }

  private static String text(JsonNode node, String field, String source, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ConfigurationException("price table " + source + " " + where + ": \"" + field
          + "\" is required and must be a non-empty string");
    }
    return v.asText();
  }

  private static BigDecimal price(JsonNode node, String field, BigDecimal dflt, String source, String where) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (dflt == null) {
        throw new ConfigurationException("price table " + source + " " + where + ": \"" + field
            + "\" (USD per 1M tokens) is required");
      }
      return dflt;
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual()) {
      try {
        return new BigDecimal(v.asText().trim());
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new ConfigurationException("price table " + source + " " + where + ": \"" + field
        + "\" must be a decimal number, was " + v);
  }

  /**
   * Returns a table holding this table's entries with {@code overrides}' entries replacing those of
   * the same id and adding new ones. The date is the newer of the two.
   *
   * @param overrides entries that win
   * @return the merged table
   */
  public PriceTable overriddenBy(PriceTable overrides) {
    Map<String, ModelInfo> merged = new LinkedHashMap<>(byId);
    merged.putAll(overrides.byId);
    String date = overrides.asOf.compareTo(asOf) > 0 ? overrides.asOf : asOf;
    return new PriceTable(date, merged);
  }

  /** @return the date the prices were taken, as written in the table ({@code yyyy-MM-dd}) */
  public String asOf() {
    return asOf;
  }

  /** @return every model, in table order */
  public List<ModelInfo> models() {
    return List.copyOf(byId.values());
  }

  /**
   * @param model a model id as a request or a provider's answer names it
   * @return the entry, if the table knows the model
   */
  public Optional<ModelInfo> find(String model) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    Optional<ModelInfo> known = resolved.get(model);
    if (known != null) {
      return known;
    }
    Optional<ModelInfo> hit = lookup(model);
    if (resolved.size() < MAX_RESOLVED) {
      resolved.put(model, hit);
    }
    return hit;
  }

  private Optional<ModelInfo> lookup(String model) {
    String name = model.trim().toLowerCase(Locale.ROOT);
    ModelInfo hit = byName.get(name);
    if (hit == null && name.contains("/")) {
      name = name.substring(name.lastIndexOf('/') + 1);
      hit = byName.get(name);
    }
    if (hit == null) {
      String undated = DATE_SUFFIX.matcher(name).replaceFirst("");
      if (!undated.equals(name)) {
        hit = byName.get(undated);
      }
    }
    return Optional.ofNullable(hit);
  }

  /**
   * Prices a usage. Uncached input, cache reads, cache writes and output are each charged at their own
   * price, in exact decimal.
   *
   * @param model the model id
   * @param usage tokens consumed
   * @return the cost, or {@link Cost#UNKNOWN} when the table does not know the model
   */
  public Cost cost(String model, Usage usage) {
    return find(model).map(info -> cost(info, usage)).orElse(Cost.UNKNOWN);
  }

  /**
   * @param info the model
   * @param usage tokens consumed
   * @return the exact cost
   */
  public Cost cost(ModelInfo info, Usage usage) {
    ModelPrice p = info.price();
    return new Cost(p.currency(),
        perToken(p.input(), usage.uncachedInputTokens()),
        perToken(p.cachedInput(), usage.cachedInputTokens()),
        perToken(p.cacheWrite(), usage.cacheWriteInputTokens()),
        perToken(p.output(), usage.outputTokens()),
        info.id() + "@" + asOf);
  }

  private static BigDecimal perToken(BigDecimal pricePerMillion, long tokens) {
    if (tokens == 0) {
      return BigDecimal.ZERO;
    }
    // Exact: a price per million tokens times a token count, shifted by six decimal places (no division).
    return pricePerMillion.multiply(BigDecimal.valueOf(tokens)).movePointLeft(6);
  }
}
