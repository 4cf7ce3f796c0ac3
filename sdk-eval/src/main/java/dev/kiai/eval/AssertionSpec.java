package dev.kiai.eval;

import java.util.Map;
import java.util.Objects;

/**
 * One {@code assert} entry of a golden case, e.g. {@code {"type":"not-contains","value":"sorry"}}.
 *
 * @param type the assertion type without the {@code not-} prefix, e.g. {@code contains}
 * @param negated true when the case wrote {@code not-<type>}: the assertion passes when the base fails
 * @param value the value to compare with (string, number, boolean, list or map), or null to use the
 *     case's {@code expected}
 * @param threshold the type's threshold (minimum score, maximum distance, tolerance...), or null for
 *     the type's default
 * @param weight weight of this assertion in the case score, &gt; 0
 * @param options other fields of the entry (e.g. {@code path} for {@code json-path}), immutable
 */
public record AssertionSpec(
    String type, boolean negated, Object value, Double threshold, double weight, Map<String, Object> options) {

  public AssertionSpec {
    Objects.requireNonNull(type, "type");
    if (type.isBlank()) {
      throw new IllegalArgumentException("type must not be blank");
    }
    if (type.startsWith("not-")) {
      throw new IllegalArgumentException("type must not carry the not- prefix; set negated instead: " + type);
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be a positive number, was " + weight);
    }
    if (threshold != null && threshold.isNaN()) {
      throw new IllegalArgumentException("threshold must be a number, was NaN");
    }
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  /**
   * @param type the type, optionally with a {@code not-} prefix
   * @param value the value, or null
   * @return a spec with weight 1 and no threshold
   */
  public static AssertionSpec of(String type, Object value) {
    boolean negated = type.startsWith("not-");
    return new AssertionSpec(negated ? type.substring(4) : type, negated, value, null, 1.0, Map.of());
  }

  /** @return the type as written in the golden set, {@code not-} prefix included */
  public String displayType() {
    return negated ? "not-" + type : type;
  }

  /**
   * @param t the threshold
   * @return a copy with that threshold
   */
  public AssertionSpec withThreshold(double t) {
    return new AssertionSpec(type, negated, value, t, weight, options);
  }
}
