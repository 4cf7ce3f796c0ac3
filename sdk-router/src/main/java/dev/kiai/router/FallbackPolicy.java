package dev.kiai.router;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which {@link Fallback} applies to each {@link ErrorKind}. Defaults (LiteLLM-like): rate limits,
 * outages, timeouts, open circuits, full bulkheads, throttling, malformed answers and rejected
 * credentials go to the next fallback; a context-length error goes to the next fallback with a larger
 * window; a content-policy refusal and an invalid request fail (configure
 * {@link Fallback#alternate} for content policy to try another provider). Immutable.
 */
public final class FallbackPolicy {
  private final Map<ErrorKind, Fallback> byKind;

  private FallbackPolicy(Map<ErrorKind, Fallback> byKind) {
    this.byKind = Map.copyOf(byKind);
  }

  /** @return the defaults described above */
  public static FallbackPolicy defaults() {
    return builder().build();
  }

  /** @return a builder starting from the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param kind a kind of failure
   * @return what to do after it
   */
  public Fallback on(ErrorKind kind) {
    return byKind.get(Objects.requireNonNull(kind, "kind"));
  }

  /** Builds a {@link FallbackPolicy}. */
  public static final class Builder {
    private final Map<ErrorKind, Fallback> byKind = new EnumMap<>(ErrorKind.class);

    private Builder() {
      for (ErrorKind k : ErrorKind.values()) {
        byKind.put(k, Fallback.next());
      }
      byKind.put(ErrorKind.CONTEXT_LENGTH, Fallback.largerContext());
      byKind.put(ErrorKind.CONTENT_POLICY, Fallback.fail());
      byKind.put(ErrorKind.INVALID_REQUEST, Fallback.fail());
      byKind.put(ErrorKind.OTHER, Fallback.fail());
    }

    /**
     * @param kind a kind of failure
     * @param fallback what to do after it
     * @return this
     */
    public Builder on(ErrorKind kind, Fallback fallback) {
      byKind.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(fallback, "fallback"));
      return this;
    }

    /** @return the policy */
    public FallbackPolicy build() {
      return new FallbackPolicy(byKind);
    }
  }
}
