package dev.kiai.core.cache;

import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.prompt.TemplateRef;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link SemanticCache#lookup}: a hit with the cached answer and the similarity it was
 * found at, or a miss with the reason and the best similarity seen. Immutable.
 */
public final class CacheLookup {
  /** Which tier answered. */
  public enum Tier {
    /** Same scope and the same normalised prompt. */
    EXACT,
    /** Same scope and a prompt whose embedding is within the threshold. */
    SEMANTIC,
    /** No tier answered (a miss). */
    NONE
  }

  private final Tier tier;
  private final String entryId;
  private final String hitId;
  private final double similarity;
  private final ChatResponse response;
  private final Instant createdAt;
  private final String reason;
  private final float[] vector;
  private final TemplateRef template;

  private CacheLookup(Tier tier, String entryId, String hitId, double similarity, ChatResponse response,
      Instant createdAt, String reason, float[] vector, TemplateRef template) {
    this.tier = tier;
    this.entryId = entryId;
    this.hitId = hitId;
    this.similarity = similarity;
    this.response = response;
    this.createdAt = createdAt;
    this.reason = reason;
    this.vector = vector;
    this.template = template;
  }

  static CacheLookup hit(Tier tier, String entryId, String hitId, double similarity, ChatResponse response,
      Instant createdAt, TemplateRef template) {
    return new CacheLookup(tier, entryId, hitId, similarity, Objects.requireNonNull(response), createdAt, null,
        null, template);
  }

  static CacheLookup miss(String reason, double bestSimilarity, float[] vector) {
    return new CacheLookup(Tier.NONE, null, null, bestSimilarity, null, null, reason, vector, null);
  }

  /** @return true when the cache answered */
  public boolean hit() {
    return response != null;
  }

  /** @return the tier that answered, {@link Tier#NONE} on a miss */
  public Tier tier() {
    return tier;
  }

  /** @return the id of the cache entry that answered (for {@link SemanticCache#evict}), empty on a miss */
  public Optional<String> entryId() {
    return Optional.ofNullable(entryId);
  }

  /** @return the id of this hit, for {@link SemanticCache#markWrong}; empty on a miss */
  public Optional<String> hitId() {
    return Optional.ofNullable(hitId);
  }

  /**
   * @return on a hit, the similarity of the prompts (1 for exact hits); on a miss, the best similarity of
   *     any candidate in scope, or {@link Double#NaN} when none was compared
   */
  public double similarity() {
    return similarity;
  }

  /** @return the cached answer as first produced (its usage and cost are what the hit saved) */
  public Optional<ChatResponse> response() {
    return Optional.ofNullable(response);
  }

  /** @return the cost the hit saved: the cost of the cached answer; {@link Cost#UNKNOWN} on a miss */
  public Cost savedCost() {
    return response == null ? Cost.UNKNOWN : response.cost();
  }

  /** @return when the answer was cached, empty on a miss */
  public Optional<Instant> createdAt() {
    return Optional.ofNullable(createdAt);
  }

  /** @return the template version the cached answer was rendered from, empty on a miss or without one */
  public Optional<TemplateRef> template() {
    return Optional.ofNullable(template);
  }

  /** @return why it missed (e.g. {@code no entry in scope}, {@code guard: negation differs}), empty on a hit */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** The prompt's embedding computed by a semantic miss, reused when the answer is stored. */
  float[] vector() {
    return vector;
  }

  @Override
  public String toString() {
    return hit() ? "CacheLookup[hit " + tier + " entry=" + entryId + " similarity=" + similarity + "]"
        : "CacheLookup[miss " + reason + " best=" + similarity + "]";
  }
}
