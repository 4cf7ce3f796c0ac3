package dev.kiai.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Nationality, religious and political groups (NRP) and organisations named by context, with look-alikes. */
class GroupsAndEmployersTest {
  private final PiiDetector pii = PiiDetector.builder().language(PiiLanguage.EN).build();

  private List<String> found(String text) {
    return pii.detect(text).stream().map(e -> e.type() + "=" + e.text()).toList();
  }

  @Test
  void groupsStandingAlone() {
    assertThat(found("She is Brazilian and her husband is a devout Muslim."))
        .containsExactly("NRP=Brazilian", "NRP=Muslim");
    assertThat(found("Many Germans voted for the Republican candidate."))
        .containsExactly("NRP=Germans", "NRP=Republican");
    assertThat(found("He is a Christian with Sri Lankan roots.")).containsExactly("NRP=Christian", "NRP=Sri Lankan");
    assertThat(found("We ate at a small Slovenian place.")).containsExactly("NRP=Slovenian");
  }

  @Test
  void groupLookAlikesAreNotReported() {
    // a thing's name, a longer proper name, a language, a qualifier, an everyday adjective starting a sentence
    assertThat(found("We had French fries and a German Shepherd at the Catholic University."))
        .noneMatch(e -> e.startsWith("NRP="));
    assertThat(found("He speaks Polish and answers in English.")).isEmpty();
    assertThat(found("The Dutch language is hard.")).isEmpty();
    assertThat(found("We moved here from Belgium (Flemish).")).noneMatch(e -> e.startsWith("NRP="));
    assertThat(found("Liberal estimates say it grew.")).isEmpty();
    assertThat(found("Christian Bale met Christian at the party.")).noneMatch(e -> e.startsWith("NRP="));
    assertThat(found("a german shepherd")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "I work for Zentrovix.|ORGANIZATION=Zentrovix",
      "She was employed by Quorra Lending until May.|ORGANIZATION=Quorra Lending",
      "Last year he joined Brightlane.|ORGANIZATION=Brightlane",
      "He is the CEO of Veltrano Systems.|ORGANIZATION=Veltrano Systems",
      "She spent two years at Mirabelle Analytics as an analyst.|ORGANIZATION=Mirabelle Analytics",
      "The Propelix office is at the corner.|ORGANIZATION=Propelix",
      "Kovantic is a small insurance company in Oslo.|ORGANIZATION=Kovantic",
      "Dravenna is a 501(c)3 that helps artists.|ORGANIZATION=Dravenna"})
  void organisationsNamedByContext(String text, String expected) {
    assertThat(found(text)).contains(expected);
  }

  @Test
  void contextOrganisationLookAlikes() {
    // a person, a place, common words: not organisations
    assertThat(found("I work for Anna Schmidt now.")).noneMatch(e -> e.startsWith("ORGANIZATION="));
    assertThat(found("She worked in Berlin and works for Berlin.")).noneMatch(e -> e.startsWith("ORGANIZATION="));
    assertThat(found("The Sales office is closed. He works for The Man.")).noneMatch(e -> e.startsWith("ORGANIZATION="));
    assertThat(found("This is a good company.")).isEmpty();
    // a tool used for something, a product, a movement
    assertThat(found("Shuffling is employed for Datasets here.")).noneMatch(e -> e.startsWith("ORGANIZATION="));
    assertThat(found("The Inference Hub is a platform for models.")).noneMatch(e -> e.startsWith("ORGANIZATION="));
    assertThat(found("Who is the founder of Sikhism?")).noneMatch(e -> e.startsWith("ORGANIZATION="));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "He grew up in SKOGVIKEN.|LOCATION=SKOGVIKEN",
      "We moved here from Drelsbrook.|LOCATION=Drelsbrook",
      "I'm Anna, originally from Quentaro, and I like tea.|LOCATION=Quentaro",
      "I am in Vellamo for a business trip.|LOCATION=Vellamo",
      "The home city of the band is Ostrava; the town of Brumlitz is nearby.|LOCATION=Brumlitz",
      "We returned to Quarrenza del Tovo by car.|LOCATION=Quarrenza del Tovo"})
  void placesNamedByContext(String text, String expected) {
    assertThat(found(text)).contains(expected);
  }

  @Test
  void placeFormLabelAtALineStart() {
    assertThat(found("When: tomorrow\nWhere: Drelsbrook, by the lake")).contains("LOCATION=Drelsbrook");
  }

  @Test
  void placeContextLookAlikes() {
    // common words, a person, a label inside a line
    assertThat(found("I am in Love with it and grew up in Trouble.")).noneMatch(e -> e.startsWith("LOCATION="));
    assertThat(found("She moved here from Anna's house.")).noneMatch(e -> e.startsWith("LOCATION="));
    assertThat(found("Tell me where: Drelsbrook or not")).noneMatch(e -> e.startsWith("LOCATION="));
  }

  @Test
  void partnershipsMayHaveMembersThatAreAlsoGivenNames() {
    assertThat(found("They hired Grant, Lindqvist and Moreno last year."))
        .contains("ORGANIZATION=Grant, Lindqvist and Moreno");
    // every member also a given name: three people
    assertThat(found("Jordan, Taylor and Morgan went home.")).noneMatch(e -> e.startsWith("ORGANIZATION="));
  }

  @Test
  void anEverydayWordEndingLikeAStreetIsNoStreet() {
    assertThat(found("During 1971, the firm invested heavily.")).noneMatch(e -> e.startsWith("STREET_ADDRESS="));
    assertThat(found("Spring 2020 was quiet.")).noneMatch(e -> e.startsWith("STREET_ADDRESS="));
    assertThat(found("Sie wohnt in der Hauptstraße 5 in Köln.")).contains("STREET_ADDRESS=Hauptstraße 5");
  }

  @Test
  void yearsInNamesAndAsAdjectives() {
    assertThat(found("During 1971, the firm grew.")).containsExactly("DATE_TIME=1971");
    assertThat(found("Section 3 of the Clean Air Act of 1970 applies here.")).contains("DATE_TIME=1970");
    assertThat(found("It is a 2017 Polish action film.")).contains("DATE_TIME=2017");
    // counts, not years
    assertThat(found("The 2000 employees left. Page 1999 of 2000.")).isEmpty();
  }

  @Test
  void givenNamesThatAreFrequentWords() {
    // a frequent given name before an unknown word, and as a sentence's subject
    assertThat(found("Bryan Quellmore's band played.")).contains("PERSON=Bryan Quellmore");
    assertThat(found("Grace had mailed the forms.")).containsExactly("PERSON=Grace");
    // a frequent word that is a given name, not followed by a subject verb; two common words
    assertThat(found("Will you come?")).isEmpty();
    assertThat(found("Grace under pressure is rare.")).isEmpty();
    assertThat(found("We are working with Datasets on a Quija board.")).noneMatch(e -> e.startsWith("ORGANIZATION="));
  }

  @Test
  void unknownSpeakersInADialogue() {
    assertThat(found("Quellan: What a day.\nAnna: Indeed it was.")).contains("PERSON=Quellan", "PERSON=Anna");
    // one label is no dialogue; docstring sections are labels
    assertThat(found("Quellan: What a day.")).isEmpty();
    assertThat(found("Args:\n  x: the value\nReturns: the sum")).isEmpty();
  }
}
