package dev.kiai.core.error;

import java.util.List;

/**
 * A prompt template could not be resolved or rendered: unknown id, version or label, or missing
 * required variables (named in {@link #missingVariables()}).
 */
public final class TemplateException extends KiaiException {
  private static final long serialVersionUID = 1L;

  private final String template;
  private final List<String> missingVariables;

  public TemplateException(String template, String message, List<String> missingVariables) {
    super("template " + template + ": " + message, null);
    this.template = template;
    this.missingVariables = List.copyOf(missingVariables);
  }

  /** @return the template reference as the caller gave it, e.g. {@code summarize@prod} */
  public String template() {
    return template;
  }

  /** @return the required variables that were not supplied, empty for other failures */
  public List<String> missingVariables() {
    return missingVariables;
  }
}
