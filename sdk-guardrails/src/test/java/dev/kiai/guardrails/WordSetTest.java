package dev.kiai.guardrails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The region lookups behind the allocation-free token probes, and the in-place context-word search. */
class WordSetTest {
  private final WordSet set = WordSet.of(List.of("anna", "new york", "straße", "x", "anna"));

  @Test
  void isASetOfItsDistinctWords() {
    assertThat(set).hasSize(4).containsExactlyInAnyOrder("anna", "new york", "straße", "x");
    assertThat(set).isEqualTo(Set.of("anna", "new york", "straße", "x"));
    assertThat(set.contains("ann")).isFalse();
    assertThat(set.contains((Object) 42)).isFalse();
    assertThatThrownBy(() -> set.add("bob")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void probesARegionWithoutCopyingIt() {
    String text = "to new york, via Hauptstraße";
    assertThat(set.contains(text, 3, 11)).isTrue(); // "new york"
    assertThat(set.contains(text, 3, 6)).isFalse(); // "new"
    assertThat(set.contains(text, 24, 28)).isFalse(); // "raße"
    assertThat(set.contains("xx", 0, 1)).isTrue();
    assertThat(set.contains("xx", 0, 2)).isFalse();
    assertThat(WordSet.hash(text, 3, 11)).isEqualTo("new york".hashCode());
  }

  @Test
  void lowerCasedProbeFoldsEachCharacter() {
    String text = "ANNA und STRASSE und Straße";
    assertThat(set.containsLowerCased(text, 0, 4, WordSet.lowerHash(text, 0, 4))).isTrue();
    assertThat(set.containsLowerCased(text, 21, 27, WordSet.lowerHash(text, 21, 27))).isTrue();
    assertThat(set.containsLowerCased(text, 9, 16, WordSet.lowerHash(text, 9, 16))).isFalse();
  }

  @Test
  void tokensAreLookedUpAsWrittenAndInLowerCase() {
    TextScan scan = new TextScan("Anna lives in NEW York");
    WordSet given = WordSet.of("Anna");
    assertThat(scan.tokenIn(given, 0)).isTrue();
    assertThat(scan.lowerIn(given, 0)).isFalse();
    assertThat(scan.lowerIn(set, 0)).isTrue();
    assertThat(scan.lowerIs(2, "in")).isTrue();
    assertThat(scan.lowerIs(2, "i")).isFalse();
    assertThat(scan.hasWord(WordSet.of("york"))).isTrue();
    assertThat(scan.hasWord(WordSet.of("yor"))).isFalse();
    assertThat(scan.gapIs(2, " ")).isTrue();
  }

  @Test
  void contextWordsInPlaceAgreeWithTheCopyingSearch() {
    List<String> words = List.of("visa", "card", "tel");
    for (String text : List.of("My VISA card 4111", "Tel: 030 123", "VİSA 4111", "ΣTEL 1234", "tel", "xcard 1")) {
      TextScan scan = new TextScan(text);
      for (int start = 0; start <= text.length(); start++) {
        for (int window : new int[] {0, 3, 30}) {
          assertThat(Recognizers.contextBefore(scan, start, window, words))
              .as("%s at %d within %d", text, start, window)
              .isEqualTo(Recognizers.contextBefore(text, start, window, words));
        }
      }
    }
    assertThat(new TextScan("VİSA").specialLowerCase).isTrue();
    assertThat("VİSA".toLowerCase(Locale.ROOT)).isNotEqualTo("visa");
    assertThat(new TextScan("Visa").specialLowerCase).isFalse();
  }
}
