package dev.kiai.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ResponseFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Calls the real APIs. Skipped unless {@code KIAI_LIVE_TESTS=true} and the provider's key is set, so
 * that a key present in a developer's or CI's environment never makes the normal build use the
 * network. Run with {@code KIAI_LIVE_TESTS=true OPENAI_API_KEY=... ANTHROPIC_API_KEY=... mvn -pl
 * sdk-core test -Dtest=LiveProvidersTest}.
 */
@EnabledIfEnvironmentVariable(named = "KIAI_LIVE_TESTS", matches = "true")
class LiveProvidersTest {
  private static final ChatRequest HELLO = ChatRequest.builder()
      .addUser("Reply with the single word: pong").maxTokens(20).build();

  @Test
  @EnabledIfEnvironmentVariable(named = "OPENAI_API_KEY", matches = ".+")
  void openAi() {
    try (OpenAiCompatibleChatModel m = OpenAiCompatibleChatModel.openAi(System.getenv("OPENAI_API_KEY"), "gpt-4o-mini")) {
      ChatResponse r = m.chat(HELLO);
      assertThat(r.text().toLowerCase()).contains("pong");
      assertThat(r.usage().inputTokens()).isPositive();
      RecordingStreamListener listener = new RecordingStreamListener();
      m.stream(HELLO, listener);
      assertThat(listener.single().usage().outputTokens()).isPositive();
    }
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "ANTHROPIC_API_KEY", matches = ".+")
  void anthropic() {
    try (AnthropicChatModel m = AnthropicChatModel.of(System.getenv("ANTHROPIC_API_KEY"), "claude-haiku-4-5")) {
      ChatResponse r = m.chat(HELLO);
      assertThat(r.text().toLowerCase()).contains("pong");
      assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
      ChatResponse json = m.chat(ChatRequest.builder().addUser("Paris weather: 18 C").maxTokens(200)
          .responseFormat(ResponseFormat.jsonSchema("weather", ChatModelConformanceTest.WEATHER_SCHEMA)).build());
      assertThat(json.text()).contains("Paris");
      RecordingStreamListener listener = new RecordingStreamListener();
      m.stream(HELLO, listener);
      assertThat(listener.text().toLowerCase()).contains("pong");
    }
  }
}
