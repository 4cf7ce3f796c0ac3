package dev.kiai.rag;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What an index knows about one ingested document.
 *
 * @param id the document id
 * @param contentHash the hash it was ingested with
 * @param updatedAt when the document last changed
 * @param chunks how many chunks it has in the index
 */
public record DocumentState(String id, String contentHash, Instant updatedAt, int chunks) {
  public DocumentState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(contentHash, "contentHash");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * @param now the reference time
   * @param halfLife the age at which freshness is 0.5
   * @return 1.0 when updated at {@code now}, halving every {@code halfLife}
   */
  public double freshness(Instant now, Duration halfLife) {
    return Document.freshness(updatedAt, now, halfLife);
  }
}
