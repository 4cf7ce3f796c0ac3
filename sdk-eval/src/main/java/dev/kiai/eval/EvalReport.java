package dev.kiai.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of running a golden set: every case in file order plus totals. {@link #toJson()} and
 * {@link #fromJson(String)} round-trip it, so a stored report serves as the baseline of the next run.
 *
 * @param suite the golden set's name
 * @param model {@code provider:model} under test
 * @param judge {@code provider:model} of the judge, or null
 * @param startedAt when the run started
 * @param duration how long it took
 * @param cases the case results in file order
 */
public record EvalReport(
    String suite, String model, String judge, Instant startedAt, Duration duration, List<CaseResult> cases) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public EvalReport {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(model, "model");
    startedAt = startedAt == null ? Instant.EPOCH : startedAt;
    duration = duration == null ? Duration.ZERO : duration;
    cases = List.copyOf(cases);
  }

  /** @return number of cases */
  public int total() {
    return cases.size();
  }

  /** @return cases that passed */
  public long passed() {
    return count(CaseResult.Status.PASSED);
  }

  /** @return cases with a failing assertion */
  public long failed() {
    return count(CaseResult.Status.FAILED);
  }

  /** @return cases that could not be evaluated */
  public long errored() {
    return count(CaseResult.Status.ERRORED);
  }

  private long count(CaseResult.Status s) {
    return cases.stream().filter(c -> c.status() == s).count();
  }

  /** @return passed / total (errored cases count as not passed); 0 for an empty report */
  public double passRate() {
    return cases.isEmpty() ? 0 : (double) passed() / cases.size();
  }

  /** @return pass rate with each case weighted by its {@code weight} */
  public double weightedPassRate() {
    double w = cases.stream().mapToDouble(CaseResult::weight).sum();
    return w == 0 ? 0 : cases.stream().filter(CaseResult::passed).mapToDouble(CaseResult::weight).sum() / w;
  }

  /** @return the mean case score */
  public double meanScore() {
    return cases.stream().mapToDouble(CaseResult::score).average().orElse(0);
  }

  /** @return exact cost of the model's answers in USD (cases without a price add nothing) */
  public BigDecimal costUsd() {
    return cases.stream().map(CaseResult::output).filter(o -> o != null && o.costUsd() != null)
        .map(CaseOutput::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** @return exact cost of the judge calls in USD */
  public BigDecimal judgeCostUsd() {
    return cases.stream().map(CaseResult::judgeCostUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** @return the model's tokens summed over every case */
  public Usage usage() {
    return cases.stream().map(CaseResult::output).filter(Objects::nonNull).map(CaseOutput::usage)
        .reduce(Usage.ZERO, Usage::plus);
  }

  /** @return cases answered from the result cache */
  public long cachedCases() {
    return cases.stream().filter(CaseResult::cached).count();
  }

  /** @return assertion type to {passed, total}, in first-seen order */
  public Map<String, long[]> assertionPassCounts() {
    Map<String, long[]> m = new LinkedHashMap<>();
    for (CaseResult c : cases) {
      for (AssertionResult a : c.assertions()) {
        long[] pt = m.computeIfAbsent(a.type(), k -> new long[2]);
        pt[0] += a.pass() ? 1 : 0;
        pt[1]++;
      }
    }
    return m;
  }

  /** @return cases that did not pass, in file order */
  public List<CaseResult> failures() {
    return cases.stream().filter(c -> !c.passed()).toList();
  }

  /** @param id a case id @return the case, or null */
  public CaseResult find(String id) {
    return cases.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
  }

  /** @return the machine-readable report */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("suite", suite);
    root.put("model", model);
    if (judge != null) {
      root.put("judge", judge);
    }
    root.put("started_at", startedAt.toString());
    root.put("duration_ms", duration.toMillis());
    ObjectNode s = root.putObject("summary");
    s.put("cases", total());
    s.put("passed", passed());
    s.put("failed", failed());
    s.put("errored", errored());
    s.put("pass_rate", passRate());
    s.put("weighted_pass_rate", weightedPassRate());
    s.put("mean_score", meanScore());
    s.put("cost_usd", costUsd().toPlainString());
    s.put("judge_cost_usd", judgeCostUsd().toPlainString());
    s.put("input_tokens", usage().inputTokens());
    s.put("output_tokens", usage().outputTokens());
    s.put("cached_cases", cachedCases());
    ArrayNode arr = root.putArray("cases");
    for (CaseResult c : cases) {
      arr.add(caseJson(c));
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the report", e);
    }
  }

  static ObjectNode caseJson(CaseResult c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", c.id());
    n.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
    n.put("pass", c.passed());
    n.put("score", c.score());
    n.put("input", c.input());
    if (c.output() != null) {
      n.put("output", c.output().text());
      n.put("model", c.output().model());
      n.put("input_tokens", c.output().usage().inputTokens());
      n.put("output_tokens", c.output().usage().outputTokens());
      if (c.output().costUsd() != null) {
        n.put("cost_usd", c.output().costUsd().toPlainString());
      }
      n.put("latency_ms", c.output().latency().toMillis());
    }
    if (c.error() != null) {
      n.put("error", c.error());
    }
    ArrayNode tags = n.putArray("tags");
    c.tags().forEach(tags::add);
    n.put("weight", c.weight());
    n.put("attempts", c.attempts());
    n.put("cached", c.cached());
    if (c.judgeCostUsd().signum() != 0) {
      n.put("judge_cost_usd", c.judgeCostUsd().toPlainString());
    }
    ArrayNode as = n.putArray("assertions");
    for (AssertionResult a : c.assertions()) {
      ObjectNode o = as.addObject();
      o.put("type", a.type());
      o.put("pass", a.pass());
      if (a.score() != null) {
        o.put("score", a.score());
      }
      if (!a.reason().isEmpty()) {
        o.put("reason", a.reason());
      }
      if (a.errored()) {
        o.put("errored", true);
      }
      o.put("weight", a.weight());
    }
    return n;
  }

  /**
   * @param file where to write {@link #toJson()}
   * @throws IOException when it cannot be written
   */
  public void writeJson(Path file) throws IOException {
    Files.writeString(file, toJson(), StandardCharsets.UTF_8);
  }

  /**
   * @param file a report written by {@link #writeJson(Path)}
   * @return the report
   * @throws ConfigurationException when the file cannot be read or is not a report
   */
  public static EvalReport readJson(Path file) {
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigurationException("cannot read report " + file + ": " + e.getMessage(), e);
    } catch (ConfigurationException e) {
      throw new ConfigurationException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param json text produced by {@link #toJson()}
   * @return the report
   * @throws ConfigurationException when the text is not a report
   */
  public static EvalReport fromJson(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || !root.has("suite") || !root.has("cases")) {
        throw new ConfigurationException("not an eval report: needs \"suite\" and \"cases\"");
      }
      List<CaseResult> cases = new ArrayList<>();
      for (JsonNode n : root.get("cases")) {
        List<AssertionResult> as = new ArrayList<>();
        for (JsonNode a : n.path("assertions")) {
          as.add(new AssertionResult(a.get("type").asText(), a.path("pass").asBoolean(),
              a.hasNonNull("score") ? a.get("score").asDouble() : null, a.path("reason").asText(""),
              a.path("errored").asBoolean(false), a.path("weight").asDouble(1.0)));
        }
        CaseOutput out = null;
        if (n.has("output")) {
          out = new CaseOutput(n.get("output").asText(), n.path("model").asText("unknown"),
              Usage.of(n.path("input_tokens").asLong(), n.path("output_tokens").asLong()),
              n.hasNonNull("cost_usd") ? new BigDecimal(n.get("cost_usd").asText()) : null,
              Duration.ofMillis(n.path("latency_ms").asLong()));
        }
        List<String> tags = new ArrayList<>();
        n.path("tags").forEach(t -> tags.add(t.asText()));
        cases.add(new CaseResult(n.get("id").asText(),
            CaseResult.Status.valueOf(n.path("status").asText("errored").toUpperCase(java.util.Locale.ROOT)),
            n.path("score").asDouble(), as, n.path("input").asText(""), out,
            n.hasNonNull("error") ? n.get("error").asText() : null, tags, n.path("weight").asDouble(1.0),
            n.path("attempts").asInt(), n.path("cached").asBoolean(),
            n.hasNonNull("judge_cost_usd") ? new BigDecimal(n.get("judge_cost_usd").asText()) : BigDecimal.ZERO));
      }
      return new EvalReport(root.get("suite").asText(), root.path("model").asText("unknown"),
          root.hasNonNull("judge") ? root.get("judge").asText() : null,
          root.hasNonNull("started_at") ? Instant.parse(root.get("started_at").asText()) : Instant.EPOCH,
          Duration.ofMillis(root.path("duration_ms").asLong()), cases);
    } catch (IOException | IllegalArgumentException | NullPointerException | java.time.DateTimeException e) {
      throw new ConfigurationException("not a valid eval report: " + e.getMessage(), e);
    }
  }
}
