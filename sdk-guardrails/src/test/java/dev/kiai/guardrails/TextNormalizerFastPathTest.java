package dev.kiai.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written scans of {@link TextNormalizer} agree with the regular expressions they replace. */
class TextNormalizerFastPathTest {
  @Test
  void leetScanAgreesWithThePattern() {
    String alphabet = "ab z0134579$ .-A";
    Random r = new Random(20261130);
    int found = 0;
    for (int t = 0; t < 50_000; t++) {
      StringBuilder sb = new StringBuilder();
      int n = r.nextInt(12);
      for (int i = 0; i < n; i++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String s = sb.toString();
      boolean expected = TextNormalizer.LEET_WORD.matcher(s).find();
      assertThat(TextNormalizer.hasLeetWord(s)).as(s).isEqualTo(expected);
      found += expected ? 1 : 0;
    }
    assertThat(found).isGreaterThan(1000);
  }

  @Test
  void longLatin1FoldsGrowTheBuffer() {
    String s = "ß".repeat(40) + "ABC" + "Ü".repeat(10) + "  x";
    assertThat(TextNormalizer.normalize(s)).isEqualTo("ss".repeat(40) + "abc" + "u".repeat(10) + " x");
    assertThat(TextNormalizer.normalize("  Ignore\u200B ALL\t\tprevious  ")).isEqualTo("ignore all previous");
  }
}
