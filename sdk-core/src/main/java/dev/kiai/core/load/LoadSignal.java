package dev.kiai.core.load;

import java.util.Optional;

/**
 * Tells how loaded a model's serving engine is right now, so a router can overflow from a saturated
 * local GPU engine to a remote API. The local-GPU module feeds it from engine metrics; anyone can
 * implement it. Implementations are thread-safe and cheap to call on every request.
 */
@FunctionalInterface
public interface LoadSignal {

  /**
   * @param model a model id as requests name it
   * @return the latest observation for the engine serving it, or empty when unknown (no engine, or
   *     the observation is stale)
   */
  Optional<LoadSnapshot> current(String model);
}
