package dev.kiai.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One labelled prompt for training a {@link QualityRouter}: how well each model answered it, as a score
 * in 0..1 (a boolean outcome is 1 or 0). The JSONL form is
 * {@code {"prompt": "...", "outcomes": {"model-a": true, "model-b": 0.4}}}; other fields are ignored.
 *
 * @param prompt the prompt text
 * @param outcomes score per model id, each within 0..1
 */
public record OutcomeExample(String prompt, Map<String, Double> outcomes) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public OutcomeExample {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(outcomes, "outcomes");
    for (Map.Entry<String, Double> e : outcomes.entrySet()) {
      double v = Objects.requireNonNull(e.getValue(), "outcomes." + e.getKey());
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException("outcomes." + e.getKey() + " must be within 0..1, was " + v);
      }
    }
    outcomes = Map.copyOf(outcomes);
  }

  /**
   * @param model a model id
   * @return its score on this prompt
   * @throws IllegalArgumentException when the example has no outcome for the model
   */
  public double score(String model) {
    Double v = outcomes.get(model);
    if (v == null) {
      throw new IllegalArgumentException("outcomes has no entry for model '" + model + "'; has " + outcomes.keySet());
    }
    return v;
  }

  /**
   * Parses one JSON object.
   *
   * @param line a JSON object with {@code prompt} and {@code outcomes}
   * @return the example
   * @throws IllegalArgumentException naming the field when the line is malformed
   */
  public static OutcomeExample parse(JsonNode line) {
    JsonNode p = line.get("prompt");
    if (p == null || !p.isTextual()) {
      throw new IllegalArgumentException("missing \"prompt\" (a string)");
    }
    JsonNode o = line.get("outcomes");
    if (o == null || !o.isObject() || o.isEmpty()) {
      throw new IllegalArgumentException("missing \"outcomes\" (an object of model: bool or score)");
    }
    Map<String, Double> outcomes = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = o.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isBoolean()) {
        outcomes.put(e.getKey(), v.asBoolean() ? 1.0 : 0.0);
      } else if (v.isNumber()) {
        outcomes.put(e.getKey(), v.asDouble());
      } else {
        throw new IllegalArgumentException("outcomes." + e.getKey() + " must be a boolean or a number, was " + v);
      }
    }
    return new OutcomeExample(p.asText(), outcomes);
  }

  /**
   * Reads a JSONL file of examples, skipping blank lines.
   *
   * @param file the file
   * @return the examples in file order
   * @throws IllegalArgumentException naming the line when one is malformed
   * @throws UncheckedIOException when the file cannot be read
   */
  public static List<OutcomeExample> readJsonl(Path file) {
    List<OutcomeExample> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(parse(JSON.readTree(line)));
        } catch (IOException | IllegalArgumentException e) {
          throw new IllegalArgumentException(file + " line " + n + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }
}
