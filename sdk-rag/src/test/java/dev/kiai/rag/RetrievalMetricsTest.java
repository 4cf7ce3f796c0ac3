package dev.kiai.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {
  @Test
  void matchesHandComputedValues() {
    List<String> ranked = List.of("a", "x", "b", "x", "y", "c");
    Set<String> relevant = Set.of("a", "b", "c", "d");
    // distinct ranking: a x b y c -> hits at 1, 3, 5
    double dcg = 1 + 1 / (Math.log(4) / Math.log(2)) + 1 / (Math.log(6) / Math.log(2));
    double ideal = 1 + 1 / (Math.log(3) / Math.log(2)) + 1 / (Math.log(4) / Math.log(2)) + 1 / (Math.log(5) / Math.log(2));
    assertThat(RetrievalMetrics.ndcg(ranked, relevant, 10)).isCloseTo(dcg / ideal, within(1e-12));
    assertThat(RetrievalMetrics.averagePrecision(ranked, relevant)).isCloseTo((1 + 2.0 / 3 + 3.0 / 5) / 4, within(1e-12));
    assertThat(RetrievalMetrics.recall(ranked, relevant, 3)).isEqualTo(0.5);
    assertThat(RetrievalMetrics.recall(ranked, relevant, 100)).isEqualTo(0.75);
    assertThat(RetrievalMetrics.ndcg(List.of("a"), Set.of(), 10)).isEqualTo(0.0);
    assertThat(RetrievalMetrics.ndcg(List.of("a", "b"), Set.of("a", "b"), 2)).isEqualTo(1.0);
  }
}
