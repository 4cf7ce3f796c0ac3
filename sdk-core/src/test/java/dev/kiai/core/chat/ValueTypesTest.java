package dev.kiai.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.prompt.TemplateRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

  @Test
  void requestValidationNamesTheField() {
    assertThatThrownBy(() -> ChatRequest.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("messages must not be empty");
    assertThatThrownBy(() -> ChatRequest.builder().addUser("x").temperature(2.5).build())
        .hasMessage("temperature must be within 0..2, was 2.5");
    assertThatThrownBy(() -> ChatRequest.builder().addUser("x").maxTokens(0).build())
        .hasMessage("maxTokens must be >= 1, was 0");
    assertThatThrownBy(() -> ChatRequest.builder().addUser("x").toolChoice(ToolChoice.tool("nope")).build())
        .hasMessage("toolChoice names unknown tool nope");
  }

  @Test
  void requestsAreImmutableAndCopyable() {
    ChatRequest a = ChatRequest.builder().addSystem("be brief").addUser("q1").maxTokens(10).build();
    ChatRequest b = a.toBuilder().addUser("q2").build();
    assertThat(a.messages()).hasSize(2);
    assertThat(b.messages()).hasSize(3);
    assertThat(b.maxTokens()).isEqualTo(10);
    assertThat(b.systemText()).isEqualTo("be brief");
    assertThat(b.lastUserText()).isEqualTo("q2");
    assertThat(b.context().requestId()).isEqualTo(a.context().requestId());
    assertThatThrownBy(() -> a.messages().add(ChatMessage.user("x")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void jsonFieldsAreValidated() {
    assertThatThrownBy(() -> ResponseFormat.jsonSchema("answer", "{not json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("schema is not valid JSON");
    assertThatThrownBy(() -> new ToolDefinition("lookup", "d", "[1,2]"))
        .hasMessage("parametersSchema must be a JSON object");
    assertThatThrownBy(() -> new ToolDefinition("bad name", "d", null))
        .hasMessageStartingWith("name must match");
    assertThat(ResponseFormat.jsonSchema(null, "{\"type\":\"object\"}").schemaName()).isEqualTo("response");
  }

  @Test
  void messagesEnforceRoleRules() {
    assertThatThrownBy(() -> new ChatMessage(Role.USER, "x", List.of(new ToolCall("1", "f", "{}")), null))
        .hasMessage("toolCalls are only allowed on ASSISTANT messages, not USER");
    assertThatThrownBy(() -> new ChatMessage(Role.TOOL, "x", null, null))
        .hasMessage("toolCallId is required for TOOL messages");
    assertThat(ChatMessage.toolResult("c1", "42").toolCallId()).isEqualTo("c1");
  }

  @Test
  void usageAndCostAdd() {
    Usage u = new Usage(100, 50, 20, 10, 5).plus(Usage.of(1, 1));
    assertThat(u).isEqualTo(new Usage(101, 51, 20, 10, 5));
    assertThat(u.uncachedInputTokens()).isEqualTo(71);
    assertThat(u.totalTokens()).isEqualTo(152);
    assertThatThrownBy(() -> new Usage(10, 0, 8, 8, 0)).hasMessageContaining("exceed inputTokens");
  }

  @Test
  void templateReferencesParse() {
    assertThat(TemplateRef.parse("summarize@1.2.0")).isEqualTo(new TemplateRef("summarize", "1.2.0"));
    assertThat(TemplateRef.parse("summarize@prod").toString()).isEqualTo("summarize@prod");
    assertThatThrownBy(() -> TemplateRef.parse("summarize")).hasMessageContaining("id@version");
    assertThatThrownBy(() -> TemplateRef.parse("a@b@c")).hasMessageContaining("id@version");
  }
}
