package dev.kiai.core.prompt;

import static dev.kiai.core.prompt.PromptFixtures.fixture;
import static dev.kiai.core.prompt.PromptFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.prompt.LintFinding.Severity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptLinterTest {
  @TempDir
  Path tmp;

  @Test
  void reportsEveryProblemWithExactMessages() {
    List<LintFinding> findings = PromptLinter.lint(fixture("lint"));

    assertThat(findings).containsExactly(
        error("classify/1.0.0.yaml", "unknown field 'temprature' (known fields: id, version, description, system,"
            + " text, variables, output_schema, model_hints, labels, metadata)"),
        error("classify/1.0.0.yaml", "output_schema must be a JSON object"),
        warning("greet/1.0.0.yaml", "required variable 'greeting' has a default that is never used"),
        error("greet/1.0.0.yaml", "placeholder {{name}} is not declared in variables"),
        warning("greet/1.0.0.yaml", "variable 'tone' is declared but not used"),
        error("misc/bad-version.yaml", "invalid version '1.0': expected major.minor.patch with an optional"
            + " -pre-release, e.g. 1.2.0 or 1.3.0-draft"),
        error("misc/broken.yaml",
            "malformed YAML at line 3, column 5: while scanning a quoted scalar: found unexpected end of stream"),
        error("misc/dup-b.yaml", "duplicate misc@1.0.0: also defined in misc/dup-a.yaml"),
        warning("prompts.lock", "gone@1.0.0 is locked but no longer exists"),
        error("summarize/1.0.0.yaml", "summarize@1.0.0 changed since it was locked (prompts.lock has"
            + " sha256:000000000000..., the content is sha256:"
            + PromptTemplate.builder().id("summarize").version("1.0.0").text("Summarise: {{ticket}}")
                .variable(PromptVariable.required("ticket")).build().contentHash().substring(0, 12)
            + "...): released versions are immutable, release the change as a new version"),
        error("summarize/1.0.1.yaml", "id 'summary' does not match the directory 'summarize'"),
        error("summarize/1.0.2.yaml", "version '1.0.3' does not match the file name '1.0.2.yaml'"));
    assertThat(findings.get(0)).hasToString("classify/1.0.0.yaml: ERROR: " + findings.get(0).message());
  }

  @Test
  void cleanDirectoryHasNoFindings() {
    assertThat(PromptLinter.lint(fixture("valid"))).isEmpty();
  }

  @Test
  void reportsFieldTypeVariableAndLabelProblems() {
    write(tmp.resolve("a/1.0.0.yaml"), """
        id: a
        version: 1.0.0
        system: "{{ 2x }}"
        text: 42
        variables:
          - {name: x, required: maybe, colour: red}
          - {description: no name}
        model_hints: {models: gpt, temperature: 3, top_k: 5}
        labels: [prod, "1.0.0"]
        metadata: [1]
        """);
    write(tmp.resolve("b/1.0.0.json"), "{\"id\": \"b\", \"version\": \"1.0.0\", \"text\": \"Hi\", \"id\": \"c\"}");
    write(tmp.resolve("c/1.0.0.yaml"), "- just\n- a list\n");
    write(tmp.resolve("d/1.0.0.yaml"), "id: d\nversion: 1.0.0\ntext: Hi\n");
    write(tmp.resolve("labels.yaml"), """
        d: {prod: 1.0.0, canary: 2.0.0, canary_percent: 150, latest: 1.0.0}
        e: {prod: 1.0.0}
        """);

    assertThat(PromptLinter.lint(tmp)).containsExactly(
        error("a/1.0.0.yaml", "field 'text' must be a string"),
        error("a/1.0.0.yaml", "unknown field 'variables[0].colour' (known fields: name, required, default,"
            + " description)"),
        error("a/1.0.0.yaml", "field 'variables[0].required' must be true or false"),
        error("a/1.0.0.yaml", "field 'variables[1].name' is required and must be a string"),
        error("a/1.0.0.yaml", "system line 1: malformed placeholder '{{ 2x }}' (write \\{{ for a literal {{)"),
        error("a/1.0.0.yaml", "unknown field 'model_hints.top_k' (known fields: models, temperature, max_tokens)"),
        error("a/1.0.0.yaml", "model_hints.temperature must be within 0..2, was 3.0"),
        error("a/1.0.0.yaml", "invalid label '1.0.0': expected a letter, then letters, digits, _ or -"),
        error("a/1.0.0.yaml", "field 'metadata' must be a mapping"),
        error("b/1.0.0.json", "malformed JSON at line 1, column 51: Duplicate field 'id'"),
        error("c/1.0.0.yaml", "top level must be a mapping of fields (id, version, description, system, text,"
            + " variables, output_schema, model_hints, labels, metadata)"),
        error("labels.yaml", "canary_percent of d must be an integer from 0 to 100, was 150"),
        error("labels.yaml", "label 'latest' is reserved"),
        error("labels.yaml", "label 'canary' of d points to 2.0.0, which does not exist; versions: 1.0.0"),
        error("labels.yaml", "labels for unknown template 'e'"));
  }

  @Test
  void missingDirectoryIsNotAFinding() {
    assertThatThrownBy(() -> PromptLinter.lint(tmp.resolve("nope"))).isInstanceOf(ConfigurationException.class);
  }

  private static LintFinding error(String file, String message) {
    return new LintFinding(file, Severity.ERROR, message);
  }

  private static LintFinding warning(String file, String message) {
    return new LintFinding(file, Severity.WARNING, message);
  }
}
