package dev.kiai.rag;

import java.util.List;

/**
 * What an ingestion changed.
 *
 * @param added ids of documents that were new
 * @param updated ids of documents whose content hash changed, replaced
 * @param unchanged ids of documents skipped because their hash was the same
 * @param deleted ids of documents removed
 * @param chunksWritten chunks written for added and updated documents
 * @param chunksDropped chunks not indexed because the injection screen dropped them
 */
public record IngestReport(
    List<String> added, List<String> updated, List<String> unchanged, List<String> deleted,
    int chunksWritten, int chunksDropped) {
  public IngestReport {
    added = List.copyOf(added);
    updated = List.copyOf(updated);
    unchanged = List.copyOf(unchanged);
    deleted = List.copyOf(deleted);
    if (chunksWritten < 0 || chunksDropped < 0) {
      throw new IllegalArgumentException("chunk counts must be >= 0");
    }
  }
}
