package dev.kiai.eval;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one golden case.
 *
 * @param id the case id
 * @param status passed, failed or errored
 * @param score weighted mean of the assertion scores (a passing assertion without a score counts 1, a
 *     failing one 0), in 0..1
 * @param assertions every assertion outcome, in the case's order
 * @param input the rendered input shown in reports (last user message)
 * @param output the answer, or null when the model call failed
 * @param error why the case errored (model failure, timeout, judge failure), or null
 * @param tags the case's tags
 * @param weight the case's weight
 * @param attempts model calls made (1 + retries used; 0 for cached answers)
 * @param cached true when the answer came from the result cache
 * @param judgeCostUsd exact cost of judge calls for this case in USD (zero without judge or price)
 */
public record CaseResult(
    String id, Status status, double score, List<AssertionResult> assertions, String input, CaseOutput output,
    String error, List<String> tags, double weight, int attempts, boolean cached, BigDecimal judgeCostUsd) {

  /** The outcome class of a case. */
  public enum Status {
    /** Every assertion passed. */
    PASSED,
    /** An assertion failed. */
    FAILED,
    /** The case could not be evaluated: the model call or an assertion errored. Never counted as passed. */
    ERRORED
  }

  public CaseResult {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    assertions = List.copyOf(assertions);
    tags = tags == null ? List.of() : List.copyOf(tags);
    input = input == null ? "" : input;
    judgeCostUsd = judgeCostUsd == null ? BigDecimal.ZERO : judgeCostUsd;
  }

  /** @return true when the case passed */
  public boolean passed() {
    return status == Status.PASSED;
  }

  /** @return the first failing or errored assertion, or null */
  public AssertionResult firstFailure() {
    return assertions.stream().filter(a -> !a.pass()).findFirst().orElse(null);
  }

  /**
   * @return a multi-line explanation of the outcome: input, output and every failing assertion, as
   *     shown in JUnit failures and reports
   */
  public String explain() {
    StringBuilder sb = new StringBuilder();
    sb.append("case ").append(id).append(": ").append(status.name().toLowerCase(java.util.Locale.ROOT))
        .append(" (score ").append(String.format(java.util.Locale.ROOT, "%.3f", score)).append(")\n");
    sb.append("  input:  ").append(input.strip().replace("\n", "\n          ")).append('\n');
    sb.append("  output: ").append(output == null ? "(none)" : output.text().strip().replace("\n", "\n          "))
        .append('\n');
    if (error != null) {
      sb.append("  error:  ").append(error).append('\n');
    }
    for (AssertionResult a : assertions) {
      if (!a.pass()) {
        sb.append("  ").append(a.errored() ? "errored " : "failed  ").append(a.type());
        if (a.score() != null) {
          sb.append(" (score ").append(String.format(java.util.Locale.ROOT, "%.3f", a.score())).append(')');
        }
        sb.append(": ").append(a.reason()).append('\n');
      }
    }
    return sb.toString();
  }
}
