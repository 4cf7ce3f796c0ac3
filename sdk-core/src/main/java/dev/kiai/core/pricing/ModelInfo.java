package dev.kiai.core.pricing;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What Kiai knows about a model: who serves it, its limits, its prices and capabilities, where it
 * runs and which tokenizer counts its tokens exactly.
 *
 * @param provider e.g. {@code openai}, {@code anthropic}, {@code google}, {@code mistral}, {@code groq}
 * @param id the canonical model id
 * @param aliases other ids that mean this model (dated snapshots, {@code -latest} names)
 * @param contextWindow maximum input plus output tokens
 * @param maxOutputTokens maximum output tokens
 * @param price prices per million tokens
 * @param capabilities what it can do
 * @param locality where it runs
 * @param tokenizer jtokkit encoding that counts its tokens exactly ({@code o200k_base},
 *     {@code cl100k_base}), or null when Kiai can only estimate
 */
public record ModelInfo(
    String provider, String id, List<String> aliases, int contextWindow, int maxOutputTokens,
    ModelPrice price, Set<Capability> capabilities, Locality locality, String tokenizer) {
  public ModelInfo {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(id, "id");
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    if (contextWindow < 1) {
      throw new IllegalArgumentException(id + ": contextWindow must be >= 1, was " + contextWindow);
    }
    if (maxOutputTokens < 1 || maxOutputTokens > contextWindow) {
      throw new IllegalArgumentException(
          id + ": maxOutputTokens must be within 1.." + contextWindow + ", was " + maxOutputTokens);
    }
    Objects.requireNonNull(price, "price");
    capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
    Objects.requireNonNull(locality, "locality");
  }

  /**
   * @param capability a capability
   * @return whether the model has it
   */
  public boolean supports(Capability capability) {
    return capabilities.contains(capability);
  }
}
