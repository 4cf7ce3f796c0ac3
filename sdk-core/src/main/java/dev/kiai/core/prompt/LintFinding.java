package dev.kiai.core.prompt;

import java.util.Objects;

/**
 * One problem {@link PromptLinter} found.
 *
 * @param file the file, relative to the linted directory (for example {@code summarize/1.0.0.yaml})
 * @param severity how bad it is
 * @param message what is wrong, in a sentence
 */
public record LintFinding(String file, Severity severity, String message) {
  /** How bad a finding is. */
  public enum Severity {
    /** Loading the directory fails. */
    ERROR,
    /** Loading succeeds, but something is probably not what the author meant. */
    WARNING
  }

  /** Checks the components. */
  public LintFinding {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
  }

  static LintFinding error(String file, String message) {
    return new LintFinding(file, Severity.ERROR, message);
  }

  static LintFinding warning(String file, String message) {
    return new LintFinding(file, Severity.WARNING, message);
  }

  /** @return true for {@link Severity#ERROR} */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** @return {@code file: SEVERITY: message} */
  @Override
  public String toString() {
    return file + ": " + severity + ": " + message;
  }
}
