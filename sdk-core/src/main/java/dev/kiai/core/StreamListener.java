package dev.kiai.core;

import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.ToolCallDelta;

/**
 * Receives a streamed answer. Only completion and error are abstract, so new kinds of events can be
 * added later without breaking implementations. Exactly one of {@link #onComplete} and
 * {@link #onError} is called, last.
 */
public interface StreamListener {

  /**
   * A piece of answer text.
   *
   * @param delta the next characters
   */
  default void onText(String delta) {}

  /**
   * A piece of a tool call.
   *
   * @param delta the fragment
   */
  default void onToolCall(ToolCallDelta delta) {}

  /**
   * The answer is complete.
   *
   * @param response the assembled answer with usage and cost, as {@link ChatModel#chat} would return it
   */
  void onComplete(ChatResponse response);

  /**
   * The stream failed. Text received before the failure is carried by the exception where it is a
   * {@link dev.kiai.core.error.MalformedResponseException} or
   * {@link dev.kiai.core.error.ProviderTimeoutException}.
   *
   * @param error a {@link dev.kiai.core.error.KiaiException} for provider failures, otherwise the
   *     exception an interceptor raised
   */
  void onError(Throwable error);
}
