package dev.kiai.core.budget;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The limits a ledger enforces and the time zone of their calendar windows, from code or from a JSON or
 * YAML file of this shape:
 *
 * <pre>{@code
 * {"timezone": "Europe/Berlin",
 *  "limits": [
 *    {"match": {}, "window": "month", "usd": "1000.00", "policy": "reject"},
 *    {"match": {"tenant": "acme"}, "window": "day", "usd": "50.00", "policy": "downgrade",
 *     "downgrade_to": "gpt-4o-mini", "soft": 0.8},
 *    {"match": {"tenant": "acme", "feature": "summary"}, "window": "hour", "tokens": 2000000,
 *     "policy": "shrink"},
 *    {"match": {"user": "*"}, "window": "day", "usd": "2.00", "policy": "reject"}]}
 * }</pre>
 *
 * <p>Limit indexes (used by the CLI) are positions in {@link #limits()}.
 *
 * @param zone the time zone of calendar windows
 * @param limits the limits, in file order
 */
public record BudgetLimits(ZoneId zone, List<BudgetLimit> limits) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Set<String> LIMIT_FIELDS =
      Set.of("match", "window", "usd", "tokens", "policy", "downgrade_to", "soft");

  /**
   * @throws IllegalArgumentException when two limits share match and window
   */
  public BudgetLimits {
    Objects.requireNonNull(zone, "zone");
    limits = List.copyOf(Objects.requireNonNull(limits, "limits"));
    Set<String> ids = new HashSet<>();
    for (BudgetLimit l : limits) {
      if (!ids.add(l.id())) {
        throw new IllegalArgumentException("two limits have the same match and window: " + l.id()
            + "; put usd and tokens into one limit");
      }
    }
  }

  /**
   * @param zone calendar time zone
   * @param limits the limits
   * @return the limits
   */
  public static BudgetLimits of(ZoneId zone, BudgetLimit... limits) {
    return new BudgetLimits(zone, List.of(limits));
  }

  /**
   * Reads a limits file; {@code .yaml}/{@code .yml} files are YAML, everything else JSON.
   *
   * @param file the file
   * @return the limits
   * @throws ConfigurationException naming the file and the offending field when unreadable or invalid
   */
  public static BudgetLimits fromFile(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read limits file " + file + ": " + e, e);
    }
    return parse(text, yaml, file.toString());
  }

  /**
   * @param text a limits document
   * @param yaml true for YAML, false for JSON
   * @param source where it came from, for error messages
   * @return the limits
   * @throws ConfigurationException naming the source and the offending field when invalid
   */
  public static BudgetLimits parse(String text, boolean yaml, String source) {
    JsonNode root;
    try {
      root = (yaml ? YAML : JSON).readTree(text);
    } catch (IOException e) {
      throw new ConfigurationException("limits " + source + " is not valid " + (yaml ? "YAML" : "JSON") + ": "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (root == null || !root.isObject()) {
      throw new ConfigurationException("limits " + source + " must be an object with \"limits\"");
    }
    ZoneId zone = ZoneId.of("UTC");
    JsonNode tz = root.get("timezone");
    if (tz != null && !tz.isNull()) {
      try {
        zone = ZoneId.of(tz.asText());
      } catch (DateTimeException e) {
        throw new ConfigurationException("limits " + source + ": \"timezone\" is not a time zone id: " + tz);
      }
    }
    JsonNode list = root.get("limits");
    if (list == null || !list.isArray()) {
      throw new ConfigurationException("limits " + source + ": \"limits\" must be an array");
    }
    List<BudgetLimit> limits = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      try {
        limits.add(limit(list.get(i)));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("limits " + source + " limits[" + i + "]: " + e.getMessage(), e);
      }
    }
    try {
      return new BudgetLimits(zone, limits);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("limits " + source + ": " + e.getMessage(), e);
    }
  }

  private static BudgetLimit limit(JsonNode n) {
    if (!n.isObject()) {
      throw new IllegalArgumentException("must be an object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!LIMIT_FIELDS.contains(f)) {
        throw new IllegalArgumentException("unknown field \"" + f + "\"; known: " + new java.util.TreeSet<>(LIMIT_FIELDS));
      }
    }
    Map<String, String> match = new LinkedHashMap<>();
    JsonNode m = n.get("match");
    if (m != null && !m.isNull()) {
      if (!m.isObject()) {
        throw new IllegalArgumentException("\"match\" must be an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw new IllegalArgumentException("match." + e.getKey() + " must be a string");
        }
        match.put(e.getKey(), e.getValue().asText());
      }
    }
    JsonNode w = n.get("window");
    if (w == null || !w.isTextual()) {
      throw new IllegalArgumentException("\"window\" is required: minute, hour, day, month or rolling:PT15M");
    }
    BigDecimal usd = null;
    JsonNode u = n.get("usd");
    if (u != null && !u.isNull()) {
      try {
        usd = u.isNumber() ? u.decimalValue() : new BigDecimal(u.asText().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"usd\" must be a decimal string, was " + u);
      }
    }
    Long tokens = null;
    JsonNode t = n.get("tokens");
    if (t != null && !t.isNull()) {
      if (!t.isIntegralNumber() || !t.canConvertToLong()) {
        throw new IllegalArgumentException("\"tokens\" must be an integer, was " + t);
      }
      tokens = t.asLong();
    }
    BudgetPolicy policy = BudgetPolicy.REJECT;
    JsonNode p = n.get("policy");
    if (p != null && !p.isNull()) {
      try {
        policy = BudgetPolicy.valueOf(p.asText().trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("\"policy\" must be reject, downgrade or shrink, was " + p);
      }
    }
    JsonNode d = n.get("downgrade_to");
    String downgradeTo = d == null || d.isNull() ? null : d.asText();
    Double soft = null;
    JsonNode s = n.get("soft");
    if (s != null && !s.isNull()) {
      if (!s.isNumber()) {
        throw new IllegalArgumentException("\"soft\" must be a number in (0, 1), was " + s);
      }
      soft = s.doubleValue();
    }
    return new BudgetLimit(match, Window.parse(w.asText()), usd, tokens, policy, downgradeTo, soft);
  }
}
