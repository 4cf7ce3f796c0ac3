package dev.kiai.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheGuardTest {
  private final CacheGuard guard = CacheGuard.standard();

  @Test
  void negationInEitherPromptRejects() {
    assertThat(guard.check("How do I enable 2FA on my account?", "How do I not enable 2FA on my account?"))
        .contains("negation differs");
    assertThat(guard.check("Why is the build green?", "Why isn't the build green?")).contains("negation differs");
    assertThat(guard.check("Ist der Dienst verfügbar?", "Ist der Dienst nicht verfügbar?")).contains("negation differs");
    assertThat(guard.check("Gibt es einen Rabatt?", "Gibt es keinen Rabatt?")).contains("negation differs");
    assertThat(guard.check("Est-ce disponible ?", "Ce n'est pas disponible ?")).contains("negation differs");
  }

  @Test
  void differentNumbersDatesAndCodesReject() {
    assertThat(guard.check("Status of order 4711?", "Status of order 4712?"))
        .contains("numbers differ: [4711] vs [4712]");
    assertThat(guard.check("Flights on March 3", "Flights on April 3")).contains("dates differ: [m3] vs [m4]");
    assertThat(guard.check("Is the A320 quieter?", "Is the A321 quieter?")).contains("codes differ: [a320] vs [a321]");
    assertThat(guard.check("What is 3 + 4?", "What is three plus five?")).contains("numbers differ: [3, 4] vs [3, 5]");
  }

  @Test
  void paraphrasesWithTheSameFactsPass() {
    assertThat(guard.check("How do I reset my password?", "How can I reset my password")).isEmpty();
    assertThat(guard.check("Can I return 3 items?", "Is it possible to return three items?")).isEmpty();
    assertThat(guard.check("Revenue in 2024 was 1,000 USD", "2024 revenue: 1000 USD")).isEmpty();
    assertThat(guard.check("Does it never fail?", "Doesn't it fail?")).isEmpty();
    assertThat(guard.check("Version 3.50 release", "Version 3.5 release")).isEmpty();
    assertThat(guard.check("Error ERR-404 meaning", "What does err-404 mean")).isEmpty();
    assertThat(guard.check("Loads not only audio but also images", "Loads audio and images")).isEmpty();
    assertThat(guard.check("Decide whether to cache or not", "Decide whether to cache")).isEmpty();
    assertThat(guard.check("Runs in non-streaming mode", "Runs without streaming")).isEmpty();
    assertThat(guard.check("Removed in v2.10.0", "Removed in version 2.10.0")).isEmpty();
  }
}
