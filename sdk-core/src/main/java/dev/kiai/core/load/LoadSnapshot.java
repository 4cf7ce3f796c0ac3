package dev.kiai.core.load;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One observation of a serving engine's load.
 *
 * @param healthy whether the engine answers its health check
 * @param saturation 0 (idle) .. 1 (saturated): the engine's own judgement, e.g. from KV-cache usage and
 *     queueing
 * @param running requests being generated
 * @param queued requests waiting to start
 * @param ttftP95 recent 95th percentile of time to first token, or null when unknown
 * @param tokensPerSecond recent output tokens per second, or NaN when unknown
 * @param observedAt when the observation was made
 */
public record LoadSnapshot(
    boolean healthy, double saturation, int running, int queued, Duration ttftP95, double tokensPerSecond,
    Instant observedAt) {
  public LoadSnapshot {
    if (!(saturation >= 0 && saturation <= 1)) {
      throw new IllegalArgumentException("saturation must be within 0..1, was " + saturation);
    }
    if (running < 0 || queued < 0) {
      throw new IllegalArgumentException("running and queued must be >= 0, were " + running + ", " + queued);
    }
    Objects.requireNonNull(observedAt, "observedAt");
  }
}
