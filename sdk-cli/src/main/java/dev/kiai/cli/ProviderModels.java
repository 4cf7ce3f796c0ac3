package dev.kiai.cli;

import dev.kiai.core.ChatModel;
import dev.kiai.core.provider.AnthropicChatModel;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
import java.util.Locale;

/**
 * Builds the {@link ChatModel} a command talks to from its provider options; shared by {@code kiai chat}
 * and the LLM judge of {@code kiai guard injection}. API keys come from {@code OPENAI_API_KEY} /
 * {@code ANTHROPIC_API_KEY} ({@code KIAI_API_KEY} for openai-compatible servers), or from the variable the
 * user names.
 */
final class ProviderModels {
  /** Which wire protocol to speak. */
  enum Provider { OPENAI, ANTHROPIC, OPENAI_COMPATIBLE }

  private ProviderModels() {}

  /**
   * @param io where environment variables come from
   * @param provider the wire protocol
   * @param model the model id
   * @param baseUrl server base URL; required for openai-compatible, optional otherwise
   * @param apiKeyEnv the variable holding the key, or null for the provider's usual one
   * @param option the option prefix named in usage errors, e.g. {@code --} or {@code --judge-}
   * @return the model; close it when it is {@link AutoCloseable}
   * @throws Cli.UsageError when a key or the base URL is missing
   */
  static ChatModel create(Io io, Provider provider, String model, String baseUrl, String apiKeyEnv, String option) {
    String key = apiKey(io, provider, apiKeyEnv, option);
    switch (provider) {
      case OPENAI: {
        require(key, "OPENAI_API_KEY", option);
        OpenAiCompatibleChatModel.Builder b = OpenAiCompatibleChatModel.builder().apiKey(key).defaultModel(model)
            .maxTokensField("max_completion_tokens");
        if (baseUrl != null) {
          b.baseUrl(baseUrl);
        }
        return b.build();
      }
      case ANTHROPIC: {
        require(key, "ANTHROPIC_API_KEY", option);
        AnthropicChatModel.Builder b = AnthropicChatModel.builder().apiKey(key).defaultModel(model);
        if (baseUrl != null) {
          b.baseUrl(baseUrl);
        }
        return b.build();
      }
      default: {
        if (baseUrl == null) {
          throw new Cli.UsageError(option + "base-url is required for " + option + "provider openai-compatible");
        }
        return OpenAiCompatibleChatModel.builder().baseUrl(baseUrl).apiKey(key).defaultModel(model)
            .provider("openai-compatible").build();
      }
    }
  }

  private static String apiKey(Io io, Provider provider, String apiKeyEnv, String option) {
    String variable = apiKeyEnv != null ? apiKeyEnv
        : provider == Provider.ANTHROPIC ? "ANTHROPIC_API_KEY"
        : provider == Provider.OPENAI ? "OPENAI_API_KEY" : null;
    if (variable == null) {
      return io.env.get("KIAI_API_KEY");
    }
    String value = io.env.get(variable);
    if (apiKeyEnv != null && (value == null || value.isBlank())) {
      throw new Cli.UsageError("environment variable " + apiKeyEnv + " (" + option + "api-key-env) is not set");
    }
    return value;
  }

  private static void require(String key, String variable, String option) {
    if (key == null || key.isBlank()) {
      throw new Cli.UsageError("no API key: set " + variable + " or name a variable with " + option + "api-key-env");
    }
  }

  /** Accepts {@code openai}, {@code anthropic}, {@code openai-compatible}. */
  static final class ProviderConverter implements picocli.CommandLine.ITypeConverter<Provider> {
    @Override
    public Provider convert(String value) {
      try {
        return Provider.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "expected openai, anthropic or openai-compatible, was '" + value + "'");
      }
    }
  }
}
