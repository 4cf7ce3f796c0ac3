package dev.kiai.core.cache;

import java.util.Optional;

/**
 * Whether {@link SemanticCache#store} kept an answer.
 *
 * @param stored true when the answer was cached
 * @param entryId the new entry's id when stored, else null
 * @param reason why it was not stored, else null
 */
public record StoreResult(boolean stored, String entryId, String reason) {

  static StoreResult stored(String entryId) {
    return new StoreResult(true, entryId, null);
  }

  static StoreResult skipped(String reason) {
    return new StoreResult(false, null, reason);
  }

  /** @return the entry id, when stored */
  public Optional<String> entry() {
    return Optional.ofNullable(entryId);
  }
}
