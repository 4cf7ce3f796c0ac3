package dev.kiai.core.chat;

/**
 * Tokens a request consumed, normalised across providers.
 *
 * <p>{@code inputTokens} is <em>all</em> prompt tokens, including those read from or written to the
 * provider's prompt cache; {@code cachedInputTokens} and {@code cacheWriteInputTokens} are the parts of
 * it billed at the cache-read and cache-write prices. OpenAI reports cached tokens inside
 * {@code prompt_tokens}; Anthropic reports them beside {@code input_tokens}: both map to this shape.
 *
 * @param inputTokens all prompt tokens
 * @param outputTokens generated tokens, reasoning included
 * @param cachedInputTokens prompt tokens served from the provider's cache
 * @param cacheWriteInputTokens prompt tokens written to the provider's cache
 * @param reasoningTokens the part of the output spent on hidden reasoning
 */
public record Usage(
    long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteInputTokens,
    long reasoningTokens) {

  /** No tokens. */
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

  public Usage {
    requireNonNegative(inputTokens, "inputTokens");
    requireNonNegative(outputTokens, "outputTokens");
    requireNonNegative(cachedInputTokens, "cachedInputTokens");
    requireNonNegative(cacheWriteInputTokens, "cacheWriteInputTokens");
    requireNonNegative(reasoningTokens, "reasoningTokens");
    if (cachedInputTokens + cacheWriteInputTokens > inputTokens) {
      throw new IllegalArgumentException("cachedInputTokens + cacheWriteInputTokens ("
          + (cachedInputTokens + cacheWriteInputTokens) + ") exceed inputTokens (" + inputTokens + ")");
    }
    if (reasoningTokens > outputTokens) {
      throw new IllegalArgumentException(
          "reasoningTokens (" + reasoningTokens + ") exceed outputTokens (" + outputTokens + ")");
    }
  }

  /**
   * @param inputTokens prompt tokens
   * @param outputTokens generated tokens
   * @return usage without cache or reasoning detail
   */
  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, 0, 0, 0);
  }

  /** @return prompt tokens billed at the normal input price */
  public long uncachedInputTokens() {
    return inputTokens - cachedInputTokens - cacheWriteInputTokens;
  }

  /** @return input plus output tokens */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  /**
   * @param other usage to add
   * @return the sum of both, e.g. for a cascade that made two calls
   */
  public Usage plus(Usage other) {
    return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
        cachedInputTokens + other.cachedInputTokens, cacheWriteInputTokens + other.cacheWriteInputTokens,
        reasoningTokens + other.reasoningTokens);
  }

  private static void requireNonNegative(long value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, was " + value);
    }
  }
}
