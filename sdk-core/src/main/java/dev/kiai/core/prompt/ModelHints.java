package dev.kiai.core.prompt;

import java.util.List;

/**
 * What a template's author recommends sending it with. {@link RenderedPrompt#toRequest()} applies them:
 * the first preferred model, the temperature and the token limit.
 *
 * @param models preferred model ids, most preferred first; possibly empty
 * @param temperature sampling temperature 0..2, or null for the provider default
 * @param maxTokens upper bound on generated tokens, or null for the provider default
 */
public record ModelHints(List<String> models, Double temperature, Integer maxTokens) {

  /**
   * Validates the hints with the same bounds as {@link dev.kiai.core.chat.ChatRequest}.
   *
   * @throws IllegalArgumentException when a model id is blank or a value is out of range
   */
  public ModelHints {
    models = models == null ? List.of() : List.copyOf(models);
    for (String model : models) {
      if (model.isBlank()) {
        throw new IllegalArgumentException("model_hints.models must not contain blank ids");
      }
    }
    if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2)) {
      throw new IllegalArgumentException("model_hints.temperature must be within 0..2, was " + temperature);
    }
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("model_hints.max_tokens must be >= 1, was " + maxTokens);
    }
  }

  /** @return hints that recommend nothing */
  public static ModelHints none() {
    return new ModelHints(List.of(), null, null);
  }

  /** @return the most preferred model id, or null when none is given */
  public String preferredModel() {
    return models.isEmpty() ? null : models.get(0);
  }

  /** @return true when these hints recommend nothing */
  public boolean isEmpty() {
    return models.isEmpty() && temperature == null && maxTokens == null;
  }
}
