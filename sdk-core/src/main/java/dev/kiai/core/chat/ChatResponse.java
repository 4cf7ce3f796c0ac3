package dev.kiai.core.chat;

import dev.kiai.core.Trace;
import dev.kiai.core.prompt.TemplateRef;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a {@link ChatRequest}, with everything needed to account for it: the model and
 * provider that actually ran, tokens, exact cost, latency, the template version used and the trace of
 * every decision on the way.
 *
 * @param id the provider's response id, or a Kiai id for answers not from a provider (cache hits)
 * @param message the assistant message (text and tool calls)
 * @param finishReason why generation stopped
 * @param usage tokens consumed
 * @param cost exact cost of this response; {@link Cost#UNKNOWN} when the model has no price
 * @param model the model that produced the answer, as the provider reported it
 * @param provider the provider name, e.g. {@code openai}
 * @param latency wall time from sending the request to the full answer
 * @param template the template version the request was rendered from, or null
 * @param trace decisions recorded along the request path
 */
public record ChatResponse(
    String id, ChatMessage message, FinishReason finishReason, Usage usage, Cost cost, String model,
    String provider, Duration latency, TemplateRef template, Trace trace) {

  public ChatResponse {
    Objects.requireNonNull(message, "message");
    if (message.role() != Role.ASSISTANT) {
      throw new IllegalArgumentException("message must be an ASSISTANT message, was " + message.role());
    }
    Objects.requireNonNull(finishReason, "finishReason");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(provider, "provider");
    id = id == null ? "" : id;
    usage = usage == null ? Usage.ZERO : usage;
    cost = cost == null ? Cost.UNKNOWN : cost;
    latency = latency == null ? Duration.ZERO : latency;
    trace = trace == null ? Trace.EMPTY : trace;
  }

  /** @return the answer's text */
  public String text() {
    return message.content();
  }

  /** @return the tool calls of the answer, possibly empty */
  public List<ToolCall> toolCalls() {
    return message.toolCalls();
  }

  /** @param cost new cost @return a copy with that cost */
  public ChatResponse withCost(Cost cost) {
    return new ChatResponse(id, message, finishReason, usage, cost, model, provider, latency, template, trace);
  }

  /** @param latency new latency @return a copy with that latency */
  public ChatResponse withLatency(Duration latency) {
    return new ChatResponse(id, message, finishReason, usage, cost, model, provider, latency, template, trace);
  }

  /** @param template template version @return a copy with that template */
  public ChatResponse withTemplate(TemplateRef template) {
    return new ChatResponse(id, message, finishReason, usage, cost, model, provider, latency, template, trace);
  }

  /** @param trace new trace @return a copy with that trace */
  public ChatResponse withTrace(Trace trace) {
    return new ChatResponse(id, message, finishReason, usage, cost, model, provider, latency, template, trace);
  }
}
