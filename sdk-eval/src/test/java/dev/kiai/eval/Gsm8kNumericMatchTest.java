package dev.kiai.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Correctness check of {@code numeric-match} on the first 300 GSM8K test problems
 * ({@code ../shared/data/eval/gsm8k-test-first300.jsonl}, openai/grade-school-math, MIT): replaying each
 * case's own reference solution passes; replaying the next case's solution fails unless both final
 * answers happen to be equal.
 */
class Gsm8kNumericMatchTest {
  static final Path DATA = Path.of("..", "shared", "data", "eval", "gsm8k-test-first300.jsonl");

  static List<String[]> load() throws Exception {
    Path file = Files.exists(DATA) ? DATA : Path.of("..", DATA.toString());
    assumeTrue(Files.exists(file), "GSM8K data absent (" + DATA.toAbsolutePath().normalize()
        + "); see /work/shared/data/README.md — skipping");
    ObjectMapper json = new ObjectMapper();
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        JsonNode n = json.readTree(line);
        rows.add(new String[] {n.get("question").asText(), n.get("answer").asText()});
      }
    }
    return rows;
  }

  static GoldenSuite suite(List<String[]> rows) {
    List<GoldenCase> cases = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      cases.add(GoldenCase.builder("gsm8k-" + i, rows.get(i)[0]).expected(rows.get(i)[1])
          .addAssertion(AssertionSpec.of("numeric-match", null)).build());
    }
    return GoldenSuite.of("gsm8k-test-first300", cases);
  }

  @Test
  void ownSolutionPassesAndNeighboursSolutionFails() throws Exception {
    List<String[]> rows = load();
    assertThat(rows).hasSize(300);
    GoldenSuite suite = suite(rows);
    Map<String, String> own = new HashMap<>();
    Map<String, String> shifted = new HashMap<>();
    int sameFinalAnswer = 0;
    for (int i = 0; i < rows.size(); i++) {
      String next = rows.get((i + 1) % rows.size())[1];
      own.put("gsm8k-" + i, rows.get(i)[1]);
      shifted.put("gsm8k-" + i, next);
      if (NumericAnswer.extract(next).orElseThrow().compareTo(NumericAnswer.extract(rows.get(i)[1]).orElseThrow()) == 0) {
        sameFinalAnswer++;
      }
    }
    EvalReport ownRun = EvalRunner.builder().model(ReplayModel.of(own)).build().run(suite);
    assertThat(ownRun.passed()).isEqualTo(300);
    EvalReport shiftedRun = EvalRunner.builder().model(ReplayModel.of(shifted)).build().run(suite);
    // Neighbouring problems share a final answer in exactly this many pairs; only those may pass.
    assertThat(shiftedRun.passed()).isEqualTo(sameFinalAnswer);
    assertThat(shiftedRun.failed()).isEqualTo(300 - sameFinalAnswer);
    assertThat(sameFinalAnswer).isLessThan(15);
    System.out.printf("gsm8k numeric-match: own solution %d/300 pass; neighbour's solution %d/300 pass "
        + "(%d neighbour pairs share the final answer)%n", ownRun.passed(), shiftedRun.passed(), sameFinalAnswer);
  }
}
