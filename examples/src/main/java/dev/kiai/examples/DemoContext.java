package dev.kiai.examples;

import dev.kiai.core.ChatModel;
import dev.kiai.core.pricing.PriceTable;
import dev.kiai.core.prompt.PromptRegistry;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
import dev.kiai.core.tokens.TokenCounter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the demo sections share: output, environment, the bundled prompt templates, prices and token
 * counter, the remote model when the environment configures one, and one scratch folder for generated
 * files (smoke models, indexes) that {@link #close} deletes.
 */
final class DemoContext implements AutoCloseable {
  final PrintStream out;
  final Map<String, String> env;
  final PromptRegistry prompts;
  final PriceTable prices;
  final TokenCounter tokens;
  private Path workDir;

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

  /**
   * @return the demo's scratch folder, created on first use; deleted with its contents by {@link #close}
   * @throws IOException when it cannot be created
   */
  synchronized Path workDir() throws IOException {
    if (workDir == null) {
      workDir = Files.createTempDirectory("kiai-demo-");
    }
    return workDir;
  }

  /** Deletes the scratch folder, if one was created. */
  @Override
  public synchronized void close() {
    if (workDir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(workDir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the demo's scratch folder " + workDir, e);
    }
    workDir = null;
  }
}
