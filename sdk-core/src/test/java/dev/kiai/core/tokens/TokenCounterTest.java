package dev.kiai.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.chat.ToolCall;
import dev.kiai.core.chat.ToolDefinition;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.pricing.Locality;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.pricing.ModelPrice;
import dev.kiai.core.pricing.PriceTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
  /** Shared like an application would: one counter, encodings loaded once. */
  private static final TokenCounter COUNTER = TokenCounter.create();

  private static final String FOX = "The quick brown fox jumps over the lazy dog.";
  private static final String GERMAN =
      "Der schnelle braune Fuchs springt über den faulen Hund. Größenordnung und Straße!";
  private static final String EMOJI = "I love 🍕 and 🚀!";

  @Test
  void helloWorldIsTwoTokensInBothEncodings() {
    assertThat(COUNTER.count("gpt-4o", "hello world")).isEqualTo(new TokenCount(2, true, "o200k_base"));
    assertThat(COUNTER.count("gpt-4", "hello world")).isEqualTo(new TokenCount(2, true, "cl100k_base"));
  }

  @Test
  void knownTextsHaveTheirExactCounts() {
    assertThat(COUNTER.count("gpt-4o-mini", FOX).tokens()).isEqualTo(10);
    assertThat(COUNTER.count("gpt-3.5-turbo", FOX).tokens()).isEqualTo(10);
    assertThat(COUNTER.count("gpt-4o-mini", GERMAN).tokens()).isEqualTo(19);
    assertThat(COUNTER.count("gpt-4-turbo", GERMAN).tokens()).isEqualTo(24);
    assertThat(COUNTER.count("gpt-4o-mini", EMOJI).tokens()).isEqualTo(8);
    assertThat(COUNTER.count("gpt-4-turbo", EMOJI).tokens()).isEqualTo(10);
  }

  @Test
  void emptyTextIsZeroTokens() {
    assertThat(COUNTER.count("gpt-4o", "")).isEqualTo(new TokenCount(0, true, "o200k_base"));
    assertThat(COUNTER.count("claude-sonnet-4-5", "").tokens()).isZero();
  }

  @Test
  void specialTokenTextCountsAsOrdinaryText() {
    assertThat(COUNTER.count("gpt-4o", "<|endoftext|>").tokens()).isEqualTo(7);
  }

  @Test
  void encodingComesFromPriceTableThenOpenAiNameRules() {
    assertThat(COUNTER.encodingFor("gpt-4o-mini")).contains("o200k_base");
    assertThat(COUNTER.encodingFor("gpt-4o-mini-2024-07-18")).contains("o200k_base");
    assertThat(COUNTER.encodingFor("openai/gpt-oss-120b")).contains("o200k_base");
    assertThat(COUNTER.encodingFor("GPT-4O")).contains("o200k_base");
    assertThat(COUNTER.encodingFor("gpt-4.1-nano")).contains("o200k_base");
    assertThat(COUNTER.encodingFor("gpt-5-codex")).contains("o200k_base");
    assertThat(COUNTER.encodingFor("o1")).contains("o200k_base");
    assertThat(COUNTER.encodingFor("o3-mini")).contains("o200k_base");
    assertThat(COUNTER.encodingFor("o4-mini-deep-research")).contains("o200k_base");
    assertThat(COUNTER.encodingFor("azure/gpt-4o")).contains("o200k_base");
    assertThat(COUNTER.encodingFor("gpt-4")).contains("cl100k_base");
    assertThat(COUNTER.encodingFor("gpt-4-0613")).contains("cl100k_base");
    assertThat(COUNTER.encodingFor("gpt-4-turbo")).contains("cl100k_base");
    assertThat(COUNTER.encodingFor("gpt-3.5-turbo-instruct")).contains("cl100k_base");
    assertThat(COUNTER.encodingFor("text-embedding-3-small")).contains("cl100k_base");
    assertThat(COUNTER.encodingFor("text-embedding-ada-002")).contains("cl100k_base");
    assertThat(COUNTER.encodingFor("claude-sonnet-4-5")).isEmpty();
    assertThat(COUNTER.encodingFor("gemini-2.5-flash")).isEmpty();
    assertThat(COUNTER.encodingFor("o1x")).isEmpty();
    assertThat(COUNTER.encodingFor(null)).isEmpty();
  }

  @Test
  void otherFamiliesAreMarkedEstimates() {
    // cl100k_base counts "Hello, Claude! How are you today?" as 9 tokens
    String text = "Hello, Claude! How are you today?";
    assertThat(COUNTER.count("claude-sonnet-4-5", text))
        .isEqualTo(new TokenCount(11, false, "estimate:cl100k_base*1.15")); // ceil(9 * 1.15)
    assertThat(COUNTER.count("mistral-large-latest", text))
        .isEqualTo(new TokenCount(10, false, "estimate:cl100k_base*1.10")); // ceil(9 * 1.10)
    assertThat(COUNTER.count("gemini-2.5-pro", text))
        .isEqualTo(new TokenCount(9, false, "estimate:cl100k_base"));
    assertThat(COUNTER.count("meta-llama/llama-3.3-70b-instruct", text))
        .isEqualTo(new TokenCount(9, false, "estimate:cl100k_base"));
    assertThat(COUNTER.count(null, text)).isEqualTo(new TokenCount(9, false, "estimate:cl100k_base"));
  }

  @Test
  void estimateFactorUsesIntegerArithmetic() {
    // 20 cl100k tokens * 1.10 is exactly 22; floating point would give ceil(22.000000000000004) = 23
    String twenty = "one two three four five six seven eight nine ten "
        + "one two three four five six seven eight nine ten";
    assertThat(COUNTER.count("gpt-4", twenty).tokens()).isEqualTo(20);
    assertThat(COUNTER.count("mistral-small-latest", twenty).tokens()).isEqualTo(22);
  }

  @Test
  void overridesWinLongestPrefixFirst() {
    TokenCounter counter = TokenCounter.builder()
        .encoding("my-finetune", "cl100k_base")
        .encoding("claude", "o200k_base")
        .estimator("claude-haiku", text -> new TokenCount(text.length(), true, "chars"))
        .build();
    assertThat(counter.count("my-finetune-v2", GERMAN)).isEqualTo(new TokenCount(24, true, "cl100k_base"));
    assertThat(counter.count("Claude-Sonnet-4-5", GERMAN)).isEqualTo(new TokenCount(19, true, "o200k_base"));
    assertThat(counter.count("claude-haiku-4-5", "abcde")).isEqualTo(new TokenCount(5, true, "chars"));
    assertThat(counter.encodingFor("claude-haiku-4-5")).isEmpty();
    assertThat(counter.encodingFor("claude-opus-4-1")).contains("o200k_base");
  }

  @Test
  void laterOverrideOfTheSamePrefixWins() {
    TokenCounter counter = TokenCounter.builder()
        .encoding("gpt-4o", "cl100k_base")
        .encoding("gpt-4o", "r50k_base")
        .build();
    assertThat(counter.encodingFor("gpt-4o-mini")).contains("r50k_base");
  }

  @Test
  void unknownEncodingIsAConfigurationError() {
    assertThatThrownBy(() -> TokenCounter.builder().encoding("x", "o300k_base"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("o300k_base").hasMessageContaining("cl100k_base");
    PriceTable bad = PriceTable.of(List.of(new ModelInfo("acme", "acme-1", List.of(), 1000, 100,
        new ModelPrice("USD", BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE), Set.of(),
        Locality.REMOTE_API, "acme_tokens")), "2025-01-01");
    assertThatThrownBy(() -> TokenCounter.create(bad))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("acme_tokens");
  }

  @Test
  void priceTableTokenizerIsUsed() {
    PriceTable table = PriceTable.of(List.of(new ModelInfo("acme", "acme-1", List.of(), 1000, 100,
        new ModelPrice("USD", BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE), Set.of(),
        Locality.REMOTE_API, "cl100k_base")), "2025-01-01");
    assertThat(TokenCounter.create(table).count("acme-1", GERMAN)).isEqualTo(new TokenCount(24, true, "cl100k_base"));
  }

  @Test
  void chatRequestAddsThreePerMessagePlusThreePriming() {
    ChatRequest request = ChatRequest.builder().model("gpt-4o-mini")
        .addSystem("You are a helpful assistant.") // 6 tokens, role "system" 1
        .addUser("What is the capital of France?") // 7 tokens, role "user" 1
        .build();
    TokenCount count = COUNTER.count(request);
    assertThat(count).isEqualTo(new TokenCount(24, true, "o200k_base"));
    int contentAndRoles = COUNTER.count("gpt-4o-mini", "You are a helpful assistant.").tokens()
        + COUNTER.count("gpt-4o-mini", "system").tokens()
        + COUNTER.count("gpt-4o-mini", "What is the capital of France?").tokens()
        + COUNTER.count("gpt-4o-mini", "user").tokens();
    assertThat(count.tokens()).isEqualTo(contentAndRoles + 2 * 3 + 3);
  }

  @Test
  void eachMessageAddsExactlyItsRoleContentAndThree() {
    ChatRequest one = ChatRequest.builder().model("gpt-4").addUser("Hi").build();
    ChatRequest two = one.toBuilder().addMessage(ChatMessage.assistant("Hi")).build();
    assertThat(COUNTER.count(one).tokens()).isEqualTo(3 + 3 + 1 + 1);
    assertThat(COUNTER.count(two).tokens() - COUNTER.count(one).tokens()).isEqualTo(3 + 1 + 1);
  }

  @Test
  void toolsMakeTheRequestCountAnEstimate() {
    ChatRequest plain = ChatRequest.builder().model("gpt-4o").addUser("Weather in Paris?").build();
    ChatRequest withTool = plain.toBuilder()
        .addTool(new ToolDefinition("get_weather", "Current weather",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"))
        .build();
    TokenCount p = COUNTER.count(plain);
    TokenCount t = COUNTER.count(withTool);
    assertThat(p.exact()).isTrue();
    assertThat(t.exact()).isFalse();
    assertThat(t.method()).isEqualTo("o200k_base");
    assertThat(t.tokens()).isGreaterThan(p.tokens());

    ChatRequest toolRound = plain.toBuilder()
        .addMessage(ChatMessage.assistant("", List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))))
        .addMessage(ChatMessage.toolResult("call_1", "18C, sunny"))
        .build();
    assertThat(COUNTER.count(toolRound).exact()).isFalse();

    ChatRequest schema = plain.toBuilder()
        .responseFormat(ResponseFormat.jsonSchema("w", "{\"type\":\"object\"}")).build();
    assertThat(COUNTER.count(schema).exact()).isFalse();
    assertThat(COUNTER.count(schema).tokens()).isGreaterThan(p.tokens());
  }

  @Test
  void chatRequestForOtherFamiliesIsAnEstimate() {
    ChatRequest request = ChatRequest.builder().model("claude-sonnet-4-5")
        .addSystem("You are a helpful assistant.").addUser("What is the capital of France?").build();
    // 24 framed cl100k tokens (same as o200k here) * 1.15, rounded up
    assertThat(COUNTER.count(request)).isEqualTo(new TokenCount(28, false, "estimate:cl100k_base*1.15"));

    TokenCounter custom = TokenCounter.builder()
        .estimator("claude", text -> new TokenCount(text.length(), true, "chars")).build();
    ChatRequest hi = ChatRequest.builder().model("claude-haiku-4-5").addUser("Hi").build();
    // 3 priming + 3 framing + "user" 4 chars + "Hi" 2 chars; exact=false because the framing is OpenAI's
    assertThat(custom.count(hi)).isEqualTo(new TokenCount(12, false, "chars"));
  }

  @Test
  void sharedCounterIsThreadSafe() throws Exception {
    TokenCounter fresh = TokenCounter.create();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<TokenCount>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String model = i % 2 == 0 ? "gpt-4o" : "gpt-4";
        results.add(pool.submit(() -> fresh.count(model, GERMAN)));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get().tokens()).isEqualTo(i % 2 == 0 ? 19 : 24);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
