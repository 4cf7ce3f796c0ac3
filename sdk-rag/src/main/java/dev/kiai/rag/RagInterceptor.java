package dev.kiai.rag;

import dev.kiai.core.LlmInterceptor;
import dev.kiai.core.chat.ChatResponse;

/**
 * Grounds every request that passes through a {@code Kiai} chain: the last user message is the
 * question, the retrieved sources go into a system message placed first, the answer's citations are
 * checked, re-asked, stripped or failed as the {@link RagPipeline} it came from is configured, and the
 * decision is recorded in the trace under stage {@code rag} (decision {@code grounded},
 * {@code grounded-after-reask} or {@code stripped}; attributes {@code sources}, {@code source.N} with
 * the chunk id and the sentences it supports, {@code problems}). Create it with
 * {@link RagPipeline#interceptor()}. Streaming calls pass through unchanged: citations can only be
 * checked on a complete answer. Thread-safe.
 */
public final class RagInterceptor implements LlmInterceptor {
  private final Grounding grounding;

  RagInterceptor(Grounding grounding) {
    this.grounding = grounding;
  }

  @Override
  public ChatResponse intercept(Chain chain) {
    Grounding.Outcome o = grounding.run(chain.request(), chain::proceed);
    chain.record(o.decision(), o.attributes());
    return o.answer().response();
  }

  @Override
  public String name() {
    return Grounding.STAGE;
  }
}
