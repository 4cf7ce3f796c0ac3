package dev.kiai.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.kiai.core.embedding.EmbeddingModel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** Evaluates {@link AssertionSpec}s against a {@link CaseOutput}. Stateless apart from its resources. */
final class Assertions {
  /** Every supported type, without the {@code not-} prefix. */
  static final List<String> TYPES = List.of(
      "equals", "contains", "contains-any", "contains-all", "icontains", "regex", "starts-with", "is-json",
      "json-schema", "json-path", "numeric-match", "levenshtein", "rouge-l", "bleu", "latency", "cost",
      "tokens", "no-pii", "refusal", "no-refusal", "citations", "similar", "llm-rubric", "factuality",
      "answer-relevance", "faithfulness", "pairwise");

  /** Types that call the judge model. */
  static final Set<String> MODEL_GRADED =
      Set.of("llm-rubric", "factuality", "answer-relevance", "faithfulness", "pairwise");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final Pattern REFUSAL = Pattern.compile("(?i)\\b(?:i(?:'m| am)? (?:sorry,? but )?(?:can(?:no|')t|cannot|am unable to|'m unable to|unable to|won't|will not|am not able to|'m not able to) (?:help|assist|provide|comply|do that|answer|share|fulfil)"
      + "|i(?:'m| am) sorry,? (?:but )?i (?:can(?:no|')t|cannot|won't)"
      + "|as an ai(?: language model)?,? i (?:can(?:no|')t|cannot|don't|do not)"
      + "|i must (?:decline|refuse)|i(?:'m| am) not (?:allowed|permitted) to)");
  private static final Pattern CITATION = Pattern.compile("\\[(?:source:\\s*|doc:\\s*)?([A-Za-z0-9_.#:-]+)\\]");

  private final Judge judge;
  private final EmbeddingModel embeddings;
  private final PiiDetector pii;

  Assertions(Judge judge, EmbeddingModel embeddings, PiiDetector pii) {
    this.judge = judge;
    this.embeddings = embeddings;
    this.pii = pii == null ? PiiDetector.builtIn() : pii;
  }

  /** The outcome before negation, with the judge's cost. */
  private record Base(boolean pass, Double score, String reason, BigDecimal cost) {
    static Base of(boolean pass, String reason) {
      return new Base(pass, null, reason, BigDecimal.ZERO);
    }

    static Base scored(double score, boolean pass, String reason) {
      return new Base(pass, score, reason, BigDecimal.ZERO);
    }
  }

  /** The outcome with the judge cost it incurred. */
  record Outcome(AssertionResult result, BigDecimal judgeCost) {}

  Outcome evaluate(AssertionSpec spec, GoldenCase c, String input, CaseOutput out) {
    Base b;
    try {
      b = base(spec, c, input, out);
    } catch (Judge.MalformedVerdict | Invalid e) {
      return new Outcome(AssertionResult.error(spec, e.getMessage()), BigDecimal.ZERO);
    } catch (RuntimeException e) {
      return new Outcome(AssertionResult.error(spec, e.getClass().getSimpleName() + ": " + e.getMessage()),
          BigDecimal.ZERO);
    }
    boolean pass = spec.negated() != b.pass();
    Double score = b.score() == null ? null : spec.negated() ? 1.0 - b.score() : b.score();
    String reason = spec.negated() && !pass ? "negated assertion matched: " + b.reason() : b.reason();
    return new Outcome(new AssertionResult(spec.displayType(), pass, score, reason, false, spec.weight()), b.cost());
  }

  /** A spec that cannot be evaluated (bad value, bad regex, missing resource). */
  static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  private Base base(AssertionSpec spec, GoldenCase c, String input, CaseOutput out) {
    String text = out.text();
    Object value = spec.value() != null ? spec.value() : c.expected();
    return switch (spec.type()) {
      case "equals" -> equalsCheck(value, text);
      case "contains" -> contains(text, str(value, spec), false);
      case "icontains" -> contains(text, str(value, spec), true);
      case "contains-any" -> {
        List<String> any = list(value, spec);
        List<String> hit = any.stream().filter(text::contains).toList();
        yield Base.of(!hit.isEmpty(), hit.isEmpty() ? "none of " + any + " found" : "found " + hit);
      }
      case "contains-all" -> {
        List<String> all = list(value, spec);
        List<String> missing = all.stream().filter(s -> !text.contains(s)).toList();
        yield Base.of(missing.isEmpty(), missing.isEmpty() ? "all of " + all + " found" : "missing " + missing);
      }
      case "regex" -> {
        String re = str(value, spec);
        try {
          boolean found = Pattern.compile(re).matcher(text).find();
          yield Base.of(found, (found ? "matches /" : "does not match /") + re + "/");
        } catch (PatternSyntaxException e) {
          throw new Invalid("regex: invalid pattern " + re + ": " + e.getDescription());
        }
      }
      case "starts-with" -> {
        String p = str(value, spec);
        boolean ok = text.stripLeading().startsWith(p);
        yield Base.of(ok, ok ? "starts with \"" + p + "\"" : "does not start with \"" + p + "\"");
      }
      case "is-json" -> {
        Optional<JsonNode> n = parseJson(text);
        yield Base.of(n.isPresent(), n.isPresent() ? "valid JSON" : "not valid JSON");
      }
      case "json-schema" -> jsonSchema(value, text, spec);
      case "json-path" -> jsonPath(spec, value, text);
      case "numeric-match" -> numeric(spec, value, text);
      case "levenshtein" -> {
        String ref = str(value, spec);
        int d = TextMetrics.levenshtein(text.strip(), ref.strip());
        double max = spec.threshold() == null ? 5 : spec.threshold();
        int len = Math.max(1, Math.max(text.strip().length(), ref.strip().length()));
        yield Base.scored(1.0 - (double) d / len, d <= max, "edit distance " + d + (d <= max ? " <= " : " > ") + fmt(max));
      }
      case "rouge-l" -> {
        double t = spec.threshold() == null ? 0.5 : spec.threshold();
        double best = 0;
        for (String ref : refs(value, spec)) {
          best = Math.max(best, TextMetrics.rougeL(text, ref));
        }
        yield Base.scored(best, best >= t, "ROUGE-L F1 " + fmt(best) + (best >= t ? " >= " : " < ") + fmt(t));
      }
      case "bleu" -> {
        double t = spec.threshold() == null ? 0.5 : spec.threshold();
        double s = TextMetrics.bleu(text, refs(value, spec), true);
        yield Base.scored(s, s >= t, "BLEU-4 (+1 smoothed) " + fmt(s) + (s >= t ? " >= " : " < ") + fmt(t));
      }
      case "latency" -> {
        double maxMs = limit(spec, "latency");
        long ms = out.latency().toMillis();
        yield Base.of(ms <= maxMs, "latency " + ms + " ms" + (ms <= maxMs ? " <= " : " > ") + fmt(maxMs) + " ms");
      }
      case "cost" -> {
        double max = limit(spec, "cost");
        if (out.costUsd() == null) {
          throw new Invalid("cost: model " + out.model() + " has no price; add it to the price table");
        }
        boolean ok = out.costUsd().compareTo(BigDecimal.valueOf(max)) <= 0;
        yield Base.of(ok, "cost " + out.costUsd().toPlainString() + " USD" + (ok ? " <= " : " > ") + fmt(max));
      }
      case "tokens" -> {
        double max = limit(spec, "tokens");
        String kind = String.valueOf(spec.options().getOrDefault("kind", "total"));
        long n = switch (kind) {
          case "input" -> out.usage().inputTokens();
          case "output" -> out.usage().outputTokens();
          case "total" -> out.usage().totalTokens();
          default -> throw new Invalid("tokens: kind must be input, output or total, was " + kind);
        };
        yield Base.of(n <= max, kind + " tokens " + n + (n <= max ? " <= " : " > ") + fmt(max));
      }
      case "no-pii" -> {
        List<PiiDetector.Finding> f = pii.find(text);
        yield Base.of(f.isEmpty(), f.isEmpty() ? "no personal data found"
            : "found " + f.stream().map(PiiDetector.Finding::type).collect(Collectors.joining(", ")));
      }
      case "refusal" -> refusal(text);
      case "no-refusal" -> {
        Base r = refusal(text);
        yield Base.of(!r.pass(), r.reason());
      }
      case "citations" -> citations(c, text);
      case "similar" -> similar(spec, value, text);
      case "llm-rubric" -> graded(judge().rubric(str(value, spec), input, text), spec, 0.5);
      case "answer-relevance" -> graded(judge().relevance(input, text), spec, 0.5);
      case "factuality" -> graded(judge().factuality(input, str(value, spec), text), spec, 1.0);
      case "faithfulness" -> {
        if (c.contexts().isEmpty()) {
          throw new Invalid("faithfulness: the case has no contexts");
        }
        String ctx = c.contexts().stream().map(d -> "[" + d.id() + "] " + d.text()).collect(Collectors.joining("\n\n"));
        yield graded(judge().faithfulness(ctx, input, text), spec, 0.8);
      }
      case "pairwise" -> {
        String criteria = String.valueOf(spec.options().getOrDefault("criteria", ""));
        yield graded(judge().pairwise(input, text, str(value, spec), criteria), spec, 0.5);
      }
      default -> throw new Invalid("unknown assertion type " + spec.type());
    };
  }

  private Judge judge() {
    if (judge == null) {
      throw new Invalid("model-graded assertion needs a judge model; configure EvalRunner.builder().judge(...)");
    }
    return judge;
  }

  private static Base graded(Judge.Graded g, AssertionSpec spec, double defaultThreshold) {
    double t = spec.threshold() == null ? defaultThreshold : spec.threshold();
    boolean ok = g.score() >= t;
    return new Base(ok, g.score(), "score " + fmt(g.score()) + (ok ? " >= " : " < ") + fmt(t) + ": " + g.reason(),
        g.costUsd());
  }

  private static Base contains(String text, String needle, boolean ignoreCase) {
    boolean ok = ignoreCase
        ? text.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT)) : text.contains(needle);
    return Base.of(ok, (ok ? "contains \"" : "does not contain \"") + needle + "\"");
  }

  private static Base equalsCheck(Object value, String text) {
    if (value == null) {
      throw new Invalid("equals: no value and no expected answer");
    }
    if (value instanceof Map || value instanceof List) {
      Optional<JsonNode> n = parseJson(text);
      boolean ok = n.isPresent() && n.get().equals(JSON.valueToTree(value));
      return Base.of(ok, ok ? "equal JSON" : "JSON differs from " + JSON.valueToTree(value));
    }
    String expected = String.valueOf(value);
    boolean ok = text.strip().equals(expected.strip());
    return Base.of(ok, ok ? "equal" : "expected \"" + expected.strip() + "\"");
  }

  private Base jsonSchema(Object value, String text, AssertionSpec spec) {
    if (value == null) {
      throw new Invalid("json-schema: value (the schema) is required");
    }
    JsonNode schemaNode;
    try {
      schemaNode = value instanceof String s ? JSON.readTree(s) : JSON.valueToTree(value);
    } catch (JsonProcessingException e) {
      throw new Invalid("json-schema: the schema is not JSON: " + e.getOriginalMessage());
    }
    Optional<JsonNode> n = parseJson(text);
    if (n.isEmpty()) {
      return Base.of(false, "not valid JSON");
    }
    JsonSchema schema = SCHEMAS.getSchema(schemaNode);
    Set<ValidationMessage> errors = schema.validate(n.get());
    return Base.of(errors.isEmpty(), errors.isEmpty() ? "matches the schema"
        : errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
  }

  private static Base jsonPath(AssertionSpec spec, Object value, String text) {
    Object path = spec.options().get("path");
    if (!(path instanceof String p)) {
      throw new Invalid("json-path: \"path\" is required, e.g. \"$.order.id\"");
    }
    Optional<JsonNode> n = parseJson(text);
    if (n.isEmpty()) {
      return Base.of(false, "not valid JSON");
    }
    JsonNode at = JsonPaths.select(n.get(), p);
    if (at == null) {
      return Base.of(false, p + " not found");
    }
    if (value == null) {
      return Base.of(true, p + " exists");
    }
    JsonNode want = JSON.valueToTree(value);
    boolean ok = at.equals(want) || at.isValueNode() && want.isValueNode() && at.asText().equals(want.asText());
    return Base.of(ok, p + " is " + at + (ok ? "" : ", expected " + want));
  }

  private static Base numeric(AssertionSpec spec, Object value, String text) {
    if (value == null) {
      throw new Invalid("numeric-match: no value and no expected answer");
    }
    BigDecimal want = value instanceof Number num ? new BigDecimal(num.toString())
        : NumericAnswer.extract(String.valueOf(value))
            .orElseThrow(() -> new Invalid("numeric-match: no number in the expected value " + value));
    Optional<BigDecimal> got = NumericAnswer.extract(text);
    if (got.isEmpty()) {
      return Base.of(false, "no number in the answer; expected " + NumericAnswer.format(want));
    }
    double tol = spec.threshold() == null ? 1e-6 : spec.threshold();
    boolean ok = got.get().subtract(want).abs().compareTo(BigDecimal.valueOf(tol)) <= 0;
    return Base.of(ok, "answer " + NumericAnswer.format(got.get()) + (ok ? " matches " : " differs from ")
        + NumericAnswer.format(want) + " (tolerance " + fmt(tol) + ")");
  }

  private static Base refusal(String text) {
    Matcher m = REFUSAL.matcher(text);
    return m.find() ? Base.of(true, "refusal: \"" + m.group() + "\"") : Base.of(false, "no refusal phrase");
  }

  private static Base citations(GoldenCase c, String text) {
    Set<String> known = c.contexts().stream().map(ContextDoc::id).collect(Collectors.toSet());
    if (known.isEmpty()) {
      throw new Invalid("citations: the case has no contexts to cite");
    }
    Set<String> cited = new LinkedHashSet<>();
    Matcher m = CITATION.matcher(text);
    while (m.find()) {
      cited.add(m.group(1));
    }
    if (cited.isEmpty()) {
      return Base.scored(0, false, "no citations like [" + known.iterator().next() + "]");
    }
    List<String> unknown = cited.stream().filter(id -> !known.contains(id)).toList();
    double score = (double) (cited.size() - unknown.size()) / cited.size();
    return Base.scored(score, unknown.isEmpty(), unknown.isEmpty() ? "cites " + cited
        : "cites unknown sources " + unknown + "; known " + new java.util.TreeSet<>(known));
  }

  private Base similar(AssertionSpec spec, Object value, String text) {
    if (embeddings == null) {
      throw new Invalid("similar: needs an embedding model; configure EvalRunner.builder().embeddings(...)");
    }
    double t = spec.threshold() == null ? 0.8 : spec.threshold();
    double best = -1;
    float[] a = embeddings.embed(text);
    for (String ref : refs(value, spec)) {
      best = Math.max(best, cosine(a, embeddings.embed(ref)));
    }
    return Base.scored(best, best >= t, "cosine similarity " + fmt(best) + (best >= t ? " >= " : " < ") + fmt(t)
        + " (" + embeddings.modelId() + ")");
  }

  static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new Invalid("similar: vectors differ in length " + a.length + " vs " + b.length);
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  private static double limit(AssertionSpec spec, String type) {
    if (spec.threshold() != null) {
      return spec.threshold();
    }
    if (spec.value() instanceof Number n) {
      return n.doubleValue();
    }
    throw new Invalid(type + ": threshold (the maximum) is required");
  }

  private static Optional<JsonNode> parseJson(String text) {
    try {
      return Optional.ofNullable(JSON.readTree(text.strip()));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static String str(Object value, AssertionSpec spec) {
    if (value == null) {
      throw new Invalid(spec.displayType() + ": no value and no expected answer");
    }
    if (value instanceof Collection || value instanceof Map) {
      throw new Invalid(spec.displayType() + ": value must be a string, was " + value);
    }
    return String.valueOf(value);
  }

  private static List<String> list(Object value, AssertionSpec spec) {
    if (value instanceof Collection<?> col) {
      List<String> out = new ArrayList<>();
      col.forEach(v -> out.add(String.valueOf(v)));
      if (out.isEmpty()) {
        throw new Invalid(spec.displayType() + ": value must be a non-empty list");
      }
      return out;
    }
    return List.of(str(value, spec));
  }

  private static List<String> refs(Object value, AssertionSpec spec) {
    return list(value, spec);
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    return new BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
