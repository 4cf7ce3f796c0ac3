package dev.kiai.core.chat;

/**
 * A fragment of a tool call as it streams in. Fragments with the same {@code index} belong to the
 * same call; {@code id} and {@code name} arrive with the first fragment, {@code arguments} in pieces.
 *
 * @param index position of the call within the answer
 * @param id call id, or null after the first fragment
 * @param name function name, or null after the first fragment
 * @param argumentsDelta the next piece of the arguments JSON text, possibly empty
 */
public record ToolCallDelta(int index, String id, String name, String argumentsDelta) {
  public ToolCallDelta {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    argumentsDelta = argumentsDelta == null ? "" : argumentsDelta;
  }
}
