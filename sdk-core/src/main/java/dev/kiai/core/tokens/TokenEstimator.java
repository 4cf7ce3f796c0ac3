package dev.kiai.core.tokens;

/**
 * Counts the tokens of a text for one family of models. Plug one into
 * {@link TokenCounter.Builder#estimator(String, TokenEstimator)} to count models Kiai can only
 * estimate, e.g. with the provider's own tokenizer:
 *
 * <pre>{@code
 * TokenCounter counter = TokenCounter.builder()
 *     .estimator("llama-3", text -> new TokenCount(myLlamaTokenizer.count(text), true, "llama3-bpe"))
 *     .build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe: one instance serves every call.
 */
@FunctionalInterface
public interface TokenEstimator {

  /**
   * @param text the text, never null, possibly empty
   * @return its token count; mark it {@link TokenCount#exact()} only if it is the model's own count
   */
  TokenCount count(String text);
}
