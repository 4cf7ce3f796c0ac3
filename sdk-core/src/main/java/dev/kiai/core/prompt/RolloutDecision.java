package dev.kiai.core.prompt;

import java.util.Objects;

/**
 * Which version {@link PromptRegistry#select(String, String)} chose for a user, and why.
 *
 * @param template the chosen version
 * @param label {@code canary}, {@code prod}, or {@code latest} when the template has no {@code prod}
 *     label
 * @param bucket the user's stable bucket 0..99 for this template id
 * @param canaryPercent the template's canary percentage 0..100 (0 when it has none)
 * @param reason a sentence explaining the choice, for traces and logs
 */
public record RolloutDecision(PromptTemplate template, String label, int bucket, int canaryPercent, String reason) {

  /** Checks the components. */
  public RolloutDecision {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(reason, "reason");
    if (bucket < 0 || bucket > 99) {
      throw new IllegalArgumentException("bucket must be within 0..99, was " + bucket);
    }
    if (canaryPercent < 0 || canaryPercent > 100) {
      throw new IllegalArgumentException("canaryPercent must be within 0..100, was " + canaryPercent);
    }
  }

  /** @return the chosen {@code id@version} */
  public TemplateRef ref() {
    return template.ref();
  }

  /** @return true when the user was put on the canary version */
  public boolean canary() {
    return label.equals(Labels.CANARY);
  }
}
