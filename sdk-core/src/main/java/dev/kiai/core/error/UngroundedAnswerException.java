package dev.kiai.core.error;

import java.util.List;

/**
 * An answer generated from retrieved sources was not grounded in them: a factual sentence cites no
 * source, cites a source number that was never provided, or cites a source that does not support it,
 * and the caller chose to fail rather than re-ask or strip. Raised by the RAG module's citation
 * enforcer. The problems name sentences by their 1-based position and sources by number; they never
 * quote the answer, so they are safe to log.
 */
public final class UngroundedAnswerException extends KiaiException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;
  private final int attempts;

  /**
   * @param problems one line per problem, e.g. {@code sentence 2 cites [7], which was not provided}
   * @param attempts how many answers were generated before giving up (1 when there was no re-ask)
   */
  public UngroundedAnswerException(List<String> problems, int attempts) {
    super("answer not grounded in its sources after " + attempts + " attempt(s): " + problems, null);
    this.problems = List.copyOf(problems);
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, was " + attempts);
    }
    this.attempts = attempts;
  }

  /** @return the problems of the last answer, one line each */
  public List<String> problems() {
    return problems;
  }

  /** @return how many answers were generated */
  public int attempts() {
    return attempts;
  }
}
