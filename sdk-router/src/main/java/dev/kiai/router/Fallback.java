package dev.kiai.router;

import java.util.Objects;

/**
 * What the router does after an attempt failed with some {@link ErrorKind}.
 *
 * @param action what to do
 * @param model the alternate model for {@link Action#ALTERNATE}, else null
 */
public record Fallback(Action action, String model) {
  /** Fallback actions. */
  public enum Action {
    /** Try the next model of the decision's fallbacks. */
    NEXT,
    /** Try the next fallback whose context window is larger than the failed model's. */
    LARGER_CONTEXT,
    /** Try a specific alternate model next, then the remaining fallbacks. */
    ALTERNATE,
    /** Give up: rethrow the error. */
    FAIL
  }

  public Fallback {
    Objects.requireNonNull(action, "action");
    if ((action == Action.ALTERNATE) != (model != null)) {
      throw new IllegalArgumentException("model is required for ALTERNATE and only for it");
    }
  }

  /** @return try the next fallback */
  public static Fallback next() {
    return new Fallback(Action.NEXT, null);
  }

  /** @return try the next fallback with a larger context window */
  public static Fallback largerContext() {
    return new Fallback(Action.LARGER_CONTEXT, null);
  }

  /**
   * @param model the alternate
   * @return try that model next
   */
  public static Fallback alternate(String model) {
    return new Fallback(Action.ALTERNATE, Objects.requireNonNull(model, "model"));
  }

  /** @return rethrow */
  public static Fallback fail() {
    return new Fallback(Action.FAIL, null);
  }
}
