package dev.kiai.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.chat.ToolDefinition;
import dev.kiai.core.error.ContextLengthExceededException;
import dev.kiai.core.error.InvalidRequestException;
import dev.kiai.core.provider.RecordingStreamListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Real inference with llama.cpp on the CPU, on the generated random-weight smoke model. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlamaCppChatModelTest {
  private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"answer\":{\"enum\":[\"yes\",\"no\"]}},"
      + "\"required\":[\"answer\"],\"additionalProperties\":false}";

  @TempDir
  static Path dir;
  private LlamaCppChatModel model;

  @BeforeAll
  void load() {
    Path gguf = TinyGguf.builder().build().writeTo(dir.resolve("tiny-q8_0.gguf"));
    model = LlamaCppChatModel.builder(gguf).modelName("tiny").contextSize(512).threads(2).parallel(2).build();
  }

  @AfterAll
  void unload() {
    model.close();
  }

  @Test
  void generatesTokensWithExactPromptCount() {
    ChatResponse r = model.chat(ChatRequest.builder().addUser("hi").maxTokens(16).temperature(1.0).seed(5L).build());

    // ChatML prompt "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n" is 52 bytes; the byte-level
    // SPM vocabulary makes each byte a token, plus the "▁" space prefix (3 bytes) and BOS.
    assertThat(r.usage().inputTokens()).isEqualTo(56);
    assertThat(r.usage().outputTokens()).isBetween(1L, 16L);
    assertThat(r.text()).isNotEmpty();
    assertThat(r.model()).isEqualTo("tiny");
    assertThat(r.provider()).isEqualTo("llama.cpp-inprocess");
    assertThat(r.finishReason()).isIn(FinishReason.LENGTH, FinishReason.STOP);
    assertThat(model.countTokens("hi")).isEqualTo(5); // "▁hi": 3 + 2 bytes
  }

  @Test
  void sameSeedSameText() {
    ChatRequest req = ChatRequest.builder().addSystem("be brief").addUser("hello").maxTokens(12).temperature(0.9)
        .seed(11L).build();
    assertThat(model.chat(req).text()).isEqualTo(model.chat(req).text());
  }

  @Test
  void streamsPiecesThatAddUpToTheAnswer() {
    RecordingStreamListener listener = new RecordingStreamListener();
    model.stream(ChatRequest.builder().addUser("stream please").maxTokens(20).seed(3L).build(), listener);

    ChatResponse r = listener.single();
    assertThat(listener.text()).isEqualTo(r.text());
    assertThat(listener.texts()).hasSize((int) r.usage().outputTokens());
  }

  @Test
  void stopSequenceEndsTheAnswerBeforeIt() {
    ChatRequest free = ChatRequest.builder().addUser("go").maxTokens(40).temperature(1.0).seed(21L).build();
    String text = model.chat(free).text();
    int at = -1;
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
        at = i;
        break;
      }
    }
    assertThat(at).as("an ASCII letter or digit in %s", text).isPositive();
    String stop = String.valueOf(text.charAt(at));

    ChatResponse stopped = model.chat(free.toBuilder().stop(List.of(stop)).build());

    assertThat(stopped.text()).isEqualTo(text.substring(0, text.indexOf(stop)));
    assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void jsonSchemaBecomesAGrammarSoRandomWeightsStillAnswerValidJson() throws Exception {
    ChatResponse r = model.chat(ChatRequest.builder().addUser("yes or no?").maxTokens(80).seed(9L)
        .responseFormat(ResponseFormat.jsonSchema("answer", SCHEMA)).build());

    JsonNode json = new ObjectMapper().readTree(r.text());
    assertThat(json.fieldNames()).toIterable().containsExactly("answer");
    assertThat(json.path("answer").asText()).isIn("yes", "no");
  }

  @Test
  void promptOverTheRequestContextIsRefused() {
    assertThat(model.contextSize()).isEqualTo(512);
    assertThat(model.requestContext()).isEqualTo(256); // two slots share the context
    assertThatThrownBy(() -> model.chat(ChatRequest.of("x".repeat(250))))
        .isInstanceOfSatisfying(ContextLengthExceededException.class, e -> assertThat(e.retryable()).isFalse());
  }

  @Test
  void toolsAreRefused() {
    ChatRequest withTool = ChatRequest.builder().addUser("weather?")
        .addTool(new ToolDefinition("w", "weather", "{\"type\":\"object\"}")).build();
    assertThatThrownBy(() -> model.chat(withTool)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void servesConcurrentCallers() throws Exception {
    List<String> texts = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      long seed = i;
      Thread t = new Thread(() -> texts.add(model.chat(ChatRequest.builder().addUser("t").maxTokens(8).seed(seed)
          .build()).text()));
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(60_000);
    }
    assertThat(texts).hasSize(4).allSatisfy(t -> assertThat(t).isNotEmpty());
  }

  @Test
  void q4_0ModelLoadsAndClosedModelRefusesWork() {
    Path gguf = TinyGguf.builder().quantization(TinyGguf.Weights.Q4_0).build().writeTo(dir.resolve("tiny-q4_0.gguf"));
    LlamaCppChatModel q4 = LlamaCppChatModel.builder(gguf).contextSize(256).threads(1).build();
    ChatResponse r = q4.chat(ChatRequest.builder().addUser("q4").maxTokens(4).seed(1L).build());
    assertThat(r.model()).isEqualTo("tiny-q4_0");
    assertThat(r.usage().outputTokens()).isBetween(1L, 4L);

    q4.close();
    q4.close();
    assertThatThrownBy(() -> q4.chat(ChatRequest.of("after close")))
        .isInstanceOf(IllegalStateException.class).hasMessage("this LlamaCppChatModel is closed");
  }
}
