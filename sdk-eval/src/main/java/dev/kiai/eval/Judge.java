package dev.kiai.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiai.core.Kiai;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.prompt.PromptRegistry;
import dev.kiai.core.prompt.PromptTemplate;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Model-graded checks: renders a versioned judge prompt, calls the judge model through {@link Kiai} (so
 * the call is priced) and parses its JSON verdict strictly. A reply that is not the requested JSON is a
 * {@link MalformedVerdict}: the assertion errors, it never passes. With a cache, a verdict for the same
 * judge, template version and rendered prompt is reused and costs nothing.
 */
final class Judge {
  static final String RESOURCE_ROOT = "dev/kiai/eval/judge";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Kiai kiai;
  private final String modelName;
  private final String label;
  private final PromptRegistry prompts;
  private final ResultCache cache;

  /**
   * @param label {@code provider:model} of the judge, part of the cache key
   * @param cache where verdicts are cached, or null
   */
  Judge(Kiai kiai, String modelName, String label, PromptRegistry prompts, ResultCache cache) {
    this.kiai = Objects.requireNonNull(kiai, "kiai");
    this.modelName = modelName;
    this.label = Objects.requireNonNull(label, "label");
    this.prompts = Objects.requireNonNull(prompts, "prompts");
    this.cache = cache;
  }

  static PromptRegistry bundledPrompts() {
    return PromptRegistry.fromClasspath(RESOURCE_ROOT, Judge.class.getClassLoader());
  }

  String ref(String id) {
    return prompts.latest(id).ref().toString();
  }

  /** A verdict that could not be read from the judge's reply. */
  static final class MalformedVerdict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedVerdict(String message) {
      super(message);
    }
  }

  /** The parsed reply with what it cost. */
  record Reply(JsonNode json, BigDecimal costUsd) {}

  Reply ask(String templateId, Map<String, Object> vars) {
    PromptTemplate t = prompts.latest(templateId);
    ChatRequest request = t.renderStrict(vars).toRequestBuilder().model(modelName).temperature(0.0).build();
    String key = null;
    if (cache != null) {
      StringBuilder input = new StringBuilder();
      request.messages().forEach(m -> input.append(m.role()).append('\u0000').append(m.content()).append('\u0001'));
      key = ResultCache.key("judge " + label, t.ref().toString(), ResultCache.sha256(input.toString()),
          "temperature=0;max_tokens=" + request.maxTokens());
      java.util.Optional<CaseOutput> hit = cache.get(key);
      if (hit.isPresent()) {
        return new Reply(parseObject(t.ref().toString(), hit.get().text()), BigDecimal.ZERO);
      }
    }
    ChatResponse r = kiai.chat(request);
    BigDecimal cost = r.cost().known() ? r.cost().total() : BigDecimal.ZERO;
    Reply reply = new Reply(parseObject(t.ref().toString(), r.text()), cost);
    if (cache != null) {
      // only well-formed verdicts are cached; a malformed reply is asked again next run
      cache.put(key, new CaseOutput(r.text(), r.model(), r.usage(), r.cost().known() ? cost : null, r.latency()));
    }
    return reply;
  }

  /** Extracts the JSON object of a reply, tolerating code fences and text around it. */
  static JsonNode parseObject(String ref, String reply) {
    String s = reply == null ? "" : reply.strip();
    int start = s.indexOf('{');
    int end = s.lastIndexOf('}');
    if (start < 0 || end < start) {
      throw new MalformedVerdict("judge " + ref + " replied without a JSON object: " + abbreviate(s));
    }
    try {
      JsonNode n = JSON.readTree(s.substring(start, end + 1));
      if (n == null || !n.isObject()) {
        throw new MalformedVerdict("judge " + ref + " replied without a JSON object: " + abbreviate(s));
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new MalformedVerdict("judge " + ref + " replied with malformed JSON (" + e.getOriginalMessage()
          + "): " + abbreviate(s));
    }
  }

  /** Reads {@code score} as a number in 0..1 (a numeric string is accepted). */
  static double score(String ref, JsonNode n) {
    JsonNode s = n.get("score");
    double v;
    if (s != null && s.isNumber()) {
      v = s.asDouble();
    } else if (s != null && s.isTextual()) {
      try {
        v = Double.parseDouble(s.asText().strip());
      } catch (NumberFormatException e) {
        throw new MalformedVerdict("judge " + ref + " gave a non-numeric score: " + s);
      }
    } else {
      throw new MalformedVerdict("judge " + ref + " reply has no numeric \"score\": " + abbreviate(n.toString()));
    }
    if (!(v >= 0 && v <= 1)) {
      throw new MalformedVerdict("judge " + ref + " gave score " + v + " outside 0..1");
    }
    return v;
  }

  static String reason(JsonNode n) {
    JsonNode r = n.get("reason");
    return r == null || r.isNull() ? "" : r.asText();
  }

  /** The result of a model-graded check. */
  record Graded(double score, String reason, BigDecimal costUsd) {}

  Graded rubric(String rubric, String question, String answer) {
    Reply r = ask("llm-rubric", Map.of("rubric", rubric, "question", question, "answer", answer));
    String ref = ref("llm-rubric");
    return new Graded(score(ref, r.json()), reason(r.json()), r.costUsd());
  }

  Graded relevance(String question, String answer) {
    Reply r = ask("answer-relevance", Map.of("question", question, "answer", answer));
    String ref = ref("answer-relevance");
    return new Graded(score(ref, r.json()), reason(r.json()), r.costUsd());
  }

  /** Categories A, B, C and E are consistent with the reference (score 1); D disagrees (score 0). */
  Graded factuality(String question, String reference, String answer) {
    Reply r = ask("factuality", Map.of("question", question, "reference", reference, "answer", answer));
    JsonNode c = r.json().get("category");
    String cat = c == null ? "" : c.asText().strip().toUpperCase(Locale.ROOT).replace("(", "").replace(")", "");
    if (!List.of("A", "B", "C", "D", "E").contains(cat)) {
      throw new MalformedVerdict("judge " + ref("factuality") + " reply has no category A-E: "
          + abbreviate(r.json().toString()));
    }
    return new Graded("D".equals(cat) ? 0 : 1, "category " + cat + ": " + reason(r.json()), r.costUsd());
  }

  /** Score = supported claims / claims; an answer without claims is trivially faithful (1.0). */
  Graded faithfulness(String contexts, String question, String answer) {
    Reply r = ask("faithfulness", Map.of("contexts", contexts, "question", question, "answer", answer));
    JsonNode claims = r.json().get("claims");
    if (claims == null || !claims.isArray()) {
      throw new MalformedVerdict("judge " + ref("faithfulness") + " reply has no \"claims\" list: "
          + abbreviate(r.json().toString()));
    }
    int supported = 0;
    List<String> unsupported = new ArrayList<>();
    for (JsonNode claim : claims) {
      JsonNode s = claim.get("supported");
      if (s == null || !s.isBoolean()) {
        throw new MalformedVerdict("judge " + ref("faithfulness") + " claim without boolean \"supported\": "
            + abbreviate(claim.toString()));
      }
      if (s.asBoolean()) {
        supported++;
      } else {
        unsupported.add(claim.path("claim").asText());
      }
    }
    int total = claims.size();
    double score = total == 0 ? 1.0 : (double) supported / total;
    String why = supported + "/" + total + " claims supported"
        + (unsupported.isEmpty() ? "" : "; unsupported: " + String.join(" | ", unsupported));
    return new Graded(score, why, r.costUsd());
  }

  /**
   * Asks twice, the candidate first and then second, and averages the candidate's points (win 1, tie
   * 0.5, loss 0) so a judge that always prefers one position scores 0.5, not a win.
   */
  Graded pairwise(String question, String candidate, String other, String criteria) {
    AtomicReference<BigDecimal> cost = new AtomicReference<>(BigDecimal.ZERO);
    String first = winner(question, candidate, other, criteria, cost);
    String second = winner(question, other, candidate, criteria, cost);
    double p1 = switch (first) { case "A" -> 1.0; case "B" -> 0.0; default -> 0.5; };
    double p2 = switch (second) { case "B" -> 1.0; case "A" -> 0.0; default -> 0.5; };
    double score = (p1 + p2) / 2;
    String why = "candidate as A: winner " + first + "; candidate as B: winner " + second
        + (first.equals(second) && !"TIE".equals(first) ? " (same position both times: position bias, counted as a tie)" : "");
    return new Graded(score, why, cost.get());
  }

  private String winner(String question, String a, String b, String criteria, AtomicReference<BigDecimal> cost) {
    Reply r = ask("pairwise", Map.of("question", question, "a", a, "b", b, "criteria", criteria));
    cost.set(cost.get().add(r.costUsd()));
    JsonNode w = r.json().get("winner");
    String v = w == null ? "" : w.asText().strip().toUpperCase(Locale.ROOT);
    if (!List.of("A", "B", "TIE").contains(v)) {
      throw new MalformedVerdict("judge " + ref("pairwise") + " reply has no winner A, B or tie: "
          + abbreviate(r.json().toString()));
    }
    return v;
  }

  private static String abbreviate(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= 200 ? one : one.substring(0, 200) + "…";
  }
}
