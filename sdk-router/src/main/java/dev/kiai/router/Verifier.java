package dev.kiai.router;

import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import java.util.Objects;

/**
 * Decides whether a cheaper model's answer is good enough in a cascade (see
 * {@link RouteDecision#withVerifier}). Ready-made verifiers are in {@link Verifiers}: JSON Schema
 * validity, a predicate, self-consistency of two samples, and a judge score from any model. A verifier
 * that needs more model calls makes them through the {@link Caller}, so they are priced, traced and
 * charged to the request like every other call. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Verifier {

  /**
   * @param request the request as sent to the model that answered (its {@code model} set)
   * @param answer that model's answer
   * @param caller makes further calls through the rest of the chain
   * @return whether to accept the answer, and why
   */
  Verdict verify(ChatRequest request, ChatResponse answer, Caller caller);

  /** @return the name recorded in the trace */
  default String name() {
    return "verifier";
  }

  /** Sends a request through the rest of the interceptor chain to the model it names. */
  @FunctionalInterface
  interface Caller {
    /**
     * @param request the request; its {@code model} chooses the model
     * @return the priced answer
     */
    ChatResponse call(ChatRequest request);
  }

  /**
   * A verifier's judgement.
   *
   * @param accepted whether the answer is good enough
   * @param score a score in 0..1 behind the judgement (1 for a plain pass, 0 for a plain fail)
   * @param reason why, recorded in the trace
   */
  record Verdict(boolean accepted, double score, String reason) {
    public Verdict {
      if (!(score >= 0 && score <= 1)) {
        throw new IllegalArgumentException("score must be within 0..1, was " + score);
      }
      Objects.requireNonNull(reason, "reason");
    }

    /**
     * @param reason why
     * @return an acceptance with score 1
     */
    public static Verdict pass(String reason) {
      return new Verdict(true, 1, reason);
    }

    /**
     * @param reason why
     * @return a rejection with score 0
     */
    public static Verdict fail(String reason) {
      return new Verdict(false, 0, reason);
    }
  }
}
