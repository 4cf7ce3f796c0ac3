package dev.kiai.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.core.text.CheckDigits;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiDetectorTest {
  private final PiiDetector pii = PiiDetector.builtIn();

  private List<String> types(String text) {
    return pii.find(text).stream().map(PiiDetector.Finding::type).toList();
  }

  @Test
  void findsEmailPhoneIbanAndCard() {
    assertThat(types("Mail jane.doe@example.co.uk today")).containsExactly("EMAIL");
    assertThat(types("Call +44 20 7946 0958 now")).containsExactly("PHONE");
    // ISO 13616 example IBANs, valid mod-97
    assertThat(types("Pay to GB82 WEST 1234 5698 7654 32 please")).containsExactly("IBAN");
    assertThat(types("IBAN DE89370400440532013000")).containsExactly("IBAN");
    // Visa test number 4111 1111 1111 1111 passes Luhn
    assertThat(types("card 4111 1111 1111 1111 exp 12/29")).containsExactly("CREDIT_CARD");
  }

  @Test
  void checksumsRejectLookalikes() {
    assertThat(types("Pay to GB82 WEST 1234 5698 7654 33 please")).isEmpty();
    assertThat(types("card 4111 1111 1111 1112")).isEmpty();
    assertThat(types("Order 12345 shipped in 3 days")).isEmpty();
    assertThat(CheckDigits.luhn("79927398713")).isTrue();
    assertThat(CheckDigits.luhn("79927398710")).isFalse();
  }

  @Test
  void findingsAreInTextOrderWithOffsets() {
    List<PiiDetector.Finding> f = pii.find("a@b.io and 4111-1111-1111-1111");
    assertThat(f).containsExactly(new PiiDetector.Finding("EMAIL", 0, 6), new PiiDetector.Finding("CREDIT_CARD", 11, 30));
  }
}
