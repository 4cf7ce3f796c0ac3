package dev.kiai.core.chat;

import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param name function name ({@code [a-zA-Z0-9_-]{1,64}})
 * @param description what the function does; the model reads it
 * @param parametersSchema JSON Schema of the arguments object, as JSON text
 */
public record ToolDefinition(String name, String description, String parametersSchema) {
  public ToolDefinition {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("name must match [a-zA-Z0-9_-]{1,64}: " + name);
    }
    description = description == null ? "" : description;
    parametersSchema = parametersSchema == null || parametersSchema.isBlank()
        ? "{\"type\":\"object\",\"properties\":{}}"
        : Json.requireObject(parametersSchema, "parametersSchema");
  }
}
