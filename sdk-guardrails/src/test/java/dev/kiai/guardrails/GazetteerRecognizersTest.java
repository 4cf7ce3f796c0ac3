package dev.kiai.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Token- and gazetteer-based names, places, years and weekdays, each with look-alikes that must not match. */
class GazetteerRecognizersTest {
  private final PiiDetector pii = PiiDetector.defaults();

  private List<String> found(String text) {
    return pii.detect(text).stream().map(e -> e.type() + "=" + e.text()).toList();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "The report was written by Krisztina Horváth last week.|PERSON=Krisztina Horváth",
      "Send it to Ludwig van Beethoven today|PERSON=Ludwig van Beethoven",
      "We met Sara J. Lindqvist at the fair.|PERSON=Sara J. Lindqvist",
      "Unlike Kowalczyk, the board agreed.|PERSON=Kowalczyk",
      "Gestern hat Jürgen Schmidt angerufen.|PERSON=Jürgen Schmidt",
      "Die Rechnung ging an Hannelore Krämer-Vogt.|PERSON=Hannelore Krämer-Vogt",
      "Will Smith starred in it.|PERSON=Will Smith",
      "Jürgen Maclean's band played.|PERSON=Jürgen Maclean"})
  void findsNames(String text, String expected) {
    assertThat(found(text)).contains(expected);
  }

  @Test
  void partnershipsOfThreeFamilyNamesAreOneOrganization() {
    assertThat(found("Tomomi is from Hawkins, Richardson and Santana."))
        .containsExactly("ORGANIZATION=Hawkins, Richardson and Santana");
    assertThat(found("Hawkins, Richardson & Santana is a law firm."))
        .containsExactly("ORGANIZATION=Hawkins, Richardson & Santana");
    assertThat(found("The merger of Davis, Reynolds, Hawkins and Williamson closed."))
        .containsExactly("ORGANIZATION=Davis, Reynolds, Hawkins and Williamson");
    // given names are people, a pair is not a partnership here, and a list needs its closing "and"
    assertThat(found("Anna, Ben and Carla went home.")).noneMatch(e -> e.startsWith("ORGANIZATION"));
    assertThat(found("Hawkins and Richardson met.")).noneMatch(e -> e.startsWith("ORGANIZATION"));
    assertThat(found("Hawkins, Richardson, Santana.")).noneMatch(e -> e.startsWith("ORGANIZATION"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Will you send the report in May?",
      "Grant access to the Bill of Rights.",
      "Please Mark the Reading list as done.",
      "The Summer Sale starts soon.",
      "Die Rechnung kommt im Mai.",
      "I will be travelling to France next week."})
  void ignoresNameLookAlikes(String text) {
    assertThat(found(text)).noneMatch(s -> s.startsWith("PERSON="));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "I will be travelling to Canada next week.|LOCATION=Canada",
      "Sie wohnt in Baden-Württemberg.|LOCATION=Baden-Württemberg",
      "Wir fahren nach Mecklenburg-Vorpommern.|LOCATION=Mecklenburg-Vorpommern",
      "She flew to New Zealand yesterday.|LOCATION=New Zealand",
      "The office moved to Reading last year.|LOCATION=Reading",
      "He grew up in Tjaereborgvik.|LOCATION=Tjaereborgvik",
      "Unser Büro ist in Frankfurt am Main.|LOCATION=Frankfurt am Main"})
  void findsPlaces(String text, String expected) {
    assertThat(found(text)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Reading is fun on a rainy day.",
      "Nice work on the release!",
      "The mobile app is slow."})
  void ignoresPlaceLookAlikes(String text) {
    assertThat(found(text)).noneMatch(s -> s.startsWith("LOCATION="));
  }

  @Test
  void yearsNeedATemporalPreposition() {
    assertThat(found("The orchestra was founded in 1977.")).contains("DATE_TIME=1977");
    assertThat(found("Die Firma besteht seit 2001.")).contains("DATE_TIME=2001");
    assertThat(found("Order 1977 items.")).noneMatch(s -> s.startsWith("DATE_TIME"));
    assertThat(found("in 2017.5 cases")).noneMatch(s -> s.startsWith("DATE_TIME"));
    assertThat(found("room in 3456 please")).noneMatch(s -> s.startsWith("DATE_TIME"));
  }

  @Test
  void weekdaysAndIsoDateTimes() {
    assertThat(found("She flew there on Tuesday morning.")).contains("DATE_TIME=Tuesday");
    assertThat(found("Wir treffen uns am Freitag.")).contains("DATE_TIME=Freitag");
    assertThat(found("When: 2000-04-16 11:34:35")).contains("DATE_TIME=2000-04-16 11:34:35");
    assertThat(found("the friday feeling")).noneMatch(s -> s.startsWith("DATE_TIME"));
    PiiDetector strict = PiiDetector.builder().minScore(0.6).build();
    assertThat(strict.detect("on Tuesday in 1977")).isEmpty();
  }

  @Test
  void urlsZipCodesAndTitles() {
    assertThat(found("My website is https://www.example-shop.de/kontakt.")).contains("URL=https://www.example-shop.de/kontakt");
    assertThat(found("see www.example.org, thanks")).contains("URL=www.example.org");
    assertThat(found("the www is big")).noneMatch(e -> e.startsWith("URL="));
    assertThat(found("my zip code is 94105")).contains("ZIP_CODE=94105");
    assertThat(found("PLZ: 10115")).contains("ZIP_CODE=10115");
    assertThat(found("postcode SW1A 1AA please")).contains("ZIP_CODE=SW1A 1AA");
    assertThat(found("I zipped 94105 files")).noneMatch(e -> e.startsWith("ZIP_CODE="));
    assertThat(found("Hello, this is Dr. Kowalczyk speaking")).contains("TITLE=Dr.", "PERSON=Kowalczyk");
    assertThat(found("Bitte an Frau Schneider weiterleiten")).contains("TITLE=Frau", "PERSON=Schneider");
    assertThat(found("Dr. is an abbreviation")).noneMatch(e -> e.startsWith("TITLE="));
  }

  @Test
  void germanNounsAreNotNamesButGermanNamesAre() {
    PiiDetector de = PiiDetector.builder().language(PiiLanguage.DE).build();
    assertThat(de.detect("Ich habe eine Rose und eine Mark gefunden.")).isEmpty();
    assertThat(de.detect("Gestern rief Sabine Wagner an.").stream().map(PiiEntity::text).toList())
        .containsExactly("Sabine Wagner");
    PiiDetector en = PiiDetector.builder().language(PiiLanguage.EN).build();
    assertThat(en.detect("Remember me, Mary?").stream().map(e -> e.type() + "=" + e.text()).toList())
        .containsExactly("PERSON=Mary");
  }

  @Test
  void listsOfNamesAndSpeakers() {
    assertThat(found("The founders were Kowalczyk, Novak and Brzezinska.")).contains("PERSON=Kowalczyk",
        "PERSON=Novak", "PERSON=Brzezinska");
    assertThat(found("Nicole: Where were you?")).contains("PERSON=Nicole");
    assertThat(found("Apples, Pears and Plums are fruit.")).noneMatch(e -> e.startsWith("PERSON="));
  }

  @Test
  void organisationsEndInALegalForm() {
    assertThat(found("I work for Brightwater Analytics GmbH in Köln.")).contains(
        "ORGANIZATION=Brightwater Analytics GmbH");
    assertThat(found("She spent a year at Healthpocket Inc. before that.")).contains("ORGANIZATION=Healthpocket Inc.");
    assertThat(found("Schreiben Sie an Müller & Söhne GmbH.")).contains("ORGANIZATION=Müller & Söhne GmbH");
    assertThat(found("the group met at noon")).noneMatch(e -> e.startsWith("ORGANIZATION="));
    assertThat(found("The Group will meet.")).noneMatch(e -> e.startsWith("ORGANIZATION="));
  }

  @Test
  void streetTypeAddressesInUsAndUkOrder() {
    assertThat(found("Please send it to 14 Maple Close, Leeds.")).anyMatch(e -> e.startsWith(
        "STREET_ADDRESS=14 Maple Close"));
    assertThat(found("Ship to 221 Baker Gardens Apt. 4 now")).anyMatch(e -> e.startsWith(
        "STREET_ADDRESS=221 Baker Gardens Apt. 4"));
    assertThat(found("We sold 14 Green Apples today.")).noneMatch(e -> e.startsWith("STREET_ADDRESS="));
    assertThat(found("Die Lieferung geht an Lindenstraße 7, 80331 München.")).contains(
        "STREET_ADDRESS=Lindenstraße 7, 80331 München");
    assertThat(found("Seite 7 der Straßenkarte")).noneMatch(e -> e.startsWith("STREET_ADDRESS="));
  }

  @Test
  void digitPatternsAnchorAtNumbers() {
    assertThat(found("IBAN: de89 3704 0044 0532 0130 00, card 4111-1111-1111-1111"))
        .contains("IBAN_CODE=de89 3704 0044 0532 0130 00", "CREDIT_CARD=4111-1111-1111-1111");
    assertThat(found("ref 4111111111111112")).noneMatch(e -> e.startsWith("CREDIT_CARD="));
    assertThat(found("call +49 (0)30 1234567 today")).anyMatch(e -> e.startsWith("PHONE_NUMBER=+49 (0)30 1234567"));
  }

  @Test
  void tokenScanFlagsAndOffsets() {
    TextScan s = new TextScan("Dr. J. O'Brien's 42 BERLIN");
    assertThat(s.size).isEqualTo(6);
    assertThat(s.token(2)).isEqualTo("O'Brien");
    assertThat(s.is(1, TextScan.INITIAL)).isTrue();
    assertThat(s.is(2, TextScan.CAPITALISED)).isTrue();
    assertThat(s.is(4, TextScan.NUMBER)).isTrue();
    assertThat(s.is(5, TextScan.ALL_UPPER)).isTrue();
    assertThat(s.lower).isEqualTo("dr. j. o'brien's 42 berlin");
    assertThat(s.digits).isEqualTo(2);
  }
}
