package dev.kiai.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  @Test
  void readsLabelsEscapesSpecialValuesAndTimestamps() {
    PrometheusText m = PrometheusText.parse("# HELP x y\n# TYPE a gauge\n"
        + "a{model_name=\"m \\\"q\\\" \\\\ z\",engine=\"0\"} 3.5 1700000000000\n"
        + "a{engine=\"1\"} NaN\nb +Inf\nc -Inf\nbroken{x=\"1\" 7\nd 1e3\n");

    assertThat(m.samples()).hasSize(5);
    assertThat(m.samples().get(0).labels()).isEqualTo(Map.of("model_name", "m \"q\" \\ z", "engine", "0"));
    assertThat(m.sum("a")).isEqualTo(3.5); // NaN is left out
    assertThat(m.max("b")).isNaN(); // infinite is not finite
    assertThat(m.sum("d")).isEqualTo(1000.0);
    assertThat(m.sum("missing")).isNaN();
    assertThat(m.has("broken")).isFalse();
  }

  @Test
  void histogramQuantileInterpolatesLikePrometheus() {
    TreeMap<Double, Double> buckets = new TreeMap<>(Map.of(0.1, 50.0, 0.5, 90.0, 1.0, 100.0,
        Double.POSITIVE_INFINITY, 100.0));

    assertThat(PrometheusText.quantile(0.5, buckets)).isCloseTo(0.1, within(1e-12));
    assertThat(PrometheusText.quantile(0.95, buckets)).isCloseTo(0.75, within(1e-12));
    assertThat(PrometheusText.quantile(0.95, new TreeMap<>())).isNaN();
  }

  /**
   * The fixture has the shape prometheus_client gives vLLM v1's /metrics: labels in declaration order
   * (model_name, engine) with {@code le} last, a {@code _created} series beside every counter and
   * histogram, Go-style exponents ("1.4753746944e+011"), the deprecated gpu_cache_usage_perc gauge
   * beside kv_cache_usage_perc, and an info gauge with a dozen labels.
   */
  @Test
  void vllmFixtureSumsOverLabelSets() {
    PrometheusText m = PrometheusText.parse(Fixtures.text("vllm-metrics-1.txt"));

    assertThat(m.sum("vllm:num_requests_running")).isEqualTo(12.0);
    assertThat(m.max("vllm:kv_cache_usage_perc")).isEqualTo(0.4187);
    assertThat(m.buckets("vllm:time_to_first_token_seconds")).hasSize(23).containsEntry(0.25, 180.0)
        .containsEntry(2560.0, 200.0).containsEntry(Double.POSITIVE_INFINITY, 200.0);
    // the _created timestamps are separate series, never added to the counters they describe
    assertThat(m.sum("vllm:generation_tokens_total")).isEqualTo(184230.0);
    assertThat(m.sum("vllm:generation_tokens_created")).isEqualTo(1.7605236123456e9);
    assertThat(m.sum("vllm:request_success_total")).isEqualTo(200.0);
    assertThat(m.sum("process_virtual_memory_bytes")).isEqualTo(1.4753746944e11);
    assertThat(m.sum("vllm:cache_config_info")).isEqualTo(1.0);
  }
}
