package dev.kiai.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each number gate is a necessary condition of its pattern: with the gate, the anchored window matcher
 * finds exactly what it finds without it, on random texts of digit groups, separators and letters.
 */
class WindowGatesTest {
  private record Case(String name, Pattern pattern, int after, WindowMatcher.Gate gate) {}

  private static final List<Case> CASES = List.of(
      new Case("card", Recognizers.CARD, 40, Recognizers.CARD_GATE),
      new Case("de tax", Recognizers.DE_TAX, 16, Recognizers.DE_TAX_GATE),
      new Case("de rvnr", Recognizers.DE_RVNR, 16, Recognizers.DE_RVNR_GATE),
      new Case("at svnr", Recognizers.AT_SVNR, 12, Recognizers.AT_SVNR_GATE),
      new Case("ch ahv", Recognizers.CH_AHV_P, 16, Recognizers.CH_AHV_GATE),
      new Case("ssn", Recognizers.SSN, 10, Recognizers.SSN_GATE),
      new Case("phone", Recognizers.PHONE, 30, Recognizers.PHONE_GATE),
      new Case("numeric date", Recognizers.DATE_NUMERIC, 20, Recognizers.DATE_NUMERIC_GATE));

  private static final String[] SEPARATORS = {" ", " ", "-", ".", "/", ". ", ", ", " (", ") ", "+", " +", "(", "x",
      " A ", " J ", "ab", "\n", ":", "  "};

  private static String randomText(Random r) {
    StringBuilder sb = new StringBuilder();
    int groups = 1 + r.nextInt(7);
    for (int g = 0; g < groups; g++) {
      if (r.nextInt(4) == 0) {
        sb.append(SEPARATORS[r.nextInt(SEPARATORS.length)]);
      }
      int digits = 1 + r.nextInt(r.nextBoolean() ? 4 : 12);
      if (r.nextInt(6) == 0) { // date-like: d.m.yyyy, d/m/yy, yyyy-mm-dd, with digit counts off by one at times
        String sep = r.nextBoolean() ? "." : r.nextBoolean() ? "/" : "-";
        sb.append(digits(r, 1 + r.nextInt(4))).append(sep).append(r.nextBoolean() ? " " : "")
            .append(digits(r, 1 + r.nextInt(3))).append(sep).append(r.nextBoolean() ? "19" : "20")
            .append(digits(r, 1 + r.nextInt(3)));
      }
      if (r.nextInt(8) == 0) {
        sb.append(r.nextBoolean() ? "756" : r.nextBoolean() ? "0" : "1");
      }
      for (int d = 0; d < digits; d++) {
        sb.append((char) ('0' + r.nextInt(10)));
      }
      sb.append(SEPARATORS[r.nextInt(SEPARATORS.length)]);
    }
    return sb.toString();
  }

  private static String digits(Random r, int n) {
    StringBuilder sb = new StringBuilder();
    for (int d = 0; d < n; d++) {
      sb.append((char) ('0' + r.nextInt(10)));
    }
    return sb.toString();
  }

  private static List<String> matches(TextScan scan, Case c, WindowMatcher.Gate gate) {
    List<String> out = new ArrayList<>();
    WindowMatcher m = WindowMatcher.atNumbers(scan, c.pattern(), c.after(), gate);
    while (m.find()) {
      out.add(m.start() + ".." + m.end());
    }
    return out;
  }

  @Test
  void gatesSkipOnlyAttemptsThatCannotMatch() {
    Random r = new Random(20261130);
    int[] found = new int[CASES.size()];
    for (int t = 0; t < 40_000; t++) {
      String text = randomText(r);
      TextScan scan = new TextScan(text);
      for (int c = 0; c < CASES.size(); c++) {
        Case k = CASES.get(c);
        List<String> ungated = matches(scan, k, WindowMatcher.Gate.ALWAYS);
        assertThat(matches(scan, k, k.gate())).as("%s on \"%s\"", k.name(), text).isEqualTo(ungated);
        found[c] += ungated.size();
      }
    }
    for (int c = 0; c < CASES.size(); c++) {
      assertThat(found[c]).as("matches of %s in the random texts", CASES.get(c).name()).isGreaterThan(50);
    }
  }
}
