package dev.kiai.core.prompt;

import java.util.Objects;
import java.util.regex.Pattern;

/** Label names with a meaning, and the rule for the rest. */
final class Labels {
  /** Resolves to the highest released version; cannot be assigned. */
  static final String LATEST = "latest";
  /** Key of the canary percentage in {@code labels.yaml}; cannot be assigned. */
  static final String CANARY_PERCENT = "canary_percent";
  /** The version most users get from {@link PromptRegistry#select(String, String)}. */
  static final String PROD = "prod";
  /** The version {@code canary_percent} of users get from {@link PromptRegistry#select(String, String)}. */
  static final String CANARY = "canary";

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

  private Labels() {}

  /**
   * Starting with a letter keeps labels apart from versions in {@code id@label} references.
   *
   * @return {@code label}
   * @throws IllegalArgumentException when the label is malformed or reserved
   */
  static String check(String label) {
    Objects.requireNonNull(label, "label");
    if (!NAME.matcher(label).matches()) {
      throw new IllegalArgumentException(
          "invalid label '" + label + "': expected a letter, then letters, digits, _ or -");
    }
    if (label.equals(LATEST) || label.equals(CANARY_PERCENT)) {
      throw new IllegalArgumentException("label '" + label + "' is reserved");
    }
    return label;
  }
}
