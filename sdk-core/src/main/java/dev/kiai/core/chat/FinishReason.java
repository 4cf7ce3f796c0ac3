package dev.kiai.core.chat;

/** Why the model stopped generating, normalised across providers. */
public enum FinishReason {
  /** Natural end or a stop sequence (OpenAI {@code stop}, Anthropic {@code end_turn}/{@code stop_sequence}). */
  STOP,
  /** The output hit {@code maxTokens}: the answer is truncated. */
  LENGTH,
  /** The model called one or more tools. */
  TOOL_CALLS,
  /** The provider filtered the output or the model refused. */
  CONTENT_FILTER,
  /** Anything else the provider reported. */
  OTHER
}
