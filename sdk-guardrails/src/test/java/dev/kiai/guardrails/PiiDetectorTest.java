package dev.kiai.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PiiDetectorTest {
  private final PiiDetector pii = PiiDetector.defaults();

  private List<String> types(String text) {
    return pii.detect(text).stream().map(e -> e.type() + "=" + e.text()).toList();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Mail me at anna.schmidt@example.de please|EMAIL_ADDRESS=anna.schmidt@example.de",
      "IBAN DE89 3704 0044 0532 0130 00 bitte|IBAN_CODE=DE89 3704 0044 0532 0130 00",
      "pay to GB82WEST12345698765432 today|IBAN_CODE=GB82WEST12345698765432",
      "card 4111 1111 1111 1111 expires|CREDIT_CARD=4111 1111 1111 1111",
      "server 192.168.10.7 is down|IP_ADDRESS=192.168.10.7",
      "host 2001:db8:85a3::8a2e:370:7334 answers|IP_ADDRESS=2001:db8:85a3::8a2e:370:7334",
      "Meine Steuer-ID ist 86095742719.|DE_TAX_ID=86095742719",
      "USt-IdNr. DE136695976 auf der Rechnung|VAT_ID=DE136695976",
      "UID ATU13585627 in Wien|VAT_ID=ATU13585627",
      "AHV-Nummer 756.9217.0769.85 angeben|CH_AHV=756.9217.0769.85",
      "my SSN is 536-90-4399 ok|US_SSN=536-90-4399",
      "key sk-proj-AbCdEf0123456789AbCdEf0123 leaked|SECRET=sk-proj-AbCdEf0123456789AbCdEf0123",
      "aws AKIAIOSFODNN7EXAMPLE in logs|SECRET=AKIAIOSFODNN7EXAMPLE",
      "git clone https://bob:s3cretPw@git.example.com/repo.git now|URL_CREDENTIALS=https://bob:s3cretPw@git.example.com/repo.git",
      "Ruf mich an: +49 30 1234567 danke|PHONE_NUMBER=+49 30 1234567",
      "call (415) 555-0132 tomorrow|PHONE_NUMBER=(415) 555-0132",
      "Telefon 030 12345678 abends|PHONE_NUMBER=030 12345678",
      "Sie wohnt in der Hauptstraße 12, 10115 Berlin.|STREET_ADDRESS=Hauptstraße 12, 10115 Berlin",
      "Ich bin 42 Jahre alt.|AGE=42",
      "geboren am 12.03.1985 in Köln|DATE_TIME=12.03.1985",
      "SV-Nummer 1237 010180 bitte|AT_SOCIAL_SECURITY=1237 010180",
      "UID CHE-116.281.710 MWST|VAT_ID=CHE-116.281.710 MWST",
      "password = Xk9mP2vL8qR4tZ7w please|SECRET=Xk9mP2vL8qR4tZ7w",
      "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U here|SECRET=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "He is 42 years old.|AGE=42",
      "Call me on 0171 2345678 tonight|PHONE_NUMBER=0171 2345678",
      "Phone: 020 7946 0958 (London)|PHONE_NUMBER=020 7946 0958",
      "appelez le 01 23 45 67 89 demain|PHONE_NUMBER=01 23 45 67 89",
      "Tel. 044 668 18 00 Zürich|PHONE_NUMBER=044 668 18 00",
      "Wien +43 1 5134567 Büro|PHONE_NUMBER=+43 1 5134567",
      "E.164 +4915112345678 ok|PHONE_NUMBER=+4915112345678",
      "Born on March 3, 1985 in Ohio|DATE_TIME=March 3, 1985",
      "ship to 1600 Pennsylvania Avenue NW, Washington, DC 20500 now|STREET_ADDRESS=1600 Pennsylvania Avenue NW, Washington, DC 20500"})
  void findsValidValues(String text, String expected) {
    assertThat(types(text)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "IBAN DE89 3704 0044 0532 0130 01 bitte",     // mod-97 fails
      "card 4111 1111 1111 1112 expires",           // Luhn fails
      "version 999.168.10.7 released",              // octet out of range
      "Meine Steuer-ID ist 86095742718.",           // check digit wrong
      "USt-IdNr. DE136695977 auf der Rechnung",     // check digit wrong
      "AHV-Nummer 756.9217.0769.86 angeben",        // EAN-13 wrong
      "my SSN is 666-90-4399 ok",                   // invalid area
      "meeting at 12:30:45 today",                  // a time, not IPv6
      "SV-Nummer 1238 010180 bitte",       // SVNR check digit wrong
      "UID CHE-116.281.711 MWST",                   // UID check digit wrong
      "token: aaaaaaaaaaaaaaaaaaaa",                // no entropy, not a secret
      "write to user@localhost",                    // no domain
      "order 1234567 shipped"})                     // digits without phone context
  void rejectsInvalidLookAlikes(String text) {
    assertThat(types(text)).isEmpty();
  }

  @Test
  void findsGermanRentenversicherungsnummerWithChecksum() {
    assertThat(types("RVNR 65170839J003 liegt vor")).containsExactly("DE_SOCIAL_SECURITY=65170839J003");
    assertThat(types("RVNR 65170839J004 liegt vor")).isEmpty();
  }

  @Test
  void findsNamesByTitleContextAndGazetteer() {
    assertThat(types("Sehr geehrte Frau Müller, danke.")).containsExactly("TITLE=Frau", "PERSON=Müller");
    assertThat(types("My name is Jonathan Whitaker.")).containsExactly("PERSON=Jonathan Whitaker");
    assertThat(types("Yesterday Maria Gonzalez called.")).containsExactly("PERSON=Maria Gonzalez");
  }

  @Test
  void urlWithoutPasswordIsAUrlNotCredentials() {
    assertThat(types("see https://example.com/a:b@c")).containsExactly("URL=https://example.com/a:b@c");
  }

  @Test
  void reportsOffsetsIntoTheInput() {
    List<PiiEntity> found = pii.detect("x a@b.de y");
    assertThat(found).hasSize(1);
    assertThat(found.get(0).start()).isEqualTo(2);
    assertThat(found.get(0).end()).isEqualTo(8);
    assertThat(found.get(0).score()).isEqualTo(1.0);
  }

  @Test
  void allowlistAndTypeFilterApply() {
    PiiDetector d = PiiDetector.builder().allow("support@kiai\\.dev").types(java.util.Set.of("EMAIL_ADDRESS")).build();
    assertThat(d.detect("support@kiai.dev or jan@example.org, 192.168.0.1").stream().map(PiiEntity::text).toList())
        .containsExactly("jan@example.org");
  }

  @Test
  void languagePacksChooseContextWordsAndDateOrder() {
    PiiDetector en = PiiDetector.builder().language(PiiLanguage.EN).build();
    PiiDetector de = PiiDetector.builder().language(PiiLanguage.DE).build();
    // 12/31/1999 is a US date (month first), impossible in German (day first)
    assertThat(en.detect("on 12/31/1999 we met").stream().map(PiiEntity::type).toList()).containsExactly("DATE_TIME");
    assertThat(de.detect("am 12/31/1999 trafen wir uns")).isEmpty();
    // German name cue only in the German pack (names that are in no gazetteer)
    assertThat(de.detect("Mein Name ist Quirinus Quastenflosser.").stream().map(PiiEntity::text).toList())
        .containsExactly("Quirinus Quastenflosser");
    assertThat(en.detect("Mein Name ist Quirinus Quastenflosser.")).noneMatch(e -> e.text().contains("Quirinus"));
    // the birth-date context word raises the score in its own language
    assertThat(de.detect("geboren am 01.02.1990").get(0).score()).isEqualTo(0.95);
    assertThat(en.detect("geboren am 01.02.1990").get(0).score()).isEqualTo(0.6);
  }

  @Test
  void detectsLanguage() {
    assertThat(PiiLanguage.AUTO.resolve("Ich wohne in der Hauptstraße und das ist mein Name")).isEqualTo(PiiLanguage.DE);
    assertThat(PiiLanguage.AUTO.resolve("This is my name and the address is here")).isEqualTo(PiiLanguage.EN);
  }
}
