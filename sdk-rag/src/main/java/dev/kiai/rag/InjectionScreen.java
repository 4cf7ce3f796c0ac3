package dev.kiai.rag;

import java.util.Optional;

/**
 * Screens untrusted text (ingested documents, retrieved chunks) for indirect prompt injection:
 * instructions aimed at the model hidden in data. Plug in the guardrails module's indirect-injection
 * scan, or any classifier. Implementations are thread-safe.
 */
@FunctionalInterface
public interface InjectionScreen {

  /**
   * @param text the untrusted text
   * @return a short description of what was found, or empty when the text looks clean
   */
  Optional<String> screen(String text);

  /** What to do with text the screen flags. */
  enum Action {
    /** Keep it, labelled: metadata {@value #FLAG_KEY} holds the finding. */
    FLAG,
    /** Leave it out. */
    DROP;

    /** Metadata key under which a flagged chunk carries the finding. */
    public static final String FLAG_KEY = "kiai.injection";
  }
}
