package dev.kiai.examples;

import dev.kiai.core.ChatModel;
import dev.kiai.core.pricing.PriceTable;
import dev.kiai.core.prompt.PromptRegistry;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
import dev.kiai.core.tokens.TokenCounter;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/**
 * What the demo sections share: output, environment, the bundled prompt templates, prices and token
 * counter, and the remote model when the environment configures one.
 */
final class DemoContext {
  final PrintStream out;
  final Map<String, String> env;
  final PromptRegistry prompts;
  final PriceTable prices;
  final TokenCounter tokens;

  DemoContext(PrintStream out, Map<String, String> env) {
    this.out = out;
    this.env = Map.copyOf(env);
    this.prompts = PromptRegistry.fromClasspath("prompts");
    this.prices = PriceTable.bundled();
    this.tokens = TokenCounter.create(prices);
  }

  /**
   * The model the environment configures: {@code KIAI_BASE_URL} (+ {@code KIAI_MODEL}, optional
   * {@code KIAI_API_KEY}) for any OpenAI-compatible server, else {@code OPENAI_API_KEY} for OpenAI.
   *
   * @return the model, or empty when none is configured
   */
  Optional<ChatModel> remoteModel() {
    String baseUrl = env.get("KIAI_BASE_URL");
    String model = env.getOrDefault("KIAI_MODEL", "gpt-4o-mini");
    if (baseUrl != null && !baseUrl.isBlank()) {
      return Optional.of(OpenAiCompatibleChatModel.builder().baseUrl(baseUrl).apiKey(env.get("KIAI_API_KEY"))
          .defaultModel(model).provider("openai-compatible").build());
    }
    String key = env.get("OPENAI_API_KEY");
    if (key != null && !key.isBlank()) {
      return Optional.of(OpenAiCompatibleChatModel.openAi(key, model));
    }
    return Optional.empty();
  }
}
