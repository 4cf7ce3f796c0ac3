package dev.kiai.guardrails;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds personal and secret data in text with validated recognizers (checksums for IBAN, cards, tax and
 * social-security numbers; context words for phones, dates, names) in English and German. Immutable and
 * thread-safe; build once, use from any thread.
 *
 * <pre>{@code
 * PiiDetector pii = PiiDetector.builder().language(PiiLanguage.AUTO).build();
 * List<PiiEntity> found = pii.detect("Ruf mich an: +49 30 1234567, Max Mustermann");
 * }</pre>
 */
public final class PiiDetector {
  private static final List<Recognizers.Recognizer> BUILT_IN = Recognizers.all();
  /** Higher score first, then the longer entity, then the earlier one. */
  private static final Comparator<PiiEntity> BY_PRIORITY = Comparator.comparingDouble(PiiEntity::score).reversed()
      .thenComparing(Comparator.comparingInt((PiiEntity e) -> e.end() - e.start()).reversed())
      .thenComparingInt(PiiEntity::start);
  private static final Comparator<PiiEntity> BY_START = Comparator.comparingInt(PiiEntity::start);

  private final PiiLanguage language;
  private final Set<String> types;
  private final double minScore;
  private final List<Pattern> allowlist;
  private final List<PiiNer> ner;

  private PiiDetector(Builder b) {
    this.language = b.language;
    this.types = Set.copyOf(b.types);
    this.minScore = b.minScore;
    this.allowlist = List.copyOf(b.allowlist);
    this.ner = List.copyOf(b.ner);
  }

  /** @return a detector for every built-in type, language {@link PiiLanguage#AUTO}, minimum score 0.5 */
  public static PiiDetector defaults() {
    return builder().build();
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Finds entities. Overlapping matches are resolved in favour of the higher score, then the longer one.
   *
   * @param text the text to scan
   * @return entities sorted by start offset, never overlapping
   */
  public List<PiiEntity> detect(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      return List.of();
    }
    PiiLanguage lang = language.resolve(text);
    List<PiiEntity> found = new ArrayList<>();
    TextScan scan = new TextScan(text);
    for (Recognizers.Recognizer r : BUILT_IN) {
      r.find(scan, lang, found);
    }
    for (PiiNer n : ner) {
      found.addAll(n.find(text));
    }
    found.sort(BY_PRIORITY);
    List<PiiEntity> kept = new ArrayList<>();
    for (PiiEntity e : found) {
      if (e.score() < minScore || !types.contains(e.type()) || allowed(e.text())) {
        continue;
      }
      boolean clash = false;
      for (PiiEntity k : kept) {
        if (k.overlaps(e)) {
          clash = true;
          break;
        }
      }
      if (!clash) {
        kept.add(e);
      }
    }
    kept.sort(BY_START);
    return List.copyOf(kept);
  }

  private boolean allowed(String value) {
    for (Pattern p : allowlist) {
      if (p.matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  /** @return the configured language pack */
  public PiiLanguage language() {
    return language;
  }

  /** Builds a {@link PiiDetector}. */
  public static final class Builder {
    private PiiLanguage language = PiiLanguage.AUTO;
    private final Set<String> types = new LinkedHashSet<>(PiiTypes.all());
    private double minScore = 0.5;
    private final List<Pattern> allowlist = new ArrayList<>();
    private final List<PiiNer> ner = new ArrayList<>();

    private Builder() {}

    /** @param language {@code EN}, {@code DE} or {@code AUTO} @return this */
    public Builder language(PiiLanguage language) {
      this.language = Objects.requireNonNull(language, "language");
      return this;
    }

    /**
     * @param types the entity types to report (see {@link PiiTypes}); replaces the default of all
     * @return this
     */
    public Builder types(Set<String> types) {
      Objects.requireNonNull(types, "types");
      if (types.isEmpty()) {
        throw new IllegalArgumentException("types must not be empty");
      }
      this.types.clear();
      this.types.addAll(types);
      return this;
    }

    /** @param minScore entities scoring below are dropped, 0..1 (default 0.5) @return this */
    public Builder minScore(double minScore) {
      if (!(minScore >= 0 && minScore <= 1)) {
        throw new IllegalArgumentException("minScore must be within 0..1, was " + minScore);
      }
      this.minScore = minScore;
      return this;
    }

    /**
     * @param regex values matching it entirely are never reported (e.g. your support hotline)
     * @return this
     */
    public Builder allow(String regex) {
      allowlist.add(Pattern.compile(Objects.requireNonNull(regex, "regex")));
      return this;
    }

    /** @param recognizer an additional recognizer, e.g. {@link PiiNer#chatModel} @return this */
    public Builder ner(PiiNer recognizer) {
      ner.add(Objects.requireNonNull(recognizer, "recognizer"));
      return this;
    }

    /** @return the detector */
    public PiiDetector build() {
      return new PiiDetector(this);
    }
  }
}
