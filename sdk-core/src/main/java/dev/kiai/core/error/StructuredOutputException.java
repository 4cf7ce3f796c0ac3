package dev.kiai.core.error;

import java.util.List;

/**
 * The model's output did not satisfy the requested structure (not JSON, or JSON that violates the
 * schema). Carries the validation errors and the raw output so the caller can repair or retry.
 */
public final class StructuredOutputException extends KiaiException {
  private static final long serialVersionUID = 1L;

  private final List<String> validationErrors;
  private final String rawOutput;

  public StructuredOutputException(List<String> validationErrors, String rawOutput) {
    super("structured output invalid: " + validationErrors, null);
    this.validationErrors = List.copyOf(validationErrors);
    this.rawOutput = rawOutput == null ? "" : rawOutput;
  }

  /** @return one message per violation, each naming the JSON path */
  public List<String> validationErrors() {
    return validationErrors;
  }

  /** @return the output as the model produced it */
  public String rawOutput() {
    return rawOutput;
  }
}
