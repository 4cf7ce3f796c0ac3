package dev.kiai.guardrails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.Kiai;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.error.StructuredOutputException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructuredOutputInterceptorTest {
  private static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]}";

  @Test
  void repairsAndReasksUntilTheSchemaHolds() {
    List<String> answers = new ArrayList<>(List.of("{\"n\": \"one\"}", "```json\n{\"n\": 1,}\n```"));
    GuardrailsInterceptorTest.ScriptedModel model = new GuardrailsInterceptorTest.ScriptedModel(
        r -> answers.remove(0), List.of());
    Kiai kiai = Kiai.builder().model(model).interceptor(new StructuredOutputInterceptor(3)).build();
    ChatResponse r = kiai.chat(ChatRequest.builder().addUser("count")
        .responseFormat(ResponseFormat.jsonSchema("count", SCHEMA)).build());
    assertThat(r.text()).isEqualTo("{\"n\":1}");
    assertThat(model.requests).hasSize(2);
    assertThat(model.requests.get(1).lastUserText()).contains("$.n: string found, integer expected");
    assertThat(r.trace().all("StructuredOutputInterceptor").stream().map(e -> e.decision()).toList())
        .containsExactly("invalid", "valid");
  }

  @Test
  void givesUpWithEveryAttemptAndLeavesTextRequestsAlone() {
    GuardrailsInterceptorTest.ScriptedModel model = new GuardrailsInterceptorTest.ScriptedModel(r -> "nope", List.of());
    Kiai kiai = Kiai.builder().model(model).interceptor(new StructuredOutputInterceptor(2)).build();
    assertThatThrownBy(() -> kiai.chat(ChatRequest.builder().addUser("count")
        .responseFormat(ResponseFormat.jsonSchema("count", SCHEMA)).build()))
        .isInstanceOfSatisfying(StructuredOutputException.class,
            e -> assertThat(e.attempts()).containsExactly("nope", "nope"));
    assertThat(kiai.chat("plain text please").text()).isEqualTo("nope");
  }
}
