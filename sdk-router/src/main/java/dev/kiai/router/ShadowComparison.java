package dev.kiai.router;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one shadow copy.
 *
 * @param requestId the original request's id
 * @param primaryModel the model that produced the real answer
 * @param shadowModel the candidate model
 * @param agreement how well the candidate's answer agrees with the real one, 0..1; 0 when it failed
 * @param primaryLatency latency of the real answer
 * @param shadowLatency latency of the candidate's answer (until failure, when it failed)
 * @param shadowCostUsd the candidate call's cost from the router's price table, or null when unknown
 * @param shadowText the candidate's answer, or "" when it failed
 * @param error the candidate's failure as {@code SimpleClassName: message}, or null
 */
public record ShadowComparison(
    String requestId, String primaryModel, String shadowModel, double agreement, Duration primaryLatency,
    Duration shadowLatency, BigDecimal shadowCostUsd, String shadowText, String error) {
  public ShadowComparison {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(primaryModel, "primaryModel");
    Objects.requireNonNull(shadowModel, "shadowModel");
    if (!(agreement >= 0 && agreement <= 1)) {
      throw new IllegalArgumentException("agreement must be within 0..1, was " + agreement);
    }
    shadowText = shadowText == null ? "" : shadowText;
  }

  /** @return true when the candidate answered */
  public boolean succeeded() {
    return error == null;
  }
}
