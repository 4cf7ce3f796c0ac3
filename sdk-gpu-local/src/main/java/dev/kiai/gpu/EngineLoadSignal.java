package dev.kiai.gpu;

import dev.kiai.core.load.LoadSignal;
import dev.kiai.core.load.LoadSnapshot;
import dev.kiai.core.telemetry.TelemetryNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LoadSignal} fed by scraping local engines: each engine's health and Prometheus
 * {@code /metrics} are read every {@code interval}, turned into a {@link LoadSnapshot} (saturation 0..1,
 * running and queued requests, recent TTFT p95, output tokens/s) and served to the router for the
 * models that engine serves. An observation older than {@code staleAfter} is not served: the router
 * then knows nothing rather than something old.
 *
 * <pre>{@code
 * try (LocalEngine vllm = LocalEngine.vllm("http://gpu-box:8000");
 *      EngineLoadSignal load = EngineLoadSignal.builder().add(vllm, "llama-3.1-8b").build()) {
 *   load.start();
 *   load.current("llama-3.1-8b").ifPresent(s -> System.out.println(s.saturation()));
 * }
 * }</pre>
 *
 * <p>Thread-safe: {@link #current} is a map lookup; scrapes run one at a time on one daemon thread
 * (or the caller's, with {@link #scrapeNow()}).
 */
public final class EngineLoadSignal implements LoadSignal, AutoCloseable {
  private final Map<String, LocalEngine> engineByModel;
  private final List<LocalEngine> engines;
  private final Duration interval;
  private final Duration staleAfter;
  private final Clock clock;
  private final Map<LocalEngine, EngineReading> lastReading = new ConcurrentHashMap<>();
  private final Map<LocalEngine, LoadSnapshot> lastSnapshot = new ConcurrentHashMap<>();
  private final Object scrapeLock = new Object();
  private ScheduledExecutorService scheduler;

  private EngineLoadSignal(Builder b) {
    this.engineByModel = Map.copyOf(b.engineByModel);
    this.engines = List.copyOf(new ArrayList<>(new java.util.LinkedHashSet<>(b.engineByModel.values())));
    this.interval = b.interval;
    this.staleAfter = b.staleAfter == null ? b.interval.multipliedBy(3) : b.staleAfter;
    this.clock = b.clock;
    if (b.registry != null) {
      for (String model : engineByModel.keySet()) {
        Gauge.builder(TelemetryNames.KIAI_GPU_ENGINE_SATURATION, this,
                s -> s.current(model).map(LoadSnapshot::saturation).orElse(Double.NaN))
            .tag(TelemetryNames.GEN_AI_REQUEST_MODEL, model).strongReference(true).register(b.registry);
      }
    }
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts scraping every {@code interval} on a daemon thread, the first scrape at once. Calling it
   * again has no effect.
   */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kiai-engine-load-signal");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::scrapeQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Scrapes every engine once, now, on the calling thread. */
  public void scrapeNow() {
    synchronized (scrapeLock) {
      for (LocalEngine engine : engines) {
        EngineReading reading = engine.read();
        EngineReading previous = lastReading.put(engine, reading);
        lastSnapshot.put(engine, reading.snapshot(previous));
      }
    }
  }

  private void scrapeQuietly() {
    try {
      scrapeNow();
    } catch (RuntimeException e) {
      // a scrape that fails leaves the last observation to go stale; the next one tries again
    }
  }

  /**
   * @param model a model id as requests name it
   * @return the latest observation of the engine serving it; empty when no engine serves it, none was
   *     made yet, or the latest is older than {@code staleAfter}
   */
  @Override
  public Optional<LoadSnapshot> current(String model) {
    LocalEngine engine = engineByModel.get(Objects.requireNonNull(model, "model"));
    if (engine == null) {
      return Optional.empty();
    }
    LoadSnapshot s = lastSnapshot.get(engine);
    if (s == null || s.observedAt().plus(staleAfter).isBefore(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** Stops scraping. The engines stay open: their owner closes them. */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  /** Configures an {@link EngineLoadSignal}. */
  public static final class Builder {
    private final Map<String, LocalEngine> engineByModel = new LinkedHashMap<>();
    private Duration interval = Duration.ofSeconds(5);
    private Duration staleAfter;
    private Clock clock = Clock.systemUTC();
    private MeterRegistry registry;

    private Builder() {}

    /**
     * @param registry where to publish {@value TelemetryNames#KIAI_GPU_ENGINE_SATURATION} per model (tag
     *     {@value TelemetryNames#GEN_AI_REQUEST_MODEL}); NaN while unknown or stale. Without one nothing
     *     is recorded
     * @return this
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * @param engine an engine
     * @param models the model ids requests use for it (a vLLM LoRA adapter counts as a model)
     * @return this
     */
    public Builder add(LocalEngine engine, String... models) {
      Objects.requireNonNull(engine, "engine");
      if (models.length == 0) {
        throw new IllegalArgumentException("models must name at least one model served by " + engine);
      }
      for (String m : models) {
        if (m == null || m.isBlank()) {
          throw new IllegalArgumentException("models must not contain a blank id");
        }
        engineByModel.put(m, engine);
      }
      return this;
    }

    /** @param interval time between scrapes, default 5 s @return this */
    public Builder interval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be > 0, was " + interval);
      }
      this.interval = interval;
      return this;
    }

    /** @param staleAfter age after which an observation is not served; default 3 × interval @return this */
    public Builder staleAfter(Duration staleAfter) {
      if (staleAfter == null || staleAfter.isNegative() || staleAfter.isZero()) {
        throw new IllegalArgumentException("staleAfter must be > 0, was " + staleAfter);
      }
      this.staleAfter = staleAfter;
      return this;
    }

    /** @param clock the clock staleness is judged by; must match the engines' clocks @return this */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** @return the signal, not yet scraping: call {@link #start()} or {@link #scrapeNow()} */
    public EngineLoadSignal build() {
      if (engineByModel.isEmpty()) {
        throw new IllegalArgumentException("engines must not be empty: add at least one engine");
      }
      return new EngineLoadSignal(this);
    }
  }
}
