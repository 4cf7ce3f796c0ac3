package dev.kiai.core.chat;

/** Who wrote a {@link ChatMessage}. */
public enum Role {
  /** Instructions from the application. */
  SYSTEM,
  /** The end user's turn. */
  USER,
  /** The model's turn, possibly with tool calls. */
  ASSISTANT,
  /** The result of a tool call, answering one {@link ToolCall#id()}. */
  TOOL
}
