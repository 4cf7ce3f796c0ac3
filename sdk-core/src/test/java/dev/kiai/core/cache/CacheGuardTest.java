package dev.kiai.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheGuardTest {
  private final CacheGuard guard = CacheGuard.standard();

  private Optional<String> check(String a, String b) {
    Optional<String> ab = guard.check(a, b);
    Optional<String> ba = guard.check(b, a);
    assertThat(ab.isPresent()).as("symmetric: %s / %s", a, b).isEqualTo(ba.isPresent());
    return ab;
  }

  @Test
  void aNegatedWordTheOtherPromptAffirmsRejects() {
    assertThat(check("How do I enable 2FA on my account?", "How do I not enable 2FA on my account?"))
        .contains("negation differs: \"enabl\"");
    assertThat(check("Is the API free?", "Is the API not free?")).contains("negation differs: \"fre\"");
    assertThat(check("Why is the build green?", "Why isn't the build green?")).get().asString()
        .startsWith("negation differs");
    assertThat(check("Can I cancel my order?", "I can't cancel my order")).contains("negation differs: \"cancel\"");
    assertThat(check("Can I cancel my order?", "I cannot cancel my order")).contains("negation differs: \"cancel\"");
    assertThat(check("Will the job retry?", "Why won't the job retry?")).contains("negation differs: \"retry\"");
    assertThat(check("Why doesn't the job retry?", "Why does the job not retry?")).isEmpty();
    assertThat(check("Why isn't the build green?", "Why is the build green?")).contains("negation differs: \"green\"");
    assertThat(check("This is not the right way", "This is the wrong way")).isEmpty();
    assertThat(check("How do I install the agent?", "How do I uninstall the agent?"))
        .contains("negation differs: \"install\"");
    assertThat(check("Is the file encrypted?", "Is the file unencrypted?")).contains("negation differs: \"encrypt\"");
    assertThat(check("How can I avoid rate limits?", "How can I get rate limits?")).isPresent();
    assertThat(check("Is the token valid?", "Is the token invalid?")).contains("negation differs: \"valid\"");
  }

  @Test
  void germanAndFrenchNegationsReject() {
    assertThat(check("Ist der Dienst verfügbar?", "Ist der Dienst nicht verfügbar?"))
        .contains("negation differs: \"verfügbar\"");
    assertThat(check("Gibt es einen Rabatt?", "Gibt es keinen Rabatt?")).contains("negation differs: \"rabatt\"");
    assertThat(check("Warum kann ich das Passwort ändern?", "Warum kann ich das Passwort nicht ändern?"))
        .isPresent();
    assertThat(check("Est-ce disponible ?", "Ce n'est pas disponible ?")).isPresent();
  }

  @Test
  void negationsParaphrasedOrPresentInBothPass() {
    assertThat(check("Does it never fail?", "Doesn't it fail?")).isEmpty();
    assertThat(check("The parameter is optional.", "The parameter is not mandatory.")).isEmpty();
    assertThat(check("A no-code tool for dashboards", "A tool for dashboards without any coding")).isEmpty();
    assertThat(check("Runs in non-streaming mode", "Runs without streaming")).isEmpty();
    assertThat(check("Login is passwordless", "Login works without a password")).isEmpty();
    assertThat(check("It is unclear why", "It is not clear why")).isEmpty();
    assertThat(check("Do not forget to set the key", "Remember to set the key")).isEmpty();
    assertThat(check("Use it to avoid copying the data", "Use it so you don't have to copy the data")).isEmpty();
    assertThat(check("Files too large to fit in memory", "Files that won't fit in memory")).isEmpty();
    assertThat(check("Das ist kostenlos", "Das kostet nichts")).isEmpty();
    assertThat(check("Ich habe keine Zeit", "Mir fehlt die Zeit")).isEmpty();
    // not a negation at all: a tag question, an answer particle, fixed phrases
    assertThat(check("The cache is shared, isn't it?", "The cache is shared?")).isEmpty();
    assertThat(check("No, you can install it with pip.", "You can install it with pip.")).isEmpty();
    assertThat(check("Loads not only audio but also images", "Loads audio and images")).isEmpty();
    assertThat(check("Decide whether to cache or not", "Decide whether to cache")).isEmpty();
    assertThat(check("The page does not exist in version 2", "Version 2 does not have the page")).isEmpty();
    assertThat(check("The default is `None`.", "It defaults to None")).isEmpty();
    assertThat(check("Use it when it helps, not just for convenience", "Use it for convenience")).isEmpty();
    assertThat(check("Whether to copy the data; if false it is not copied", "Whether the data is copied")).isEmpty();
    assertThat(check("None of the tests passed", "The tests passed")).isPresent();
    // a word negated in one prompt that the other does not use is no flip
    assertThat(check("How do I play the video?", "How do I display the video?")).isEmpty();
  }

  @Test
  void differentNumbersDatesAndCodesReject() {
    assertThat(check("Status of order 4711?", "Status of order 4712?")).contains("numbers differ: [4711] vs [4712]");
    assertThat(check("How do I reset my password in version 2?", "How do I reset my password in version 3?"))
        .contains("numbers differ: [2] vs [3]");
    assertThat(check("How do I reset my password in version 2?", "How do I reset my password?"))
        .contains("numbers differ: [2] vs []");
    assertThat(check("Flights on March 3", "Flights on April 3")).contains("dates differ: [m3] vs [m4]");
    assertThat(check("Is the A320 quieter?", "Is the A321 quieter?")).contains("codes differ: [a320] vs [a321]");
    assertThat(check("What is 3 + 4?", "What is three plus five?")).contains("numbers differ: [3, 4] vs [3, 5]");
    assertThat(check("Can I return three items?", "Can I return five items?")).contains("numbers differ: [3] vs [5]");
    assertThat(check("Wie teuer sind zwei Tickets?", "Wie teuer sind drei Tickets?")).contains("numbers differ: [2] vs [3]");
    assertThat(check("What happened on the 3rd?", "What happened on the 4th?")).contains("numbers differ: [#3] vs [#4]");
    assertThat(check("Between two and three users", "Five users")).contains("numbers differ: [2, 3] vs [5]");
  }

  @Test
  void sameValuesSpelledDifferentlyPass() {
    assertThat(check("How do I reset my password?", "How can I reset my password")).isEmpty();
    assertThat(check("Can I return 3 items?", "Is it possible to return three items?")).isEmpty();
    assertThat(check("Revenue in 2024 was 1,000 USD", "2024 revenue: 1000 USD")).isEmpty();
    assertThat(check("Supports over 100 languages", "Supports more than one hundred languages")).isEmpty();
    assertThat(check("Costs 2 million", "Costs two million")).isEmpty();
    assertThat(check("Costs 2,000,000", "Costs 2 million")).isEmpty();
    assertThat(check("Room for 105 guests", "Room for one hundred and five guests")).isEmpty();
    assertThat(check("Twenty-one days", "21 days")).isEmpty();
    assertThat(check("The 1st step", "The first step")).isEmpty();
    assertThat(check("Version 3.50 release", "Version 3.5 release")).isEmpty();
    assertThat(check("Error ERR-404 meaning", "What does err-404 mean")).isEmpty();
    assertThat(check("Removed in v2.10.0", "Removed in version 2.10.0")).isEmpty();
    assertThat(check("What changed in v2?", "What changed in version 2?")).isEmpty();
    assertThat(check("Is the file UTF-8?", "Is the file utf8?")).isEmpty();
    assertThat(check("What changed in v2?", "What changed in v3?")).contains("numbers differ: [2] vs [3]");
    assertThat(check("Es gibt zwei Wege", "Es gibt 2 Wege")).isEmpty();
    // a count written as a word that the other prompt rewords or drops is no conflict
    assertThat(check("There are two ways to share a dataset. One is the hub.", "One way to share a dataset is the hub."))
        .isEmpty();
    assertThat(check("Which one is faster?", "Which is faster?")).isEmpty();
  }
}
