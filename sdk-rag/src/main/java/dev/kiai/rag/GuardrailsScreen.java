package dev.kiai.rag;

import dev.kiai.guardrails.ContentSource;
import dev.kiai.guardrails.InjectionDetector;
import dev.kiai.guardrails.InjectionVerdict;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link InjectionScreen} backed by kiai-guardrails' indirect-injection scan
 * ({@link InjectionDetector#scan(String, ContentSource)} with {@link ContentSource#DOCUMENT}). Needs
 * {@code kiai-guardrails} on the classpath (an optional dependency of kiai-rag). Thread-safe.
 */
public final class GuardrailsScreen {
  private GuardrailsScreen() {}

  /** @return a screen using the guardrails' default detector (rules and thresholds) */
  public static InjectionScreen defaults() {
    return of(InjectionDetector.defaults());
  }

  /**
   * @param detector a configured detector, e.g. with an embedding classifier
   * @return a screen that flags what the detector flags for retrieved documents, naming its score and reasons
   */
  public static InjectionScreen of(InjectionDetector detector) {
    Objects.requireNonNull(detector, "detector");
    return text -> {
      InjectionVerdict v = detector.scan(text, ContentSource.DOCUMENT);
      return v.flagged()
          ? Optional.of(String.format(java.util.Locale.ROOT, "score %.2f: %s", v.score(), String.join("; ", v.reasons())))
          : Optional.empty();
    };
  }
}
