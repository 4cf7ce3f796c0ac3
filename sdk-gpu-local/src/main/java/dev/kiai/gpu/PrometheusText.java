package dev.kiai.gpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parser for the Prometheus text exposition format (version 0.0.4), enough for engines' {@code /metrics}:
 * comments, labels with escapes, {@code NaN}/{@code +Inf}, optional timestamps. Lines it cannot read
 * are skipped rather than failing the scrape.
 */
final class PrometheusText {
  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = samples;
  }

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  static PrometheusText parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Sample s = parseLine(line);
      if (s != null) {
        out.add(s);
      }
    }
    return new PrometheusText(List.copyOf(out));
  }

  private static Sample parseLine(String line) {
    int i = 0;
    int n = line.length();
    while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
      i++;
    }
    String name = line.substring(0, i);
    if (name.isEmpty()) {
      return null;
    }
    Map<String, String> labels = new TreeMap<>();
    if (i < n && line.charAt(i) == '{') {
      i++;
      while (true) {
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
          i++;
        }
        if (i >= n) {
          return null;
        }
        if (line.charAt(i) == '}') {
          i++;
          break;
        }
        int eq = line.indexOf('=', i);
        if (eq < 0 || eq + 1 >= n || line.charAt(eq + 1) != '"') {
          return null;
        }
        String key = line.substring(i, eq).strip();
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        boolean closed = false;
        while (j < n) {
          char c = line.charAt(j);
          if (c == '\\' && j + 1 < n) {
            char e = line.charAt(j + 1);
            value.append(e == 'n' ? '\n' : e);
            j += 2;
          } else if (c == '"') {
            closed = true;
            j++;
            break;
          } else {
            value.append(c);
            j++;
          }
        }
        if (!closed) {
          return null;
        }
        labels.put(key, value.toString());
        i = j;
      }
    }
    String[] rest = line.substring(i).strip().split("[ \t]+");
    if (rest.length == 0 || rest[0].isEmpty()) {
      return null;
    }
    Double value = number(rest[0]);
    return value == null ? null : new Sample(name, Collections.unmodifiableMap(labels), value);
  }

  private static Double number(String s) {
    switch (s) {
      case "NaN" -> {
        return Double.NaN;
      }
      case "+Inf", "Inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-Inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> {
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
  }

  List<Sample> samples() {
    return samples;
  }

  /** @return whether any sample has this name */
  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  /**
   * @return the sum of the finite samples of this name (over all label sets, e.g. several models or
   *     engines), or NaN when there is none
   */
  double sum(String name) {
    double total = 0;
    boolean any = false;
    for (Sample s : samples) {
      if (s.name().equals(name) && Double.isFinite(s.value())) {
        total += s.value();
        any = true;
      }
    }
    return any ? total : Double.NaN;
  }

  /** @return the largest finite sample of this name, or NaN when there is none */
  double max(String name) {
    double max = Double.NaN;
    for (Sample s : samples) {
      if (s.name().equals(name) && Double.isFinite(s.value()) && !(s.value() <= max)) {
        max = s.value();
      }
    }
    return max;
  }

  /**
   * @param name histogram base name; its {@code _bucket} samples are summed per {@code le} over all
   *     other labels
   * @return cumulative counts by upper bound, ascending; empty when there is no such histogram
   */
  TreeMap<Double, Double> buckets(String name) {
    Map<Double, Double> byLe = new LinkedHashMap<>();
    for (Sample s : samples) {
      if (s.name().equals(name + "_bucket") && s.labels().containsKey("le") && Double.isFinite(s.value())) {
        Double le = number(s.labels().get("le"));
        if (le != null) {
          byLe.merge(le, s.value(), Double::sum);
        }
      }
    }
    return new TreeMap<>(byLe);
  }

  /**
   * The quantile of a histogram given as cumulative bucket counts, interpolated linearly within the
   * bucket as Prometheus' {@code histogram_quantile} does.
   *
   * @return the quantile in the histogram's unit, or NaN when the histogram is empty
   */
  static double quantile(double q, TreeMap<Double, Double> cumulative) {
    if (cumulative.isEmpty()) {
      return Double.NaN;
    }
    double total = cumulative.lastEntry().getValue();
    if (!(total > 0)) {
      return Double.NaN;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      double upper = e.getKey();
      double count = e.getValue();
      if (count >= rank) {
        if (Double.isInfinite(upper)) {
          return lowerBound; // the quantile lies in the open-ended bucket: its lower bound is all we know
        }
        double inBucket = count - lowerCount;
        return inBucket <= 0 ? upper : lowerBound + (upper - lowerBound) * ((rank - lowerCount) / inBucket);
      }
      lowerBound = upper;
      lowerCount = count;
    }
    return lowerBound;
  }
}
