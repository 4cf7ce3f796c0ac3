package dev.kiai.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.chat.Role;
import dev.kiai.core.error.ConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoldenSuiteTest {

  @Test
  void parsesJsonlWithAllFields() {
    GoldenSuite s = GoldenSuite.parse("sets/support.jsonl", """
        {"id":"a","prompt":"Refund window?","expected":"30 days","tags":["must-pass"],"weight":2,"assert":[{"type":"contains","value":"30"},{"type":"not-icontains","value":"sorry","weight":0.5},{"type":"json-path","path":"$.x","threshold":0.1}]}

        // comment lines are skipped
        {"id":"b","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"expected":42}
        {"id":"c","template":"support-reply@1.1.0","vars":{"question":"Where?"},"contexts":[{"id":"d1","text":"doc"},"plain"]}
        """);
    assertThat(s.name()).isEqualTo("support.jsonl");
    assertThat(s.cases()).extracting(GoldenCase::id).containsExactly("a", "b", "c");
    GoldenCase a = s.cases().get(0);
    assertThat(a.weight()).isEqualTo(2.0);
    assertThat(a.hasTag(GoldenCase.MUST_PASS)).isTrue();
    assertThat(a.assertions()).containsExactly(
        new AssertionSpec("contains", false, "30", null, 1.0, Map.of()),
        new AssertionSpec("icontains", true, "sorry", null, 0.5, Map.of()),
        new AssertionSpec("json-path", false, null, 0.1, 1.0, Map.of("path", "$.x")));
    GoldenCase b = s.cases().get(1);
    assertThat(b.messages()).extracting(m -> m.role()).containsExactly(Role.SYSTEM, Role.USER);
    assertThat(b.expected()).isEqualTo("42");
    GoldenCase c = s.cases().get(2);
    assertThat(c.template()).isEqualTo("support-reply@1.1.0");
    assertThat(c.vars()).isEqualTo(Map.of("question", "Where?"));
    assertThat(c.contexts()).containsExactly(new ContextDoc("d1", "doc"), new ContextDoc("2", "plain"));
  }

  @Test
  void parsesYamlListOrCasesMap() {
    GoldenSuite s = GoldenSuite.parse("set.yaml", """
        name: ignored
        cases:
          - id: one
            prompt: Hello
            assert:
              - {type: starts-with, value: Hi}
          - id: two
            prompt: Bye
        """);
    assertThat(s.cases()).extracting(GoldenCase::id).containsExactly("one", "two");
    assertThat(s.cases().get(0).assertions()).containsExactly(AssertionSpec.of("starts-with", "Hi"));
  }

  @Test
  void errorsNameFileAndLine() {
    assertThatThrownBy(() -> GoldenSuite.parse("g.jsonl", "{\"id\":\"a\",\"prompt\":\"x\"}\n{\"id\":\"b\",\"prompt\":\n"))
        .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("g.jsonl:2: malformed JSON");
    assertThatThrownBy(() -> GoldenSuite.parse("g.jsonl", "\n{\"id\":\"a\",\"prompt\":\"x\",\"asserts\":[]}"))
        .hasMessageStartingWith("g.jsonl:2: unknown field 'asserts'");
    assertThatThrownBy(() -> GoldenSuite.parse("g.jsonl", "{\"id\":\"a\",\"prompt\":\"x\",\"assert\":[{\"type\":\"containz\"}]}"))
        .hasMessageStartingWith("g.jsonl:1: assert[0].type 'containz' is unknown; known types: equals, contains");
    assertThatThrownBy(() -> GoldenSuite.parse("g.jsonl", "{\"id\":\"a\"}"))
        .hasMessage("g.jsonl:1: case a: exactly one of prompt, messages or template (with vars) is required, found 0");
    assertThatThrownBy(() -> GoldenSuite.parse("g.jsonl", "{\"id\":\"a\",\"prompt\":\"x\"}\n{\"id\":\"a\",\"prompt\":\"y\"}"))
        .hasMessage("g.jsonl: cases: duplicate id 'a'");
    assertThatThrownBy(() -> GoldenSuite.parse("g.yaml", "- id: a\n  prompt: x\n- id: b\n  weight: -1\n  prompt: y\n"))
        .hasMessage("g.yaml:3: weight must be a positive number, was -1.0");
    assertThatThrownBy(() -> GoldenSuite.parse("g.yaml", "- id: a\n  prompt: x\n- just text\n"))
        .hasMessage("g.yaml:3: expected a map per case, found just text");
    assertThatThrownBy(() -> GoldenSuite.load("classpath:golden/missing.jsonl"))
        .hasMessage("golden set not found on the classpath: golden/missing.jsonl");
  }

  @Test
  void loadsFromClasspath() {
    GoldenSuite s = GoldenSuite.load("classpath:golden/support.jsonl");
    assertThat(s.size()).isEqualTo(4);
    assertThat(s.cases().get(0).assertions()).extracting(AssertionSpec::displayType).contains("contains");
    assertThat(List.copyOf(s.cases())).hasSize(4);
  }
}
