package dev.kiai.core.prompt;

import java.util.Objects;

/**
 * One difference between a {@link PromptLock} and the templates it is compared with.
 *
 * @param kind what changed
 * @param ref the released version concerned
 * @param lockedHash the hash recorded in the lock, or null for {@link Kind#ADDED}
 * @param currentHash the hash of the current content, or null for {@link Kind#REMOVED}
 */
public record LockChange(Kind kind, TemplateRef ref, String lockedHash, String currentHash) {
  /** Kinds of difference. */
  public enum Kind {
    /** A released version that the lock does not list yet; locking adds it. */
    ADDED,
    /** A locked version that no longer exists. */
    REMOVED,
    /** A locked version whose content changed; it should have been released as a new version. */
    CHANGED
  }

  /** Checks that the hashes present match the kind. */
  public LockChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(ref, "ref");
    if ((kind == Kind.ADDED) != (lockedHash == null) || (kind == Kind.REMOVED) != (currentHash == null)) {
      throw new IllegalArgumentException(kind + " needs " + (kind == Kind.ADDED ? "only currentHash"
          : kind == Kind.REMOVED ? "only lockedHash" : "lockedHash and currentHash"));
    }
  }

  /** @return e.g. {@code CHANGED summarize@1.0.0 sha256:<locked> -> sha256:<current>} */
  @Override
  public String toString() {
    return switch (kind) {
      case ADDED -> "ADDED " + ref + " sha256:" + currentHash;
      case REMOVED -> "REMOVED " + ref + " sha256:" + lockedHash;
      case CHANGED -> "CHANGED " + ref + " sha256:" + lockedHash + " -> sha256:" + currentHash;
    };
  }
}
