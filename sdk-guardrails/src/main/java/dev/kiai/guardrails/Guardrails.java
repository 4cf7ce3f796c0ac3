package dev.kiai.guardrails;

import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatResponse;

/** Small helpers shared by the guardrails. */
final class Guardrails {
  private Guardrails() {}

  /** @return a copy of the response whose message text is {@code text} (tool calls kept) */
  static ChatResponse withText(ChatResponse r, String text) {
    if (text.equals(r.text())) {
      return r;
    }
    ChatMessage m = new ChatMessage(r.message().role(), text, r.message().toolCalls(), null);
    return new ChatResponse(r.id(), m, r.finishReason(), r.usage(), r.cost(), r.model(), r.provider(), r.latency(),
        r.template(), r.trace());
  }
}
