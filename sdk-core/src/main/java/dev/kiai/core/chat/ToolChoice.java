package dev.kiai.core.chat;

import java.util.Objects;

/**
 * Whether and which tool the model must call.
 *
 * @param mode auto, none, required, or a specific tool
 * @param toolName the tool for {@link Mode#TOOL}, otherwise null
 */
public record ToolChoice(Mode mode, String toolName) {
  /** How the model may use tools. */
  public enum Mode {
    /** The model decides. */
    AUTO,
    /** No tool calls. */
    NONE,
    /** At least one tool call. */
    REQUIRED,
    /** Exactly the named tool. */
    TOOL
  }

  public ToolChoice {
    Objects.requireNonNull(mode, "mode");
    if (mode == Mode.TOOL && (toolName == null || toolName.isBlank())) {
      throw new IllegalArgumentException("toolName is required for mode TOOL");
    }
    if (mode != Mode.TOOL && toolName != null) {
      throw new IllegalArgumentException("toolName is only allowed for mode TOOL");
    }
  }

  /** @return the model decides */
  public static ToolChoice auto() {
    return new ToolChoice(Mode.AUTO, null);
  }

  /** @return no tool calls */
  public static ToolChoice none() {
    return new ToolChoice(Mode.NONE, null);
  }

  /** @return at least one tool call */
  public static ToolChoice required() {
    return new ToolChoice(Mode.REQUIRED, null);
  }

  /**
   * @param name the tool
   * @return a call of exactly that tool
   */
  public static ToolChoice tool(String name) {
    return new ToolChoice(Mode.TOOL, name);
  }
}
