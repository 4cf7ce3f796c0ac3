package dev.kiai.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ConfigurationException;
import org.junit.jupiter.api.Test;

class KiaiTest {

  private static ChatModel model(String provider) {
    return new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        return new ChatResponse("id-1", ChatMessage.assistant("ok"), FinishReason.STOP, Usage.of(1000, 500),
            null, request.model() == null ? "gpt-4o-mini" : request.model(), provider, null, null, null);
      }

      @Override
      public String provider() {
        return provider;
      }

      @Override
      public String defaultModel() {
        return null;
      }
    };
  }

  @Test
  void responseIsPricedAndTracedByTheModelStage() {
    try (Kiai kiai = Kiai.builder().model(model("openai")).build()) {
      ChatResponse r = kiai.chat(ChatRequest.builder().model("gpt-4o-mini").addUser("hi").build());
      assertThat(r.cost().total()).isEqualByComparingTo("0.00045");
      Trace.Entry entry = r.trace().find(Kiai.MODEL_STAGE).orElseThrow();
      assertThat(entry.attributes())
          .containsEntry("provider", "openai")
          .containsEntry("model", "gpt-4o-mini")
          .containsEntry("input_tokens", "1000")
          .containsEntry("output_tokens", "500")
          .containsEntry("cost_usd", "0.00045");
    }
  }

  @Test
  void unknownModelIdWithoutDefaultIsAConfigurationError() {
    try (Kiai kiai = Kiai.builder().model("gpt-4o-mini", model("openai")).build()) {
      assertThatThrownBy(() -> kiai.chat(ChatRequest.builder().model("claude-haiku-4-5").addUser("hi").build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("claude-haiku-4-5")
          .hasMessageContaining("gpt-4o-mini");
    }
  }

  @Test
  void modelsAreChosenById() {
    try (Kiai kiai = Kiai.builder().model("a", model("one")).model("b", model("two")).build()) {
      assertThat(kiai.chat(ChatRequest.builder().model("b").addUser("hi").build()).provider()).isEqualTo("two");
    }
  }
}
