package dev.kiai.guardrails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.error.StructuredOutputException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StructuredOutputTest {
  enum Priority { LOW, HIGH }

  record Ticket(String title, int count, Priority priority, List<String> tags, Optional<String> note) {}

  @Test
  void derivesStrictSchemaFromRecord() {
    assertThat(JsonSchemas.of(Ticket.class)).isEqualTo("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
        + "\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"},\"count\":{\"type\":\"integer\"},"
        + "\"priority\":{\"type\":\"string\",\"enum\":[\"LOW\",\"HIGH\"]},\"tags\":{\"type\":\"array\",\"items\":"
        + "{\"type\":\"string\"}},\"note\":{\"type\":\"string\"}},\"required\":[\"title\",\"count\",\"priority\","
        + "\"tags\"],\"additionalProperties\":false}");
  }

  @Test
  void repairsFencesProseTrailingCommasQuotesCommentsAndNewlines() {
    String raw = "Sure! Here it is:\n```json\n{\n  // the ticket\n  'title': 'Line one\nline two',\n"
        + "  \"count\": 2, \"priority\": \"HIGH\", \"tags\": [\"a\", \"b\",],\n}\n```\nAnything else?";
    StructuredOutput.Validation v = StructuredOutput.of(Ticket.class).validate(raw);
    assertThat(v.valid()).isTrue();
    assertThat(v.repaired()).isTrue();
    assertThat(v.json().get("title").asText()).isEqualTo("Line one\nline two");
    assertThat(v.fixes()).contains("removed code fence", "removed comments", "removed trailing commas",
        "replaced single quotes", "escaped control characters in strings");
    Ticket t = StructuredOutput.of(Ticket.class).parseValue(raw);
    assertThat(t).isEqualTo(new Ticket("Line one\nline two", 2, Priority.HIGH, List.of("a", "b"), Optional.empty()));
  }

  @Test
  void reportsSchemaErrorsWithPaths() {
    StructuredOutput.Validation v = StructuredOutput.of(Ticket.class)
        .validate("{\"title\": 3, \"count\": 1, \"priority\": \"MEDIUM\", \"tags\": []}");
    assertThat(v.valid()).isFalse();
    assertThat(v.repaired()).isFalse();
    assertThat(String.join("\n", v.errors())).contains("$.title").contains("$.priority");
  }

  private static ChatResponse answer(String text, FinishReason reason) {
    return new ChatResponse("r", ChatMessage.assistant(text), reason, null, null, "m", "test", null, null, null);
  }

  @Test
  void reasksOnTruncationAndValidationErrorsThenSucceeds() {
    Deque<ChatResponse> answers = new ArrayDeque<>(List.of(
        answer("{\"title\": \"x\", \"cou", FinishReason.LENGTH),
        answer("{\"title\": \"x\", \"count\": \"two\", \"priority\": \"LOW\", \"tags\": []}", FinishReason.STOP),
        answer("{\"title\": \"x\", \"count\": 2, \"priority\": \"LOW\", \"tags\": []}", FinishReason.STOP)));
    List<ChatRequest> seen = new ArrayList<>();
    StructuredOutput.Result<Ticket> r = StructuredOutput.of(Ticket.class).generate(req -> {
      seen.add(req);
      return answers.pop();
    }, ChatRequest.builder().addUser("make a ticket").maxTokens(100).build(), null);
    assertThat(r.value().count()).isEqualTo(2);
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(seen.get(1).maxTokens()).isEqualTo(200);
    assertThat(seen.get(2).lastUserText()).contains("did not validate").contains("$.count");
    assertThat(seen.get(0).responseFormat()).isNull();
  }

  @Test
  void throwsWithEveryAttemptWhenNothingValidates() {
    StructuredOutput<Ticket> so = StructuredOutput.of(Ticket.class).withMaxAttempts(2);
    assertThatThrownBy(() -> so.generate(req -> answer("no json here", FinishReason.STOP), ChatRequest.of("x"), null))
        .isInstanceOfSatisfying(StructuredOutputException.class, e -> {
          assertThat(e.attempts()).containsExactly("no json here", "no json here");
          assertThat(e.validationErrors()).containsExactly("$: output is not valid JSON");
        });
  }

  @Test
  void asksForNativeSchemaWhenTheModelSupportsIt() {
    dev.kiai.core.pricing.PriceTable prices = dev.kiai.core.pricing.PriceTable.bundled();
    dev.kiai.core.pricing.ModelInfo info = prices.models().stream()
        .filter(m -> m.supports(dev.kiai.core.pricing.Capability.JSON_SCHEMA)).findFirst().orElseThrow();
    List<ChatRequest> seen = new ArrayList<>();
    StructuredOutput.of(Ticket.class).generate(req -> {
      seen.add(req);
      return answer("{\"title\":\"t\",\"count\":1,\"priority\":\"LOW\",\"tags\":[]}", FinishReason.STOP);
    }, ChatRequest.of("x"), info);
    assertThat(seen.get(0).responseFormat().type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
    assertThat(seen.get(0).responseFormat().strict()).isTrue();
  }
}
