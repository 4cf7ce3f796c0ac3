package dev.kiai.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class NumericAnswerTest {

  private static void extracts(String text, String expected) {
    assertThat(NumericAnswer.extract(text)).as(text)
        .hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo(new BigDecimal(expected)));
  }

  @Test
  void gsm8kMarkerWins() {
    extracts("She makes 9 * 2 = $<<9*2=18>>18 every day.\n#### 18", "18");
    extracts("#### -5", "-5");
    extracts("Total 1,000.\n#### 1,000", "1000");
  }

  @Test
  void answerIsPhraseWins() {
    extracts("The answer is 1,234,567. I computed 5 first.", "1234567");
    extracts("answer: 42 (checked with 7 * 6)", "42");
    extracts("The final answer is €3,000", "3000");
  }

  @Test
  void otherwiseTheLastNumber() {
    extracts("It costs $1,250.50 in total", "1250.5");
    extracts("So 3/4 of the cake is left", "0.75");
    extracts("Temperature dropped to -12 degrees", "-12");
    extracts("I think it is 12, no wait, 15.", "15");
    extracts("It grew by 50%", "50");
  }

  @Test
  void emptyWhenNoNumber() {
    assertThat(NumericAnswer.extract("no digits here")).isEmpty();
    assertThat(NumericAnswer.extract("")).isEmpty();
  }
}
