package dev.kiai.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.ResponseFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ready-made {@link Verifier}s for cascades. */
public final class Verifiers {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NUMBER = Pattern.compile("(\\d+(?:\\.\\d+)?)");

  private Verifiers() {}

  /**
   * Accepts an answer whose text satisfies a predicate.
   *
   * @param name the name recorded in the trace
   * @param test the predicate on the answer
   * @return the verifier
   */
  public static Verifier predicate(String name, Predicate<ChatResponse> test) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(test, "test");
    return new Verifier() {
      @Override
      public Verdict verify(ChatRequest request, ChatResponse answer, Caller caller) {
        return test.test(answer) ? Verdict.pass(name + " holds") : Verdict.fail(name + " does not hold");
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  /**
   * Accepts an answer that is a JSON object valid against the request's JSON Schema (for a
   * {@link ResponseFormat.Type#JSON_SCHEMA} request), or any JSON object otherwise. Checks the schema
   * keywords {@code type}, {@code properties}, {@code required}, {@code items}, {@code enum} and
   * {@code additionalProperties: false}; other keywords are not checked (use the guardrails module for
   * full JSON Schema validation).
   *
   * @return the verifier, named {@code json-schema}
   */
  public static Verifier jsonSchema() {
    return new Verifier() {
      @Override
      public Verdict verify(ChatRequest request, ChatResponse answer, Caller caller) {
        JsonNode value;
        try {
          value = JSON.readTree(answer.text());
        } catch (IOException e) {
          return Verdict.fail("answer is not JSON");
        }
        if (value == null || !value.isObject()) {
          return Verdict.fail("answer is not a JSON object");
        }
        ResponseFormat f = request.responseFormat();
        if (f == null || f.type() != ResponseFormat.Type.JSON_SCHEMA) {
          return Verdict.pass("answer is a JSON object");
        }
        JsonNode schema;
        try {
          schema = JSON.readTree(f.schema());
        } catch (IOException e) {
          return Verdict.fail("request schema is not JSON");
        }
        List<String> errors = new ArrayList<>();
        check(schema, value, "$", errors);
        return errors.isEmpty() ? Verdict.pass("valid against schema " + f.schemaName())
            : Verdict.fail("invalid against schema " + f.schemaName() + ": " + String.join("; ", errors));
      }

      @Override
      public String name() {
        return "json-schema";
      }
    };
  }

  /**
   * Self-consistency: asks the same model a second time with sampling temperature
   * {@code sampleTemperature} and accepts when both answers agree after normalising case and whitespace.
   * The second call is charged to the request.
   *
   * @param sampleTemperature temperature of the second sample, 0..2
   * @return the verifier, named {@code self-consistency}
   */
  public static Verifier selfConsistency(double sampleTemperature) {
    if (!(sampleTemperature >= 0 && sampleTemperature <= 2)) {
      throw new IllegalArgumentException("sampleTemperature must be within 0..2, was " + sampleTemperature);
    }
    return new Verifier() {
      @Override
      public Verdict verify(ChatRequest request, ChatResponse answer, Caller caller) {
        ChatResponse second = caller.call(request.toBuilder().temperature(sampleTemperature).build());
        String a = normalise(answer.text());
        String b = normalise(second.text());
        return a.equals(b) ? Verdict.pass("two samples agree")
            : Verdict.fail("two samples disagree");
      }

      @Override
      public String name() {
        return "self-consistency";
      }
    };
  }

  /**
   * A judge model scores the answer from 0 to 10; the answer is accepted when the score divided by 10 is
   * at least {@code minScore}. The judge call is charged to the request. An unparseable judgement counts
   * as a rejection.
   *
   * @param judgeModel the model id of the judge (any model the chain can reach)
   * @param minScore the least acceptable score, 0..1
   * @return the verifier, named {@code judge}
   */
  public static Verifier judge(String judgeModel, double minScore) {
    Objects.requireNonNull(judgeModel, "judgeModel");
    if (!(minScore >= 0 && minScore <= 1)) {
      throw new IllegalArgumentException("minScore must be within 0..1, was " + minScore);
    }
    return new Verifier() {
      @Override
      public Verdict verify(ChatRequest request, ChatResponse answer, Caller caller) {
        double score = judgeScore(caller.call(judgeRequest(judgeModel, request, answer)).text());
        if (Double.isNaN(score)) {
          return Verdict.fail("judge " + judgeModel + " gave no score");
        }
        String why = String.format(Locale.ROOT, "judge %s scored %.2f (min %.2f)", judgeModel, score, minScore);
        return new Verdict(score >= minScore, score, why);
      }

      @Override
      public String name() {
        return "judge";
      }
    };
  }

  /** The request asking a judge model to grade an answer from 0 to 10. */
  static ChatRequest judgeRequest(String judgeModel, ChatRequest request, ChatResponse answer) {
    return ChatRequest.builder().model(judgeModel).context(request.context()).temperature(0.0).maxTokens(8)
        .addSystem("You grade answers. Reply with a single integer from 0 (useless or wrong) to 10 "
            + "(fully correct and complete), nothing else.")
        .addUser("Question:\n" + request.lastUserText() + "\n\nAnswer:\n" + answer.text())
        .build();
  }

  /** @return the judge's grade scaled to 0..1, or NaN when the text holds no number */
  static double judgeScore(String judgement) {
    Matcher m = NUMBER.matcher(judgement);
    return m.find() ? Math.min(10, Double.parseDouble(m.group(1))) / 10.0 : Double.NaN;
  }

  static String normalise(String text) {
    return text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("[.!]+$", "");
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
    if (schema == null || !schema.isObject()) {
      return;
    }
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual() && !hasType(value, type.asText())) {
      errors.add(path + ": expected " + type.asText());
      return;
    }
    JsonNode en = schema.get("enum");
    if (en != null && en.isArray()) {
      boolean found = false;
      for (JsonNode option : en) {
        found |= option.equals(value);
      }
      if (!found) {
        errors.add(path + ": not one of " + en);
      }
    }
    if (value.isObject()) {
      JsonNode required = schema.get("required");
      if (required != null && required.isArray()) {
        for (JsonNode r : required) {
          if (!value.has(r.asText())) {
            errors.add(path + ": missing required property " + r.asText());
          }
        }
      }
      JsonNode props = schema.get("properties");
      if (props != null && props.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> it = value.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          JsonNode sub = props.get(e.getKey());
          if (sub != null) {
            check(sub, e.getValue(), path + "." + e.getKey(), errors);
          } else if (schema.path("additionalProperties").isBoolean()
              && !schema.get("additionalProperties").asBoolean()) {
            errors.add(path + ": unexpected property " + e.getKey());
          }
        }
      }
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        check(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
      }
    }
  }

  private static boolean hasType(JsonNode v, String type) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      default -> true;
    };
  }
}
