package dev.kiai.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextMetricsTest {

  /**
   * Lin (2004), "ROUGE: A Package for Automatic Evaluation of Summaries", §3.1: reference S1 "police
   * killed the gunman"; S2 "police kill the gunman" has ROUGE-L 3/4 = 0.75 (LCS "police the gunman"),
   * S3 "the gunman kill police" has 2/4 = 0.5 (LCS "the gunman"), with beta = 1. By hand: LCS(S1,S2) = 3,
   * P = R = 3/4, F = 0.75; LCS(S1,S3) = 2, P = R = 2/4, F = 0.5.
   */
  @Test
  void rougeLMatchesLinWorkedExample() {
    String s1 = "police killed the gunman";
    assertThat(TextMetrics.rougeL("police kill the gunman", s1)).isCloseTo(0.75, within(1e-12));
    assertThat(TextMetrics.rougeL("the gunman kill police", s1)).isCloseTo(0.5, within(1e-12));
  }

  /**
   * Unequal lengths: candidate "the cat sat" vs reference "the cat sat on the mat": LCS 3, P = 3/3,
   * R = 3/6, F1 = 2 * 1 * 0.5 / 1.5 = 2/3 (the F-measure the rouge-score package reports).
   */
  @Test
  void rougeLIsTheF1OfLcsPrecisionAndRecall() {
    assertThat(TextMetrics.rougeL("The cat sat.", "the cat sat on the mat")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(TextMetrics.rougeL("", "the cat")).isEqualTo(0.0);
  }

  /**
   * Papineni et al. (2002), "BLEU", §2.1: candidate "the the the the the the the" against references
   * "The cat is on the mat." and "There is a cat on the mat." has modified unigram precision 2/7
   * ("the" occurs at most twice in one reference).
   */
  @Test
  void modifiedUnigramPrecisionOfPapineniExample1() {
    long[] p = TextMetrics.modifiedPrecision(TextMetrics.tokens("the the the the the the the"),
        List.of(TextMetrics.tokens("The cat is on the mat."), TextMetrics.tokens("There is a cat on the mat.")), 1);
    assertThat(p).containsExactly(2, 7);
  }

  /**
   * Papineni et al. (2002), §2.1, Example 1: Candidate 1 has modified unigram precision 17/18 and
   * modified bigram precision 10/17; Candidate 2 has 8/14 and 1/13. (Candidate 1's only unmatched word
   * is "obeys"; Candidate 2's bigram match is "of the"... counted against all three references.)
   */
  @Test
  void modifiedPrecisionsOfPapineniExample2() {
    List<List<String>> refs = List.of(
        TextMetrics.tokens("It is a guide to action that ensures that the military will forever heed Party commands."),
        TextMetrics.tokens("It is the guiding principle which guarantees the military forces always being under the "
            + "command of the Party."),
        TextMetrics.tokens("It is the practical guide for the army always to heed the directions of the party."));
    List<String> c1 = TextMetrics.tokens(
        "It is a guide to action which ensures that the military always obeys the commands of the party.");
    List<String> c2 = TextMetrics.tokens(
        "It is to insure the troops forever hearing the activity guidebook that party direct.");
    assertThat(TextMetrics.modifiedPrecision(c1, refs, 1)).containsExactly(17, 18);
    assertThat(TextMetrics.modifiedPrecision(c1, refs, 2)).containsExactly(10, 17);
    assertThat(TextMetrics.modifiedPrecision(c2, refs, 1)).containsExactly(8, 14);
    assertThat(TextMetrics.modifiedPrecision(c2, refs, 2)).containsExactly(1, 13);
  }

  /**
   * Brevity penalty, Papineni et al. §2.2.2: BP = exp(1 - r/c) when c &lt;= r. A 3-token candidate that
   * equals the first 3 tokens of a 6-token reference has all n-gram precisions 1 for n &lt;= 3, and for
   * n = 4 there is no 4-gram: with add-one smoothing p4 = (0+1)/(0+1) = 1, so BLEU+1 = BP = exp(1 - 6/3)
   * = e^-1 = 0.36788.
   */
  @Test
  void bleuAppliesBrevityPenalty() {
    assertThat(TextMetrics.brevityPenalty(3, 6)).isCloseTo(Math.exp(-1), within(1e-12));
    assertThat(TextMetrics.brevityPenalty(7, 6)).isEqualTo(1.0);
    assertThat(TextMetrics.bleu("the cat sat", List.of("the cat sat on the mat"), true))
        .isCloseTo(Math.exp(-1), within(1e-12));
    assertThat(TextMetrics.bleu("the cat sat", List.of("the cat sat on the mat"), false)).isEqualTo(0.0);
  }

  @Test
  void bleuOfIdenticalSentenceIsOne() {
    String s = "the quick brown fox jumps over the lazy dog";
    assertThat(TextMetrics.bleu(s, List.of(s), false)).isCloseTo(1.0, within(1e-12));
    assertThat(TextMetrics.bleu(s, List.of(s), true)).isCloseTo(1.0, within(1e-12));
  }

  /**
   * Unsmoothed BLEU by hand: candidate "a b c d e" vs reference "a b c d f": p1 = 4/5, p2 = 3/4,
   * p3 = 2/3, p4 = 1/2, c = r = 5 so BP = 1; BLEU = (4/5 * 3/4 * 2/3 * 1/2)^(1/4) = (1/5)^(1/4) = 0.66874.
   */
  @Test
  void bleuGeometricMeanByHand() {
    assertThat(TextMetrics.bleu("a b c d e", List.of("a b c d f"), false))
        .isCloseTo(Math.pow(0.2, 0.25), within(1e-12));
  }

  @Test
  void levenshteinClassicExamples() {
    assertThat(TextMetrics.levenshtein("kitten", "sitting")).isEqualTo(3);
    assertThat(TextMetrics.levenshtein("flaw", "lawn")).isEqualTo(2);
    assertThat(TextMetrics.levenshtein("", "abc")).isEqualTo(3);
    assertThat(TextMetrics.levenshtein("same", "same")).isZero();
  }
}
