package dev.kiai.rag;

import java.util.List;
import java.util.Optional;

/**
 * The retrieved context as it goes into the prompt.
 *
 * @param text the numbered, delimited sources, ready to be placed in a system message
 * @param sources the sources in citation order; {@code sources.get(i).number() == i + 1}
 * @param tokens the tokens of {@code text} for the builder's model
 * @param budget the token budget it had to fit
 * @param omitted chunks left out because they did not fit or were dropped by the injection screen
 */
public record BuiltContext(String text, List<Source> sources, int tokens, int budget, List<ScoredChunk> omitted) {
  public BuiltContext {
    java.util.Objects.requireNonNull(text, "text");
    sources = List.copyOf(sources);
    omitted = List.copyOf(omitted);
    for (int i = 0; i < sources.size(); i++) {
      if (sources.get(i).number() != i + 1) {
        throw new IllegalArgumentException("sources must be numbered 1.." + sources.size() + " in order");
      }
    }
  }

  /**
   * @param number a citation number
   * @return the source with that number, or empty when no such source was provided
   */
  public Optional<Source> source(int number) {
    return number >= 1 && number <= sources.size() ? Optional.of(sources.get(number - 1)) : Optional.empty();
  }

  /**
   * The system message for a grounded answer: the rules, then {@link #text()}.
   *
   * @return the system prompt
   */
  public String systemPrompt() {
    return ContextBuilder.INSTRUCTIONS + "\n\n" + text;
  }
}
