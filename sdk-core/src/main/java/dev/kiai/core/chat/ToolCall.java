package dev.kiai.core.chat;

import java.util.Objects;

/**
 * A function call the model asked for.
 *
 * @param id the provider's call id; tool results refer to it
 * @param name the function name
 * @param arguments the arguments as a JSON text, exactly as the model produced them (may be invalid
 *     JSON: validate before use)
 */
public record ToolCall(String id, String name, String arguments) {
  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    arguments = arguments == null || arguments.isEmpty() ? "{}" : arguments;
  }
}
