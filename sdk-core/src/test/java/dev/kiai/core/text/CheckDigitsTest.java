package dev.kiai.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckDigitsTest {
  @Test
  void luhnAcceptsValidNumbersAndRejectsOneDigitChanged() {
    assertThat(CheckDigits.luhn("79927398713")).isTrue();
    assertThat(CheckDigits.luhn("79927398710")).isFalse();
    assertThat(CheckDigits.luhn("4111111111111111")).isTrue();
    assertThat(CheckDigits.luhn("4111111111111112")).isFalse();
  }

  @Test
  void ibanMod97AcceptsTheStandardExamplesAndRejectsLookAlikes() {
    assertThat(CheckDigits.ibanMod97("DE89370400440532013000")).isTrue();
    assertThat(CheckDigits.ibanMod97("GB82WEST12345698765432")).isTrue();
    assertThat(CheckDigits.ibanMod97("DE89370400440532013001")).isFalse();
    assertThat(CheckDigits.ibanMod97("DE89-370400440532013000")).isFalse(); // separators are not digits
  }
}
