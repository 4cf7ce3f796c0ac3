package dev.kiai.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.RequestContext;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.error.TemplateException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {

  private static PromptTemplate.Builder summarize() {
    return PromptTemplate.builder()
        .id("summarize")
        .version("1.2.0")
        .system("Answer in {{ language }}.")
        .text("Summarise in {{max_words}} words:\n{{ticket}}")
        .variable(PromptVariable.required("ticket"))
        .variable(PromptVariable.optional("language", "English"))
        .variable(new PromptVariable("max_words", true, null, "upper bound"));
  }

  @Test
  void rendersValuesWithStringValueOfAndDefaults() {
    RenderedPrompt p = summarize().build().render(Map.of("ticket", "Printer on fire", "max_words", 80));

    assertThat(p.system()).isEqualTo("Answer in English.");
    assertThat(p.user()).isEqualTo("Summarise in 80 words:\nPrinter on fire");
    assertThat(p.ref()).isEqualTo(new TemplateRef("summarize", "1.2.0"));
    assertThat(p.unknownVariables()).isEmpty();
  }

  @Test
  void optionalVariableWithoutDefaultRendersEmpty() {
    PromptTemplate t = PromptTemplate.builder().id("t").version("1.0.0")
        .text("[{{ note }}]").variable(PromptVariable.optional("note", null)).build();

    assertThat(t.render(Map.of()).user()).isEqualTo("[]");
    assertThat(t.render(Map.of("note", "x")).user()).isEqualTo("[x]");
  }

  @Test
  void missingRequiredVariablesAreAllNamed() {
    PromptTemplate t = summarize().build();
    Map<String, Object> vars = new HashMap<>();
    vars.put("ticket", null);

    assertThatThrownBy(() -> t.render(vars))
        .isInstanceOfSatisfying(TemplateException.class, e -> {
          assertThat(e.missingVariables()).containsExactly("ticket", "max_words");
          assertThat(e.template()).isEqualTo("summarize@1.2.0");
        })
        .hasMessage("template summarize@1.2.0: missing required variables: ticket, max_words");
  }

  @Test
  void unknownVariablesAreReportedAndRejectedInStrictMode() {
    PromptTemplate t = summarize().build();
    Map<String, Object> vars = Map.of("ticket", "t", "max_words", 5, "tone", "warm", "langauge", "de");

    assertThat(t.render(vars).unknownVariables()).containsExactly("langauge", "tone");
    assertThatThrownBy(() -> t.renderStrict(vars))
        .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.missingVariables()).isEmpty())
        .hasMessage("template summarize@1.2.0: undeclared variables supplied: langauge, tone"
            + " (declared: language, max_words, ticket)");
    assertThat(t.renderStrict(Map.of("ticket", "t", "max_words", 5)).user()).endsWith("t");
  }

  @Test
  void valuesAreNeverExpandedAgain() {
    PromptTemplate t = PromptTemplate.builder().id("t").version("1.0.0")
        .text("Q: {{question}} / secret: {{secret}}")
        .variable(PromptVariable.required("question"))
        .variable(PromptVariable.optional("secret", "s3cr3t"))
        .build();

    String user = t.render(Map.of("question", "print {{secret}} and \\{{secret}}")).user();

    assertThat(user).isEqualTo("Q: print {{secret}} and \\{{secret}} / secret: s3cr3t");
  }

  @Test
  void backslashEscapesLiteralBraces() {
    PromptTemplate t = PromptTemplate.builder().id("t").version("1.0.0")
        .text("Write \\{{name}} literally, then {{name}}. JSON: {\"a\": {\"b\": 1}}")
        .variable(PromptVariable.required("name"))
        .build();

    assertThat(t.render(Map.of("name", "Ada")).user())
        .isEqualTo("Write {{name}} literally, then Ada. JSON: {\"a\": {\"b\": 1}}");
  }

  @Test
  void malformedAndUndeclaredPlaceholdersAreRejected() {
    assertThatThrownBy(() -> PromptTemplate.builder().id("t").version("1.0.0").text("a\nb {{ 1x }}").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("text line 2: malformed placeholder '{{ 1x }}' (write \\{{ for a literal {{)");
    assertThatThrownBy(() -> PromptTemplate.builder().id("t").version("1.0.0").text("a {{x").build())
        .hasMessage("text line 1: '{{' is not closed by '}}' (write \\{{ for a literal {{)");
    assertThatThrownBy(() -> PromptTemplate.builder().id("t").version("1.0.0")
        .system("{{a}}").text("{{b}} {{a}}").build())
        .hasMessage("placeholder {{a}} is not declared in variables; placeholder {{b}} is not declared in variables");
  }

  @Test
  void validatesFields() {
    assertThatThrownBy(() -> PromptTemplate.builder().id("bad id").version("1.0.0").text("x").build())
        .hasMessageStartingWith("invalid id 'bad id'");
    assertThatThrownBy(() -> PromptTemplate.builder().id("t").version("1.0.0").text("  \n").build())
        .hasMessage("text must not be blank");
    assertThatThrownBy(() -> PromptTemplate.builder().id("t").version("1.0.0").text("x")
        .outputSchema("[1]").build())
        .hasMessage("output_schema must be a JSON object");
    assertThatThrownBy(() -> PromptTemplate.builder().id("t").version("1.0.0").text("x")
        .labels(List.of("latest")).build())
        .hasMessage("label 'latest' is reserved");
    assertThatThrownBy(() -> PromptTemplate.builder().id("t").version("1.0.0").text("{{a}}")
        .variable(PromptVariable.required("a")).variable(PromptVariable.optional("a", "x")).build())
        .hasMessage("variable 'a' is declared twice");
    assertThatThrownBy(() -> PromptVariable.required("1st"))
        .hasMessageStartingWith("invalid variable name '1st'");
    assertThatThrownBy(() -> new ModelHints(List.of(), 2.5, null))
        .hasMessage("model_hints.temperature must be within 0..2, was 2.5");
  }

  @Test
  void toRequestAppliesHintsSchemaAndTemplateRef() {
    PromptTemplate t = summarize()
        .outputSchema("{ \"type\": \"object\", \"properties\": {\"summary\": {\"type\": \"string\"}} }")
        .modelHints(new ModelHints(List.of("gpt-4o-mini", "claude-3-5-haiku"), 0.2, 400))
        .build();

    ChatRequest request = t.render(Map.of("ticket", "T", "max_words", 50)).toRequest();

    assertThat(request.messages()).containsExactly(
        ChatMessage.system("Answer in English."), ChatMessage.user("Summarise in 50 words:\nT"));
    assertThat(request.model()).isEqualTo("gpt-4o-mini");
    assertThat(request.temperature()).isEqualTo(0.2);
    assertThat(request.maxTokens()).isEqualTo(400);
    assertThat(request.responseFormat()).isEqualTo(ResponseFormat.jsonSchema("summarize",
        "{\"type\":\"object\",\"properties\":{\"summary\":{\"type\":\"string\"}}}"));
    assertThat(request.context().template()).isEqualTo(TemplateRef.parse("summarize@1.2.0"));
  }

  @Test
  void toRequestWithoutHintsOrSystemLeavesDefaults() {
    PromptTemplate t = PromptTemplate.builder().id("support.triage").version("1.0.0").text("Hi")
        .outputSchema("{}").build();

    ChatRequest request = t.render(Map.of()).toRequest();

    assertThat(request.messages()).containsExactly(ChatMessage.user("Hi"));
    assertThat(request.model()).isNull();
    assertThat(request.temperature()).isNull();
    assertThat(request.maxTokens()).isNull();
    assertThat(request.responseFormat().schemaName()).isEqualTo("support_triage");
  }

  @Test
  void toRequestKeepsTheBaseContext() {
    RequestContext base = RequestContext.builder().requestId("r-1").tenant("acme").user("u-7")
        .feature("support").attribute("plan", "gold").build();

    ChatRequest request = summarize().build().render(Map.of("ticket", "T", "max_words", 5))
        .toRequestBuilder(base).seed(7L).build();

    RequestContext context = request.context();
    assertThat(context.requestId()).isEqualTo("r-1");
    assertThat(context.tenant()).isEqualTo("acme");
    assertThat(context.user()).isEqualTo("u-7");
    assertThat(context.feature()).isEqualTo("support");
    assertThat(context.attributes()).containsEntry("plan", "gold");
    assertThat(context.template()).isEqualTo(TemplateRef.parse("summarize@1.2.0"));
    assertThat(request.seed()).isEqualTo(7L);
  }

  @Test
  void contentHashCoversWhatIsSentAndNothingElse() {
    PromptTemplate base = summarize().build();
    String hash = base.contentHash();

    assertThat(hash).matches("[0-9a-f]{64}");
    assertThat(base.render(Map.of("ticket", "t", "max_words", 1)).contentHash()).isEqualTo(hash);
    // not sent: description, metadata, labels, version, variable descriptions and order, brace spacing
    assertThat(base.toBuilder().description("other").metadata(Map.of("owner", "x")).labels(List.of("prod"))
        .version("9.9.9").build().contentHash()).isEqualTo(hash);
    assertThat(base.toBuilder().variables(List.of(
            PromptVariable.optional("language", "English"), new PromptVariable("max_words", true, null, null),
            new PromptVariable("ticket", true, null, "the body")))
        .system("Answer in {{language}}.\r\n").build().contentHash()).isEqualTo(hash);
    // sent: texts, defaults, required flags, schema, hints
    assertThat(base.toBuilder().text("Summarize in {{max_words}} words:\n{{ticket}}").build().contentHash())
        .isNotEqualTo(hash);
    assertThat(base.toBuilder().system("Answer in {{language}}!").build().contentHash()).isNotEqualTo(hash);
    assertThat(base.toBuilder().variables(List.of(PromptVariable.required("ticket"),
        PromptVariable.optional("language", "German"), PromptVariable.required("max_words")))
        .build().contentHash()).isNotEqualTo(hash);
    assertThat(base.toBuilder().outputSchema("{}").build().contentHash()).isNotEqualTo(hash);
    assertThat(base.toBuilder().modelHints(new ModelHints(List.of(), 0.3, null)).build().contentHash())
        .isNotEqualTo(hash);
  }

  @Test
  void contentHashIsAFixedFunctionOfTheContent() {
    // Committed prompts.lock files depend on this value: changing the canonical form breaks every lock.
    PromptTemplate t = PromptTemplate.builder().id("golden").version("1.0.0")
        .system("Be brief.")
        .text("Hello {{ name }}, \\{{literal}}")
        .variable(PromptVariable.optional("name", "you"))
        .outputSchema("{\"type\": \"object\"}")
        .modelHints(new ModelHints(List.of("m1"), 0.7, 100))
        .build();

    // SHA-256 of {"system":["Be brief."],"text":["Hello ",{"var":"name"},", {{literal}}"],
    // "variables":[{"name":"name","required":false,"default":"you"}],"output_schema":{"type":"object"},
    // "model_hints":{"models":["m1"],"temperature":"0.7","max_tokens":100}}
    assertThat(t.contentHash()).isEqualTo("73b9a722189754760f1c4f871f6d34feb501ab614cadbd210bf7b50262e1bbf8");
  }

  @Test
  void isImmutableAndComparable() {
    PromptTemplate a = summarize().metadata(Map.of("tags", List.of("a"))).build();
    PromptTemplate b = summarize().metadata(Map.of("tags", List.of("a"))).build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.ref()).hasToString("summarize@1.2.0");
    assertThatThrownBy(() -> a.variables().add(PromptVariable.required("x")))
        .isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> tags = (List<Object>) a.metadata().get("tags");
    assertThatThrownBy(() -> tags.add("b")).isInstanceOf(UnsupportedOperationException.class);
  }
}
