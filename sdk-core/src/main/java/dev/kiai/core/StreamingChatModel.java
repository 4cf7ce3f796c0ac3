package dev.kiai.core;

import dev.kiai.core.chat.ChatRequest;

/**
 * A {@link ChatModel} that can also deliver its answer incrementally.
 */
public interface StreamingChatModel extends ChatModel {

  /**
   * Sends the request and delivers the answer to {@code listener} as it arrives. Blocks the calling
   * thread until exactly one of {@link StreamListener#onComplete} or {@link StreamListener#onError} has
   * been called; never throws for provider failures, which go to {@code onError} as
   * {@link dev.kiai.core.error.KiaiException}s.
   *
   * @param request the request
   * @param listener receives deltas and then completion or error
   */
  void stream(ChatRequest request, StreamListener listener);
}
