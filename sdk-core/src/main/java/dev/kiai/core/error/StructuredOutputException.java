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
  private final List<String> attempts;

  public StructuredOutputException(List<String> validationErrors, String rawOutput) {
    this(validationErrors, rawOutput, rawOutput == null ? List.of() : List.of(rawOutput));
  }

  /**
   * @param validationErrors the errors of the last attempt
   * @param rawOutput the last attempt's output
   * @param attempts every output the model produced, in order (the last equals {@code rawOutput})
   */
  public StructuredOutputException(List<String> validationErrors, String rawOutput, List<String> attempts) {
    super("structured output invalid after " + attempts.size() + " attempt(s): " + validationErrors, null);
    this.validationErrors = List.copyOf(validationErrors);
    this.rawOutput = rawOutput == null ? "" : rawOutput;
    this.attempts = List.copyOf(attempts);
  }

  /** @return every output the model produced, in order, so a caller can inspect or log each try */
  public List<String> attempts() {
    return attempts;
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
