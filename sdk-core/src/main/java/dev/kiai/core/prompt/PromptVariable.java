package dev.kiai.core.prompt;

import java.util.Objects;

/**
 * A variable a {@link PromptTemplate} declares and its text refers to as {@code {{name}}}.
 *
 * <p>A required variable must be supplied to {@link PromptTemplate#render(java.util.Map)}; its default,
 * if any, is never used (the linter warns about it). An optional variable that is not supplied renders
 * as its default, or as the empty string when it has none.
 *
 * @param name the name used in placeholders: a letter or {@code _}, then letters, digits, {@code _},
 *     {@code .} or {@code -}
 * @param required whether callers must supply a value
 * @param defaultValue the value used when an optional variable is not supplied, or null
 * @param description what the variable is for, or null; documentation only
 */
public record PromptVariable(String name, boolean required, String defaultValue, String description) {

  /**
   * Validates the name.
   *
   * @throws IllegalArgumentException when the name is not a valid placeholder name
   */
  public PromptVariable {
    Objects.requireNonNull(name, "name");
    if (!TemplateText.isValidName(name)) {
      throw new IllegalArgumentException("invalid variable name '" + name
          + "': expected a letter or _, then letters, digits, _, . or -");
    }
  }

  /**
   * @param name variable name
   * @return a required variable without default or description
   */
  public static PromptVariable required(String name) {
    return new PromptVariable(name, true, null, null);
  }

  /**
   * @param name variable name
   * @param defaultValue value used when the caller supplies none, or null for the empty string
   * @return an optional variable
   */
  public static PromptVariable optional(String name, String defaultValue) {
    return new PromptVariable(name, false, defaultValue, null);
  }
}
