package dev.kiai.eval;

import java.util.Objects;

/**
 * The outcome of one assertion on one answer.
 *
 * @param type the type as written, {@code not-} prefix included
 * @param pass true when the answer satisfied it
 * @param score the measured score in 0..1 where the type has one (similarity, ROUGE-L, judge score),
 *     or null
 * @param reason why it failed or what was measured, human-readable
 * @param errored true when the assertion could not be evaluated (malformed judge reply, missing judge,
 *     invalid regex...): then {@code pass} is false and the case counts as errored, not failed
 * @param weight the assertion's weight in the case score
 */
public record AssertionResult(String type, boolean pass, Double score, String reason, boolean errored, double weight) {
  public AssertionResult {
    Objects.requireNonNull(type, "type");
    reason = reason == null ? "" : reason;
    if (errored && pass) {
      throw new IllegalArgumentException("pass must be false when errored");
    }
  }

  static AssertionResult error(AssertionSpec spec, String reason) {
    return new AssertionResult(spec.displayType(), false, null, reason, true, spec.weight());
  }
}
