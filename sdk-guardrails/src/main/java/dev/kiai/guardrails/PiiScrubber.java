package dev.kiai.guardrails;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Detects PII with a {@link PiiDetector} and replaces each entity using a {@link PiiOperator}, per
 * type if wanted. Immutable and thread-safe.
 *
 * <pre>{@code
 * PiiScrubber scrubber = PiiScrubber.builder().operator(PiiOperator.pseudonymize()).build();
 * PseudonymVault vault = new PseudonymVault();
 * String safe = scrubber.scrub("Mail anna.schmidt@example.de", vault).text(); // "Mail <EMAIL_ADDRESS_1>"
 * String answer = vault.restore(modelAnswer);
 * }</pre>
 */
public final class PiiScrubber {
  private final PiiDetector detector;
  private final PiiOperator operator;
  private final Map<String, PiiOperator> perType;

  private PiiScrubber(Builder b) {
    this.detector = b.detector;
    this.operator = b.operator;
    this.perType = Map.copyOf(b.perType);
  }

  /** @return a new builder (defaults: {@link PiiDetector#defaults()}, {@link PiiOperator#redact()}) */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The result of scrubbing.
   *
   * @param text the scrubbed text
   * @param entities what was found, offsets into the original text
   */
  public record Result(String text, List<PiiEntity> entities) {
    public Result {
      Objects.requireNonNull(text, "text");
      entities = List.copyOf(entities);
    }
  }

  /**
   * Scrubs with a fresh vault (pseudonyms then cannot be restored; use {@link #scrub(String,
   * PseudonymVault)} for that).
   *
   * @param text the text
   * @return scrubbed text and entities
   */
  public Result scrub(String text) {
    return scrub(text, new PseudonymVault());
  }

  /**
   * @param text the text
   * @param vault the request's vault, receiving pseudonyms
   * @return scrubbed text and entities
   */
  public Result scrub(String text, PseudonymVault vault) {
    List<PiiEntity> entities = detector.detect(text);
    return new Result(apply(text, entities, vault), entities);
  }

  /**
   * Replaces already-detected entities.
   *
   * @param text the original text
   * @param entities non-overlapping entities sorted by start, as {@link PiiDetector#detect} returns
   * @param vault the vault for pseudonyms
   * @return the scrubbed text
   */
  public String apply(String text, List<PiiEntity> entities, PseudonymVault vault) {
    if (entities.isEmpty()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16 * entities.size());
    int pos = 0;
    for (PiiEntity e : entities) {
      sb.append(text, pos, e.start());
      sb.append(perType.getOrDefault(e.type(), operator).apply(e, vault));
      pos = e.end();
    }
    sb.append(text, pos, text.length());
    return sb.toString();
  }

  /** @return the detector */
  public PiiDetector detector() {
    return detector;
  }

  /** Builds a {@link PiiScrubber}. */
  public static final class Builder {
    private PiiDetector detector = PiiDetector.defaults();
    private PiiOperator operator = PiiOperator.redact();
    private final Map<String, PiiOperator> perType = new HashMap<>();

    private Builder() {}

    /** @param detector finds the entities @return this */
    public Builder detector(PiiDetector detector) {
      this.detector = Objects.requireNonNull(detector, "detector");
      return this;
    }

    /** @param operator applied to every type without its own operator @return this */
    public Builder operator(PiiOperator operator) {
      this.operator = Objects.requireNonNull(operator, "operator");
      return this;
    }

    /**
     * @param type entity type, e.g. {@link PiiTypes#CREDIT_CARD}
     * @param operator applied to that type, e.g. {@code PiiOperator.mask(4)}
     * @return this
     */
    public Builder operator(String type, PiiOperator operator) {
      perType.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(operator, "operator"));
      return this;
    }

    /** @return the scrubber */
    public PiiScrubber build() {
      return new PiiScrubber(this);
    }
  }
}
