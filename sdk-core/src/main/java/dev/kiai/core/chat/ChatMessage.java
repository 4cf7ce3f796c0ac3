package dev.kiai.core.chat;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role who wrote it
 * @param content the text; may be empty for an assistant message that only calls tools
 * @param toolCalls tool calls of an assistant message, otherwise empty
 * @param toolCallId for a {@link Role#TOOL} message, the call it answers; otherwise null
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId) {
  public ChatMessage {
    Objects.requireNonNull(role, "role");
    content = content == null ? "" : content;
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
      throw new IllegalArgumentException("toolCalls are only allowed on ASSISTANT messages, not " + role);
    }
    if (role == Role.TOOL && (toolCallId == null || toolCallId.isBlank())) {
      throw new IllegalArgumentException("toolCallId is required for TOOL messages");
    }
    if (role != Role.TOOL && toolCallId != null) {
      throw new IllegalArgumentException("toolCallId is only allowed on TOOL messages");
    }
  }

  /**
   * @param text instructions
   * @return a system message
   */
  public static ChatMessage system(String text) {
    return new ChatMessage(Role.SYSTEM, Objects.requireNonNull(text, "text"), List.of(), null);
  }

  /**
   * @param text the user's words
   * @return a user message
   */
  public static ChatMessage user(String text) {
    return new ChatMessage(Role.USER, Objects.requireNonNull(text, "text"), List.of(), null);
  }

  /**
   * @param text the model's words
   * @return an assistant message
   */
  public static ChatMessage assistant(String text) {
    return new ChatMessage(Role.ASSISTANT, Objects.requireNonNull(text, "text"), List.of(), null);
  }

  /**
   * @param text the model's words, may be empty
   * @param toolCalls the calls it made
   * @return an assistant message with tool calls
   */
  public static ChatMessage assistant(String text, List<ToolCall> toolCalls) {
    return new ChatMessage(Role.ASSISTANT, text, toolCalls, null);
  }

  /**
   * @param toolCallId the call answered
   * @param result the tool's output
   * @return a tool result message
   */
  public static ChatMessage toolResult(String toolCallId, String result) {
    return new ChatMessage(Role.TOOL, result, List.of(), toolCallId);
  }
}
