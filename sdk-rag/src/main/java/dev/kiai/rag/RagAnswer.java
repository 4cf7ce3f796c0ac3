package dev.kiai.rag;

import dev.kiai.core.chat.ChatResponse;
import java.util.List;
import java.util.Objects;

/**
 * A grounded answer and how it came about.
 *
 * @param response the final response; its text is the answer (stripped of unsupported sentences when
 *     the pipeline strips) and its trace carries a {@code rag} entry
 * @param context the sources the model was given
 * @param report the citation check of the final answer
 * @param attempts how many answers were generated (more than 1 after re-asks)
 * @param retrieved what retrieval (and re-ranking) returned, before the context budget
 */
public record RagAnswer(
    ChatResponse response, BuiltContext context, CitationReport report, int attempts, List<ScoredChunk> retrieved) {
  public RagAnswer {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(report, "report");
    retrieved = List.copyOf(retrieved);
  }

  /** @return the answer text */
  public String text() {
    return response.text();
  }
}
