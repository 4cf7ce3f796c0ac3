package dev.kiai.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The international address gate is a necessary condition of its pattern: the address search finds
 * exactly the same with and without it, on random texts of street words, names, particles and numbers.
 */
class AddressGateTest {
  private static final String[] WORDS = {"Rue", "de", "la", "Paix", "Hauptstraße", "Hauptstr.", "Andrássy", "út",
      "Kossuth", "Lajos", "u.", "utca", "Fő", "tér", "krt.", "Weg", "Am", "an", "der", "Via", "Viale", "Roma",
      "Piazza", "del", "Duomo", "Kungsgatan", "Storgatan", "Nørre", "Vej", "Gade", "Prinsengracht", "Straat",
      "Main", "Street", "road", "Lane", "the", "sollte", "Lieferung", "O'Neil's", "Jean-Luc", "St.", "Peter",
      "ul.", "Długa", "Ulica", "Calle", "Mayor", "ÖSTRA", "Ringstraße", "Mühlenweg", "d'Italia", "12", "5a", "10115",
      "3/4", "7-9", "1", "221"};
  private static final String[] GAPS = {" ", " ", " ", " ", ", ", "  ", "\n", " - ", "\t", ". "};

  private static List<String> found(TextScan scan, Recognizers.StartGate gate) {
    List<String> out = new ArrayList<>();
    Recognizers.beforeNumbers(scan, Recognizers.INTL_ADDRESS, 6, 12, new byte[scan.size], gate,
        m -> out.add(m.start() + ".." + m.end()));
    return out;
  }

  @Test
  void gateSkipsOnlyStartsThatCannotMatch() {
    Random r = new Random(20261130);
    int matches = 0;
    for (int t = 0; t < 30_000; t++) {
      StringBuilder sb = new StringBuilder();
      int words = 2 + r.nextInt(9);
      for (int w = 0; w < words; w++) {
        sb.append(WORDS[r.nextInt(WORDS.length)]).append(GAPS[r.nextInt(GAPS.length)]);
      }
      String text = sb.toString();
      TextScan scan = new TextScan(text);
      List<String> ungated = found(scan, Recognizers.StartGate.ALWAYS);
      assertThat(found(scan, Recognizers::intlAddressMayStart)).as(text).isEqualTo(ungated);
      matches += ungated.size();
    }
    assertThat(matches).isGreaterThan(1000);
  }
}
