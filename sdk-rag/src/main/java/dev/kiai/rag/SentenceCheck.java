package dev.kiai.rag;

import java.util.List;
import java.util.Objects;

/**
 * The citation check of one answer sentence.
 *
 * @param index the sentence's position in the answer, from 1
 * @param text the sentence as written, citation markers included
 * @param citations the source numbers it cites, in order, without repeats
 * @param status the verdict
 * @param support the best support score among its cited, provided sources (0 when none)
 * @param supportingSources the cited sources whose support reached the threshold
 */
public record SentenceCheck(
    int index, String text, List<Integer> citations, Status status, double support, List<Integer> supportingSources) {

  /** The verdict on one sentence. */
  public enum Status {
    /** It states no fact (a question, a refusal, a connective); needs no citation. */
    NO_CLAIM,
    /** It cites provided sources and they support it. */
    SUPPORTED,
    /** It states a fact and cites nothing. */
    UNCITED,
    /** It cites a number that was not among the provided sources. */
    FABRICATED_CITATION,
    /** Its cited sources do not (all) support it. */
    UNSUPPORTED
  }

  public SentenceCheck {
    if (index < 1) {
      throw new IllegalArgumentException("index must be >= 1, was " + index);
    }
    Objects.requireNonNull(text, "text");
    citations = List.copyOf(citations);
    Objects.requireNonNull(status, "status");
    supportingSources = List.copyOf(supportingSources);
  }

  /** @return true when the sentence may stay in a grounded answer */
  public boolean ok() {
    return status == Status.NO_CLAIM || status == Status.SUPPORTED;
  }
}
