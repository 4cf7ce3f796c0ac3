package dev.kiai.eval;

import dev.kiai.core.chat.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * What the model under test produced for one case; the subject of every assertion.
 *
 * @param text the answer text
 * @param model the model that answered
 * @param usage tokens consumed
 * @param costUsd exact cost in USD, or null when the model has no price
 * @param latency wall time of the call (zero for cached and replayed answers)
 */
public record CaseOutput(String text, String model, Usage usage, BigDecimal costUsd, Duration latency) {
  public CaseOutput {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(model, "model");
    usage = usage == null ? Usage.ZERO : usage;
    latency = latency == null ? Duration.ZERO : latency;
  }

  /**
   * @param text the answer
   * @return an output with no usage, cost or latency, e.g. for checking assertions directly
   */
  public static CaseOutput ofText(String text) {
    return new CaseOutput(text, "none", Usage.ZERO, null, Duration.ZERO);
  }
}
