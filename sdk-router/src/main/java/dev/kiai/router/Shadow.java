package dev.kiai.router;

import dev.kiai.core.ChatModel;
import dev.kiai.core.chat.ChatResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.ToDoubleBiFunction;

/**
 * Sends a copy of a sampled share of requests to a candidate model, asynchronously and after the real
 * answer is complete, and reports a {@link ShadowComparison} to a sink. The shadow call never changes
 * the answer or its latency: it runs on the router's executor, its failures only reach the sink, and
 * when the executor is saturated the copy is dropped. Its cost is reported in the comparison, not
 * charged to the request. Immutable.
 */
public final class Shadow {
  private final String model;
  private final ChatModel candidate;
  private final double sampleRate;
  private final Consumer<ShadowComparison> sink;
  private final ToDoubleBiFunction<ChatResponse, ChatResponse> agreement;

  private Shadow(Builder b) {
    this.model = b.model;
    this.candidate = b.candidate;
    this.sampleRate = b.sampleRate;
    this.sink = b.sink;
    this.agreement = b.agreement;
  }

  /**
   * @param model the candidate's model id
   * @param candidate the model that answers the copies
   * @param sink receives one comparison per copy, on an executor thread
   * @return a builder (defaults: every request; agreement 1 when the normalised texts are equal, else 0)
   */
  public static Builder builder(String model, ChatModel candidate, Consumer<ShadowComparison> sink) {
    return new Builder(model, candidate, sink);
  }

  String model() {
    return model;
  }

  ChatModel candidate() {
    return candidate;
  }

  Consumer<ShadowComparison> sink() {
    return sink;
  }

  double agreement(ChatResponse primary, ChatResponse shadow) {
    return agreement.applyAsDouble(primary, shadow);
  }

  boolean samples(String requestId) {
    if (sampleRate >= 1) {
      return true;
    }
    int h = 0x811c9dc5;
    for (byte b : requestId.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x01000193;
    }
    return Math.floorMod(h, 10_000) < sampleRate * 10_000;
  }

  /** Builds a {@link Shadow}. */
  public static final class Builder {
    private final String model;
    private final ChatModel candidate;
    private final Consumer<ShadowComparison> sink;
    private double sampleRate = 1;
    private ToDoubleBiFunction<ChatResponse, ChatResponse> agreement =
        (a, b) -> Verifiers.normalise(a.text()).equals(Verifiers.normalise(b.text())) ? 1 : 0;

    private Builder(String model, ChatModel candidate, Consumer<ShadowComparison> sink) {
      this.model = Objects.requireNonNull(model, "model");
      this.candidate = Objects.requireNonNull(candidate, "candidate");
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** @param sampleRate share of requests copied, 0..1 (by request id) @return this */
    public Builder sampleRate(double sampleRate) {
      if (!(sampleRate >= 0 && sampleRate <= 1)) {
        throw new IllegalArgumentException("sampleRate must be within 0..1, was " + sampleRate);
      }
      this.sampleRate = sampleRate;
      return this;
    }

    /** @param agreement scores how well the shadow answer agrees with the real one, 0..1 @return this */
    public Builder agreement(ToDoubleBiFunction<ChatResponse, ChatResponse> agreement) {
      this.agreement = Objects.requireNonNull(agreement, "agreement");
      return this;
    }

    /** @return the shadow configuration */
    public Shadow build() {
      return new Shadow(this);
    }
  }
}
