package dev.kiai.guardrails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PseudonymVaultTest {

  @Test
  void pseudonymisesConsistentlyAndRestores() {
    PiiScrubber s = PiiScrubber.builder().operator(PiiOperator.pseudonymize()).build();
    PseudonymVault vault = new PseudonymVault();
    String scrubbed = s.scrub("Write to anna@example.de and bob@example.com, again anna@example.de", vault).text();
    assertThat(scrubbed).isEqualTo("Write to <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>, again <EMAIL_ADDRESS_1>");
    assertThat(vault.restore("Sent to <EMAIL_ADDRESS_2>; <PERSON_9> unknown"))
        .isEqualTo("Sent to bob@example.com; <PERSON_9> unknown");
  }

  @Test
  void restoresPlaceholdersSplitAcrossStreamChunks() {
    PseudonymVault vault = new PseudonymVault();
    vault.placeholderFor("PERSON", "Maria Gonzalez");
    vault.placeholderFor("EMAIL_ADDRESS", "maria@example.es");
    List<String> out = new ArrayList<>();
    StreamRestorer r = vault.streamRestorer(out::add);
    for (String chunk : List.of("Hello <PER", "SON_", "1>, your mail <EMAIL_ADD", "RESS_1> is ", "set. 3 < 4 ok <", "b>")) {
      r.accept(chunk);
    }
    r.flush();
    assertThat(String.join("", out)).isEqualTo("Hello Maria Gonzalez, your mail maria@example.es is set. 3 < 4 ok <b>");
    assertThat(out.get(0)).isEqualTo("Hello ");
  }

  @Test
  void vaultIsConsistentAcrossThreads() throws Exception {
    PseudonymVault vault = new PseudonymVault();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String value = "person-" + (i % 20);
        results.add(pool.submit(() -> vault.placeholderFor("PERSON", value)));
      }
      java.util.Map<String, String> byPlaceholder = new java.util.HashMap<>();
      for (int i = 0; i < results.size(); i++) {
        String placeholder = results.get(i).get();
        String previous = byPlaceholder.putIfAbsent(placeholder, "person-" + (i % 20));
        assertThat(previous == null || previous.equals("person-" + (i % 20))).isTrue();
      }
      assertThat(vault.size()).isEqualTo(20);
      assertThat(byPlaceholder).hasSize(20);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void operatorsRedactMaskHashEncrypt() {
    PiiEntity card = new PiiEntity("CREDIT_CARD", 0, 19, 1.0, "4111 1111 1111 1111");
    assertThat(PiiOperator.redact().apply(card, null)).isEqualTo("<CREDIT_CARD>");
    assertThat(PiiOperator.mask(4).apply(card, null)).isEqualTo("**** **** **** 1111");
    byte[] key = "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8);
    String h1 = PiiOperator.hash(key).apply(card, null);
    assertThat(h1).startsWith("<CREDIT_CARD:").hasSize("<CREDIT_CARD:>".length() + 16);
    assertThat(PiiOperator.hash(key).apply(card, null)).isEqualTo(h1);
    PiiOperator.Encrypt enc = new PiiOperator.Encrypt(new SecretKeySpec(new byte[16], "AES"));
    String token = enc.apply(card, null);
    assertThat(token).startsWith("<ENC:CREDIT_CARD:");
    assertThat(enc.decrypt(token)).isEqualTo("4111 1111 1111 1111");
    assertThatThrownBy(() -> PiiOperator.hash(new byte[4])).hasMessageContaining("key");
  }
}
