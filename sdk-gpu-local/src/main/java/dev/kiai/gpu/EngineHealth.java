package dev.kiai.gpu;

import java.util.Objects;

/**
 * The answer of an engine's health check.
 *
 * @param state ready, loading or down
 * @param httpStatus the status of the health endpoint, or 0 when it could not be reached
 * @param detail what the engine or the connection said, for logs; never prompt text
 */
public record EngineHealth(State state, int httpStatus, String detail) {
  /** Engine states. */
  public enum State {
    /** Serving requests. */
    READY,
    /** Up, but still loading the model (llama.cpp answers 503 "Loading model"). */
    LOADING,
    /** Unreachable or failing its health check. */
    DOWN
  }

  public EngineHealth {
    Objects.requireNonNull(state, "state");
    detail = detail == null ? "" : detail;
  }

  /** @return whether the engine can serve requests now */
  public boolean ready() {
    return state == State.READY;
  }
}
