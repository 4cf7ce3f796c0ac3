package dev.kiai.core.budget;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One hard cap: at most {@code usd} and/or {@code tokens} per {@code window} for the requests whose
 * context matches {@code match}.
 *
 * <p>A limit applies to a request when every key of {@code match} equals the request's value; the
 * value {@code "*"} gives each distinct value its own budget ({@code {"user":"*"}}: every user gets
 * the cap). An empty match is the global budget. Keys are the {@linkplain #SCOPE_KEYS scope names}
 * {@code tenant}, {@code user}, {@code feature} and {@code template} (the template id).
 *
 * @param match scope name to value or {@code "*"}; empty for global
 * @param window the period spend is counted over
 * @param usd the money cap in USD, or null
 * @param tokens the token cap (input plus output), or null
 * @param policy what happens at the cap
 * @param downgradeTo the model {@link BudgetPolicy#DOWNGRADE} switches to, or null
 * @param soft fraction of the cap (0, 1) at which a soft-threshold event is emitted, or null
 */
public record BudgetLimit(Map<String, String> match, Window window, BigDecimal usd, Long tokens,
    BudgetPolicy policy, String downgradeTo, Double soft) {

  /** The scope names a limit can match on, from the widest to the narrowest. */
  public static final Set<String> SCOPE_KEYS = Set.of("tenant", "user", "feature", "template");

  /** Order of scope names in ids and trace output. */
  static final java.util.List<String> SCOPE_ORDER = java.util.List.of("tenant", "user", "feature", "template");

  /**
   * @throws IllegalArgumentException naming the field when a scope name is unknown, an amount is not
   *     positive, no amount is given or {@code soft} is outside (0, 1)
   */
  public BudgetLimit {
    Objects.requireNonNull(match, "match");
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : match.entrySet()) {
      String key = Objects.requireNonNull(e.getKey(), "match key").trim().toLowerCase(Locale.ROOT);
      if (!SCOPE_KEYS.contains(key)) {
        throw new IllegalArgumentException("match has unknown scope name '" + e.getKey()
            + "'; known: tenant, user, feature, template");
      }
      String value = e.getValue();
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("match." + key + " must be a non-empty string or \"*\"");
      }
      sorted.put(key, value);
    }
    match = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ordered(sorted)));
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(policy, "policy");
    if (usd == null && tokens == null) {
      throw new IllegalArgumentException("a limit needs usd and/or tokens");
    }
    if (usd != null && usd.signum() <= 0) {
      throw new IllegalArgumentException("usd must be > 0, was " + usd.toPlainString());
    }
    if (usd != null && usd.stripTrailingZeros().scale() > 9) {
      throw new IllegalArgumentException("usd must have at most 9 decimal places, was " + usd.toPlainString());
    }
    if (tokens != null && tokens <= 0) {
      throw new IllegalArgumentException("tokens must be > 0, was " + tokens);
    }
    if (soft != null && (soft.isNaN() || soft <= 0 || soft >= 1)) {
      throw new IllegalArgumentException("soft must be within (0, 1), was " + soft);
    }
    if (downgradeTo != null && downgradeTo.isBlank()) {
      throw new IllegalArgumentException("downgrade_to must not be blank");
    }
  }

  private static Map<String, String> ordered(Map<String, String> m) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String k : SCOPE_ORDER) {
      if (m.containsKey(k)) {
        out.put(k, m.get(k));
      }
    }
    return out;
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a stable id of this limit, built from its match and window, e.g. {@code tenant=acme|day};
   *     store keys derive from it, so reordering a limits file keeps the spent amounts
   */
  public String id() {
    StringBuilder sb = new StringBuilder();
    match.forEach((k, v) -> {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(k).append('=').append(escape(v));
    });
    return (sb.length() == 0 ? "global" : sb.toString()) + "|" + window.label();
  }

  /** @return true when some match value is {@code "*"} */
  public boolean perValue() {
    return match.containsValue("*");
  }

  static String escape(String v) {
    StringBuilder sb = null;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean special = c == '%' || c == ',' || c == '=' || c == '|' || c == '/' || c == ' ';
      if (special && sb == null) {
        sb = new StringBuilder(v.substring(0, i));
      }
      if (sb != null) {
        if (special) {
          sb.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? v : sb.toString();
  }

  /** Builds a {@link BudgetLimit}; {@code window}, {@code policy} and an amount are required. */
  public static final class Builder {
    private final Map<String, String> match = new java.util.LinkedHashMap<>();
    private Window window;
    private BigDecimal usd;
    private Long tokens;
    private BudgetPolicy policy = BudgetPolicy.REJECT;
    private String downgradeTo;
    private Double soft;

    private Builder() {}

    /** @param scope a scope name @param value its value, or {@code "*"} for one budget per value @return this */
    public Builder match(String scope, String value) {
      match.put(scope, value);
      return this;
    }

    /** @param window the counting period @return this */
    public Builder window(Window window) {
      this.window = window;
      return this;
    }

    /**
     * @param usd cap in USD, e.g. {@code "50.00"}
     * @return this
     * @throws IllegalArgumentException when it is not a decimal number
     */
    public Builder usd(String usd) {
      try {
        this.usd = new BigDecimal(Objects.requireNonNull(usd, "usd").trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("usd must be a decimal number, was '" + usd + "'");
      }
      return this;
    }

    /** @param usd cap in USD @return this */
    public Builder usd(BigDecimal usd) {
      this.usd = usd;
      return this;
    }

    /** @param tokens cap in tokens @return this */
    public Builder tokens(long tokens) {
      this.tokens = tokens;
      return this;
    }

    /** @param policy what happens at the cap; {@link BudgetPolicy#REJECT} by default @return this */
    public Builder policy(BudgetPolicy policy) {
      this.policy = policy;
      return this;
    }

    /** @param model the model {@link BudgetPolicy#DOWNGRADE} switches to @return this */
    public Builder downgradeTo(String model) {
      this.downgradeTo = model;
      return this;
    }

    /** @param fraction soft threshold in (0, 1) @return this */
    public Builder soft(double fraction) {
      this.soft = fraction;
      return this;
    }

    /** @return the limit */
    public BudgetLimit build() {
      return new BudgetLimit(match, window, usd, tokens, policy, downgradeTo, soft);
    }
  }
}
