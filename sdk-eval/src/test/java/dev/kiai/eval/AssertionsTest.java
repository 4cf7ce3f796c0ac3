package dev.kiai.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiai.core.chat.Usage;
import dev.kiai.core.embedding.EmbeddingModel;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssertionsTest {
  private final Assertions assertions = new Assertions(null, new LetterEmbeddings(), null);

  private AssertionResult check(AssertionSpec spec, String output) {
    return check(spec, output, GoldenCase.builder("c1", "What is the refund window?").expected("30 days").build());
  }

  private AssertionResult check(AssertionSpec spec, String output, GoldenCase c) {
    return assertions.evaluate(spec, c, "What is the refund window?", CaseOutput.ofText(output)).result();
  }

  private AssertionResult check(String type, Object value, String output) {
    return check(AssertionSpec.of(type, value), output);
  }

  @Test
  void stringAssertions() {
    assertThat(check("equals", null, "  30 days \n").pass()).isTrue();
    assertThat(check("equals", null, "31 days").reason()).isEqualTo("expected \"30 days\"");
    assertThat(check("contains", "refund", "Your refund arrives").pass()).isTrue();
    assertThat(check("contains", "Refund", "Your refund arrives").pass()).isFalse();
    assertThat(check("icontains", "Refund", "Your refund arrives").pass()).isTrue();
    assertThat(check("contains-any", List.of("x", "arrives"), "Your refund arrives").reason())
        .isEqualTo("found [arrives]");
    AssertionResult all = check("contains-all", List.of("refund", "days", "euro"), "refund in 30 days");
    assertThat(all.pass()).isFalse();
    assertThat(all.reason()).isEqualTo("missing [euro]");
    assertThat(check("regex", "\\d+ days", "within 30 days").pass()).isTrue();
    assertThat(check("starts-with", "Sure", "  Sure, here it is").pass()).isTrue();
    assertThat(check("starts-with", "Sure", "No.").pass()).isFalse();
  }

  @Test
  void negationInvertsAndExplains() {
    AssertionResult r = check("not-contains", "sorry", "I am sorry, I cannot");
    assertThat(r.type()).isEqualTo("not-contains");
    assertThat(r.pass()).isFalse();
    assertThat(r.reason()).isEqualTo("negated assertion matched: contains \"sorry\"");
    assertThat(check("not-contains", "sorry", "Here you go").pass()).isTrue();
  }

  @Test
  void invalidSpecsErrorInsteadOfFailing() {
    AssertionResult r = check("regex", "(unclosed", "x");
    assertThat(r.errored()).isTrue();
    assertThat(r.pass()).isFalse();
    assertThat(r.reason()).startsWith("regex: invalid pattern (unclosed");
    AssertionResult judge = check("llm-rubric", "is polite", "x");
    assertThat(judge.errored()).isTrue();
    assertThat(judge.reason()).contains("needs a judge model");
  }

  @Test
  void jsonAssertions() {
    assertThat(check("is-json", null, "{\"a\":1}").pass()).isTrue();
    assertThat(check("is-json", null, "{a:1}").pass()).isFalse();
    Map<String, Object> schema = Map.of("type", "object", "required", List.of("sku"),
        "properties", Map.of("sku", Map.of("type", "string"), "qty", Map.of("type", "integer", "minimum", 1)));
    assertThat(check("json-schema", schema, "{\"sku\":\"A-1\",\"qty\":2}").pass()).isTrue();
    AssertionResult bad = check("json-schema", schema, "{\"qty\":0}");
    assertThat(bad.pass()).isFalse();
    assertThat(bad.reason()).contains("sku").contains("minimum");
    AssertionSpec path = new AssertionSpec("json-path", false, "A-1", null, 1, Map.of("path", "$.items[0].sku"));
    assertThat(check(path, "{\"items\":[{\"sku\":\"A-1\"}]}").pass()).isTrue();
    assertThat(check(path, "{\"items\":[{\"sku\":\"B-2\"}]}").reason()).isEqualTo("$.items[0].sku is \"B-2\", expected \"A-1\"");
    assertThat(check("equals", Map.of("a", 1), "{ \"a\" : 1 }").pass()).isTrue();
  }

  @Test
  void numericMatchUsesExpectedAndTolerance() {
    GoldenCase c = GoldenCase.builder("m", "q").expected("So 9 * 2 = 18\n#### 18").build();
    AssertionResult ok = check(AssertionSpec.of("numeric-match", null), "The answer is $18.", c);
    assertThat(ok.pass()).isTrue();
    assertThat(ok.reason()).isEqualTo("answer 18 matches 18 (tolerance 0.000001)");
    assertThat(check(AssertionSpec.of("numeric-match", null), "#### 19", c).pass()).isFalse();
    assertThat(check(AssertionSpec.of("numeric-match", 3.14).withThreshold(0.01), "pi is about 3.1416").pass()).isTrue();
    assertThat(check(AssertionSpec.of("numeric-match", null), "no number", c).reason())
        .isEqualTo("no number in the answer; expected 18");
  }

  @Test
  void referenceMetricsCarryScores() {
    AssertionResult rouge = check(AssertionSpec.of("rouge-l", "police killed the gunman").withThreshold(0.7),
        "police kill the gunman");
    assertThat(rouge.pass()).isTrue();
    assertThat(rouge.score()).isCloseTo(0.75, within(1e-12));
    AssertionResult lev = check(AssertionSpec.of("levenshtein", "kitten").withThreshold(2), "sitting");
    assertThat(lev.pass()).isFalse();
    assertThat(lev.reason()).isEqualTo("edit distance 3 > 2");
    AssertionResult bleu = check(AssertionSpec.of("bleu", "the quick brown fox jumps").withThreshold(0.9),
        "the quick brown fox jumps");
    assertThat(bleu.score()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void latencyCostAndTokens() {
    GoldenCase c = GoldenCase.builder("c", "q").build();
    CaseOutput out = new CaseOutput("x", "gpt-4o-mini", Usage.of(100, 20), new BigDecimal("0.000027"),
        Duration.ofMillis(850));
    assertThat(assertions.evaluate(AssertionSpec.of("latency", 1000), c, "q", out).result().pass()).isTrue();
    assertThat(assertions.evaluate(AssertionSpec.of("latency", 500), c, "q", out).result().reason())
        .isEqualTo("latency 850 ms > 500 ms");
    assertThat(assertions.evaluate(AssertionSpec.of("cost", 0.00002), c, "q", out).result().pass()).isFalse();
    assertThat(assertions.evaluate(AssertionSpec.of("tokens", 120), c, "q", out).result().pass()).isTrue();
    assertThat(assertions.evaluate(new AssertionSpec("tokens", false, 10, null, 1, Map.of("kind", "output")), c, "q", out)
        .result().reason()).isEqualTo("output tokens 20 > 10");
    AssertionResult unpriced = assertions.evaluate(AssertionSpec.of("cost", 1), c, "q", CaseOutput.ofText("x")).result();
    assertThat(unpriced.errored()).isTrue();
  }

  @Test
  void piiRefusalAndCitations() {
    assertThat(check("no-pii", null, "Contact us via the form.").pass()).isTrue();
    assertThat(check("no-pii", null, "Write to jane@example.com").reason()).isEqualTo("found EMAIL");
    assertThat(check("refusal", null, "I'm sorry, but I can't help with that.").pass()).isTrue();
    assertThat(check("no-refusal", null, "I'm sorry, but I can't help with that.").pass()).isFalse();
    assertThat(check("no-refusal", null, "Refunds take 30 days.").pass()).isTrue();
    GoldenCase rag = GoldenCase.builder("r", "q")
        .contexts(List.of(new ContextDoc("doc-1", "a"), new ContextDoc("doc-2", "b"))).build();
    assertThat(check(AssertionSpec.of("citations", null), "Refunds take 30 days [doc-1][doc-2].", rag).pass()).isTrue();
    AssertionResult bad = check(AssertionSpec.of("citations", null), "See [doc-1] and [doc-9].", rag);
    assertThat(bad.pass()).isFalse();
    assertThat(bad.score()).isCloseTo(0.5, within(1e-12));
    assertThat(bad.reason()).isEqualTo("cites unknown sources [doc-9]; known [doc-1, doc-2]");
  }

  @Test
  void similarUsesTheEmbeddingModel() {
    AssertionResult same = check(AssertionSpec.of("similar", "abc"), "cab");
    assertThat(same.score()).isCloseTo(1.0, within(1e-9));
    assertThat(same.pass()).isTrue();
    AssertionResult different = check(AssertionSpec.of("similar", "aaa"), "zzz");
    assertThat(different.score()).isCloseTo(0.0, within(1e-9));
    assertThat(different.reason()).isEqualTo("cosine similarity 0 < 0.8 (letter-counts)");
  }

  /** Deterministic test embedding: letter counts a..z (bag of letters). */
  static final class LetterEmbeddings implements EmbeddingModel {
    @Override
    public float[] embed(String text) {
      float[] v = new float[26];
      for (char ch : text.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
        if (ch >= 'a' && ch <= 'z') {
          v[ch - 'a']++;
        }
      }
      return v;
    }

    @Override
    public int dimensions() {
      return 26;
    }

    @Override
    public String modelId() {
      return "letter-counts";
    }

    @Override
    public boolean normalized() {
      return false;
    }
  }
}
