package dev.kiai.gpu;

import dev.kiai.core.load.LoadSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One raw reading of an engine's counters; two successive readings give rates and recent percentiles.
 *
 * @param atMillis when it was read
 * @param healthy whether the engine was ready and its metrics readable
 * @param running requests being generated
 * @param queued requests waiting
 * @param kvUsage KV-cache usage 0..1, or NaN when the engine does not report it
 * @param slots parallel slots (llama.cpp), or -1 when unknown
 * @param ttftBuckets cumulative time-to-first-token histogram, seconds → count; empty when none
 * @param generationTokensTotal generated tokens since the engine started, or NaN when not reported
 * @param tokensPerSecondGauge the engine's own recent output rate (llama.cpp), or NaN
 */
record EngineReading(
    long atMillis, boolean healthy, int running, int queued, double kvUsage, int slots,
    TreeMap<Double, Double> ttftBuckets, double generationTokensTotal, double tokensPerSecondGauge) {

  static EngineReading down(long at) {
    return new EngineReading(at, false, 0, 0, Double.NaN, -1, new TreeMap<>(), Double.NaN, Double.NaN);
  }

  static EngineReading unknownLoad(long at) {
    return new EngineReading(at, true, 0, 0, Double.NaN, -1, new TreeMap<>(), Double.NaN, Double.NaN);
  }

  /**
   * vLLM: {@code vllm:num_requests_running}, {@code vllm:num_requests_waiting},
   * {@code vllm:kv_cache_usage_perc} (older builds {@code vllm:gpu_cache_usage_perc}; a fraction 0..1 in
   * both), {@code vllm:time_to_first_token_seconds}, {@code vllm:generation_tokens_total}, each summed
   * over the {@code model_name}/{@code engine} label sets (data-parallel engines).
   */
  static EngineReading fromVllm(long at, PrometheusText m) {
    double kv = m.has("vllm:kv_cache_usage_perc") ? m.max("vllm:kv_cache_usage_perc")
        : m.max("vllm:gpu_cache_usage_perc");
    return new EngineReading(at, true, count(m.sum("vllm:num_requests_running")),
        count(m.sum("vllm:num_requests_waiting")), kv, -1, m.buckets("vllm:time_to_first_token_seconds"),
        m.sum("vllm:generation_tokens_total"), Double.NaN);
  }

  /**
   * llama.cpp ({@code --metrics}): {@code llamacpp:requests_processing}, {@code llamacpp:requests_deferred},
   * {@code llamacpp:kv_cache_usage_ratio} (older builds), {@code llamacpp:tokens_predicted_total},
   * {@code llamacpp:predicted_tokens_seconds}; slot count from {@code /slots}.
   */
  static EngineReading fromLlamaCpp(long at, PrometheusText m, int slots) {
    return new EngineReading(at, true, count(m.sum("llamacpp:requests_processing")),
        count(m.sum("llamacpp:requests_deferred")), m.max("llamacpp:kv_cache_usage_ratio"), slots, new TreeMap<>(),
        m.sum("llamacpp:tokens_predicted_total"), m.max("llamacpp:predicted_tokens_seconds"));
  }

  private static int count(double v) {
    return Double.isFinite(v) && v > 0 ? (int) Math.min(Integer.MAX_VALUE, Math.round(v)) : 0;
  }

  /**
   * The snapshot this reading gives, using {@code previous} (may be null) for the rate and the recent
   * TTFT percentile.
   *
   * <p>Saturation: 1 when unhealthy or when requests are queued (engines queue only when they cannot
   * schedule more); otherwise the larger of KV-cache usage and busy slots / slots; 0 when the engine
   * reports neither. TTFT p95 covers the requests that got their first token since {@code previous}
   * (since the engine started, on the first reading); null when there are none. Tokens/s is the growth
   * of the generated-token counter over the interval, else the engine's own gauge, else NaN.
   */
  LoadSnapshot snapshot(EngineReading previous) {
    Instant at = Instant.ofEpochMilli(atMillis);
    if (!healthy) {
      return new LoadSnapshot(false, 1.0, 0, 0, null, Double.NaN, at);
    }
    double saturation = 0;
    if (queued > 0) {
      saturation = 1.0;
    } else {
      if (Double.isFinite(kvUsage)) {
        saturation = Math.max(saturation, kvUsage);
      }
      if (slots > 0) {
        saturation = Math.max(saturation, running / (double) slots);
      }
    }
    saturation = Math.max(0, Math.min(1, saturation));
    return new LoadSnapshot(true, saturation, running, queued, ttftP95(previous), tokensPerSecond(previous), at);
  }

  private Duration ttftP95(EngineReading previous) {
    TreeMap<Double, Double> recent = new TreeMap<>(ttftBuckets);
    if (previous != null && previous.healthy && !previous.ttftBuckets.isEmpty()) {
      for (Map.Entry<Double, Double> e : recent.entrySet()) {
        double before = previous.ttftBuckets.getOrDefault(e.getKey(), 0.0);
        e.setValue(e.getValue() - before);
      }
      if (recent.values().stream().anyMatch(v -> v < 0)) {
        recent = new TreeMap<>(ttftBuckets); // counters reset: the engine restarted
      }
    }
    double seconds = PrometheusText.quantile(0.95, recent);
    return Double.isNaN(seconds) ? null : Duration.ofNanos(Math.round(seconds * 1e9));
  }

  private double tokensPerSecond(EngineReading previous) {
    if (previous != null && previous.healthy && Double.isFinite(previous.generationTokensTotal)
        && Double.isFinite(generationTokensTotal) && atMillis > previous.atMillis
        && generationTokensTotal >= previous.generationTokensTotal) {
      return (generationTokensTotal - previous.generationTokensTotal) * 1000.0 / (atMillis - previous.atMillis);
    }
    return Double.isFinite(tokensPerSecondGauge) ? tokensPerSecondGauge : Double.NaN;
  }
}
