package dev.kiai.gpu;

import dev.kiai.core.telemetry.TelemetryNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An adaptive concurrency limit for one engine (AIMD) that keeps time to first token under an SLO.
 * Each request takes a {@link Permit} and reports its TTFT when it returns it. A TTFT within the SLO,
 * while the limit was in use, raises the limit by one per limit's worth of requests (additive
 * increase); a TTFT over the SLO cuts it by {@code backoff} at most once per round trip (multiplicative
 * decrease: permits taken before the last cut cannot cut again). Requests over the limit wait at most
 * {@code maxWait}, and at most {@code maxQueue} of them; the others are refused at once, so that the
 * caller overflows (to the premium API) instead of piling up.
 *
 * <pre>{@code
 * AdmissionController admission = AdmissionController.builder().ttftSlo(Duration.ofMillis(800)).build();
 * Optional<AdmissionController.Permit> permit = admission.tryAcquire();
 * if (permit.isEmpty()) { ...overflow... }
 * }</pre>
 *
 * <p>Thread-safe. {@link AdmissionChatModel} wraps a streaming model with one.
 */
public final class AdmissionController {
  private final Duration ttftSlo;
  private final int minLimit;
  private final int maxLimit;
  private final double backoff;
  private final Duration maxWait;
  private final int maxQueue;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private double limit;
  private int inFlight;
  private int waiting;
  private long issued;
  private long lastCutAt;
  private long rejected;
  private final Counter rejections;

  private AdmissionController(Builder b) {
    this.ttftSlo = b.ttftSlo;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.backoff = b.backoff;
    this.maxWait = b.maxWait;
    this.maxQueue = b.maxQueue;
    this.limit = Math.max(b.minLimit, Math.min(b.maxLimit, b.initialLimit));
    if (b.registry != null) {
      Gauge.builder(TelemetryNames.KIAI_GPU_ADMISSION_LIMIT, this, AdmissionController::limit)
          .tag(TelemetryNames.KIAI_ENGINE, b.engine).strongReference(true).register(b.registry);
      Gauge.builder(TelemetryNames.KIAI_GPU_ADMISSION_IN_FLIGHT, this, AdmissionController::inFlight)
          .tag(TelemetryNames.KIAI_ENGINE, b.engine).strongReference(true).register(b.registry);
      this.rejections = Counter.builder(TelemetryNames.KIAI_GPU_ADMISSION_REJECTIONS)
          .tag(TelemetryNames.KIAI_ENGINE, b.engine).register(b.registry);
    } else {
      this.rejections = null;
    }
  }

  private void reject() {
    rejected++;
    if (rejections != null) {
      rejections.increment();
    }
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Takes a permit, waiting at most {@code maxWait} when the limit is reached.
   *
   * @return the permit, or empty when the limit stayed reached for {@code maxWait}, the wait queue is
   *     full, or the thread was interrupted (its interrupt flag is then set again)
   */
  public Optional<Permit> tryAcquire() {
    lock.lock();
    try {
      if (inFlight < currentLimit()) {
        return Optional.of(grant());
      }
      if (waiting >= maxQueue || maxWait.isZero()) {
        reject();
        return Optional.empty();
      }
      waiting++;
      try {
        long nanos = maxWait.toNanos();
        while (inFlight >= currentLimit()) {
          if (nanos <= 0) {
            reject();
            return Optional.empty();
          }
          nanos = released.awaitNanos(nanos);
        }
        return Optional.of(grant());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reject();
        return Optional.empty();
      } finally {
        waiting--;
      }
    } finally {
      lock.unlock();
    }
  }

  private Permit grant() {
    inFlight++;
    issued++;
    return new Permit(issued, inFlight);
  }

  private int currentLimit() {
    return (int) Math.floor(limit);
  }

  private void onRelease(Permit p, Duration ttft) {
    lock.lock();
    try {
      inFlight--;
      if (ttft != null) {
        if (ttft.compareTo(ttftSlo) > 0) {
          if (p.sequence > lastCutAt) {
            limit = Math.max(minLimit, Math.floor(limit * backoff));
            lastCutAt = issued;
          }
        } else if (p.inFlightAtStart * 2 >= currentLimit()) {
          limit = Math.min(maxLimit, limit + 1.0 / Math.max(1, currentLimit()));
        }
      }
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** @return the current concurrency limit */
  public int limit() {
    lock.lock();
    try {
      return currentLimit();
    } finally {
      lock.unlock();
    }
  }

  /** @return permits held now */
  public int inFlight() {
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }

  /** @return requests waiting for a permit now */
  public int waiting() {
    lock.lock();
    try {
      return waiting;
    } finally {
      lock.unlock();
    }
  }

  /** @return requests refused since creation */
  public long rejected() {
    lock.lock();
    try {
      return rejected;
    } finally {
      lock.unlock();
    }
  }

  /** @return the TTFT target */
  public Duration ttftSlo() {
    return ttftSlo;
  }

  /**
   * The right to send one request. Return it exactly once with {@link #release(Duration)} (with the
   * TTFT seen) or {@link #close()} (no TTFT: failures and cancellations do not move the limit).
   */
  public final class Permit implements AutoCloseable {
    private final long sequence;
    private final int inFlightAtStart;
    private boolean done;

    private Permit(long sequence, int inFlightAtStart) {
      this.sequence = sequence;
      this.inFlightAtStart = inFlightAtStart;
    }

    /** @param ttft time to first token of the request, which adjusts the limit */
    public void release(Duration ttft) {
      Objects.requireNonNull(ttft, "ttft");
      finish(ttft);
    }

    /** Returns the permit without a TTFT; a second call has no effect. */
    @Override
    public void close() {
      finish(null);
    }

    private void finish(Duration ttft) {
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
      }
      onRelease(this, ttft);
    }
  }

  /** Configures an {@link AdmissionController}. */
  public static final class Builder {
    private Duration ttftSlo = Duration.ofSeconds(1);
    private int initialLimit = 8;
    private int minLimit = 1;
    private int maxLimit = 256;
    private double backoff = 0.75;
    private Duration maxWait = Duration.ofMillis(50);
    private int maxQueue = 16;
    private MeterRegistry registry;
    private String engine;

    private Builder() {}

    /**
     * Publishes {@value TelemetryNames#KIAI_GPU_ADMISSION_LIMIT}, {@value TelemetryNames#KIAI_GPU_ADMISSION_IN_FLIGHT}
     * and {@value TelemetryNames#KIAI_GPU_ADMISSION_REJECTIONS}, tagged {@value TelemetryNames#KIAI_ENGINE}.
     * Without a registry nothing is recorded.
     *
     * @param registry where to register the meters
     * @param engine the engine's name for the tag, e.g. {@code vllm-gpu-box}
     * @return this
     */
    public Builder meterRegistry(MeterRegistry registry, String engine) {
      this.registry = Objects.requireNonNull(registry, "registry");
      if (engine == null || engine.isBlank()) {
        throw new IllegalArgumentException("engine must not be blank");
      }
      this.engine = engine;
      return this;
    }

    /** @param slo TTFT to stay under, default 1 s @return this */
    public Builder ttftSlo(Duration slo) {
      this.ttftSlo = positive(slo, "ttftSlo");
      return this;
    }

    /** @param limit starting limit, default 8 @return this */
    public Builder initialLimit(int limit) {
      this.initialLimit = atLeastOne(limit, "initialLimit");
      return this;
    }

    /**
     * @param min lowest limit, default 1
     * @param max highest limit, default 256
     * @return this
     */
    public Builder limits(int min, int max) {
      atLeastOne(min, "minLimit");
      if (max < min) {
        throw new IllegalArgumentException("maxLimit must be >= minLimit " + min + ", was " + max);
      }
      this.minLimit = min;
      this.maxLimit = max;
      return this;
    }

    /** @param factor multiplier applied on an SLO miss, within (0,1), default 0.75 @return this */
    public Builder backoff(double factor) {
      if (!(factor > 0 && factor < 1)) {
        throw new IllegalArgumentException("backoff must be within (0,1), was " + factor);
      }
      this.backoff = factor;
      return this;
    }

    /** @param wait longest wait for a permit, zero to never wait; default 50 ms @return this */
    public Builder maxWait(Duration wait) {
      if (wait == null || wait.isNegative()) {
        throw new IllegalArgumentException("maxWait must be >= 0, was " + wait);
      }
      this.maxWait = wait;
      return this;
    }

    /** @param max most requests waiting at once, default 16 @return this */
    public Builder maxQueue(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxQueue must be >= 0, was " + max);
      }
      this.maxQueue = max;
      return this;
    }

    /** @return the controller */
    public AdmissionController build() {
      return new AdmissionController(this);
    }

    private static Duration positive(Duration d, String field) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be > 0, was " + d);
      }
      return d;
    }

    private static int atLeastOne(int v, String field) {
      if (v < 1) {
        throw new IllegalArgumentException(field + " must be >= 1, was " + v);
      }
      return v;
    }
  }
}
