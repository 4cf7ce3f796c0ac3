package dev.kiai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class CacheCommandTest {

  @Test
  void pairsStoresEveryAThenLooksUpEveryB() throws Exception {
    String in = """
        {"id":"p1","a":"How do I reset my password?","b":"How can I reset my password?"}
        {"id":"p2","a":"What are your opening hours on Saturday?","b":"When are you open on Saturday?"}
        {"id":"p3","a":"Can I cancel my order?","b":"Can I not cancel my order?"}
        {"id":"p4","a":"Where is order 4711?","b":"Where is order 4712?"}
        {"id":"p5","a":"Best pizza in Naples","b":"How do quantum computers work?"}
        {"id":"p6","a":"missing b"}
        """;
    CliRun r = CliRun.run(in, "cache", "pairs", "--threshold", "0.8");
    assertThat(r.exitCode()).isZero();
    assertThat(r.outLines()).hasSize(6);
    JsonNode p1 = Jsonl.MAPPER.readTree(r.outLines().get(0));
    assertThat(p1.get("id").asText()).isEqualTo("p1");
    assertThat(p1.get("hit").asBoolean()).isTrue();
    assertThat(p1.get("matched").asText()).isEqualTo("p1");
    assertThat(p1.get("similarity").asDouble()).isGreaterThan(0.8);
    JsonNode p3 = Jsonl.MAPPER.readTree(r.outLines().get(2));
    assertThat(p3.get("hit").asBoolean()).isFalse();
    assertThat(p3.get("matched").isNull()).isTrue();
    assertThat(p3.get("reason").asText()).isEqualTo("guard: negation differs: \"cancel\"");
    JsonNode p4 = Jsonl.MAPPER.readTree(r.outLines().get(3));
    assertThat(p4.get("hit").asBoolean()).isFalse();
    assertThat(p4.get("reason").asText()).isEqualTo("guard: numbers differ: [4711] vs [4712]");
    JsonNode p5 = Jsonl.MAPPER.readTree(r.outLines().get(4));
    assertThat(p5.get("hit").asBoolean()).isFalse();
    assertThat(p5.get("similarity").asDouble()).isLessThan(0.5);
    assertThat(r.outLines().get(5)).isEqualTo("{\"id\":\"p6\",\"error\":\"missing \\\"b\\\" (a string)\"}");
    assertThat(r.err()).contains("kiai cache pairs: 6 lines, 5 ok, 1 errors");

    CliRun unguarded = CliRun.run(in, "cache", "pairs", "--threshold", "0.8", "--no-guard");
    assertThat(Jsonl.MAPPER.readTree(unguarded.outLines().get(2)).get("matched").asText()).isEqualTo("p3");
  }

  @Test
  void calibrateChoosesAThresholdOrMeasuresOne() throws Exception {
    String in = """
        {"id":1,"a":"How do I reset my password?","b":"How can I reset my password?","label":1}
        {"id":2,"a":"What is the capital of France?","b":"Which city is the capital of France?","label":1}
        {"id":3,"a":"What is the capital of France?","b":"What is the capital of Germany?","label":0}
        {"id":4,"a":"Where is order 4711?","b":"Where is order 4712?","label":0}
        {"id":5,"a":"Best pizza in Naples","b":"How do quantum computers work?","label":0}
        {"id":6,"a":"x","b":"y","label":2}
        """;
    CliRun r = CliRun.run(in, "cache", "calibrate", "--max-false-hit-rate", "0");
    assertThat(r.exitCode()).isZero();
    JsonNode out = Jsonl.MAPPER.readTree(r.out());
    assertThat(out.get("false_positives").asInt()).isZero();
    assertThat(out.get("true_positives").asInt()).isEqualTo(2);
    assertThat(out.get("precision").asDouble()).isEqualTo(1.0);
    assertThat(out.get("recall").asDouble()).isEqualTo(1.0);
    assertThat(out.get("guard_rejections").asInt()).isEqualTo(1);
    assertThat(out.get("pairs").asInt()).isEqualTo(5);
    assertThat(out.get("errors").asInt()).isEqualTo(1);
    assertThat(r.err()).contains("line 6: \"label\" must be 0 or 1").contains("chose threshold");

    CliRun at = CliRun.run(in, "cache", "calibrate", "--threshold", "0.01");
    JsonNode measured = Jsonl.MAPPER.readTree(at.out());
    assertThat(measured.get("threshold").asDouble()).isEqualTo(0.01);
    assertThat(measured.get("true_positives").asInt()).isEqualTo(2);
    assertThat(measured.get("false_positives").asInt()).as("France/Germany; pizza/quantum is below 0.01").isEqualTo(1);
  }

  @Test
  void usageErrorsExitWithTwo() {
    CliRun both = CliRun.run("", "cache", "calibrate");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("give exactly one of --max-false-hit-rate and --threshold");
    CliRun missing = CliRun.run("", "cache", "pairs", "--in", "/no/such/file.jsonl");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("input file not found: /no/such/file.jsonl");
    CliRun none = CliRun.run("", "cache");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("a sub-command is required: pairs, calibrate");
  }
}
