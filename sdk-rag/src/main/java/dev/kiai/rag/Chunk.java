package dev.kiai.rag;

import java.util.Map;
import java.util.Objects;

/**
 * A piece of a document small enough to retrieve and to put into a prompt. Its text is exactly
 * {@code document.text().substring(start, end)}.
 *
 * @param id unique id, {@code <document id>#<index>}
 * @param documentId the document it came from
 * @param index its position among the document's chunks, from 0
 * @param text the chunk's text
 * @param start offset of its first character in the document text
 * @param end offset after its last character in the document text
 * @param title the document's title
 * @param section the headings above the chunk, outermost first, joined by {@code " > "}; empty when
 *     none
 * @param sourceUri the document's source
 * @param metadata the document's metadata
 * @param tokens the chunk's token count
 */
public record Chunk(
    String id, String documentId, int index, String text, int start, int end, String title,
    String section, String sourceUri, Map<String, String> metadata, int tokens) {

  public Chunk {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(text, "text");
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("span must satisfy 0 <= start <= end, was " + start + ".." + end);
    }
    title = title == null ? "" : title;
    section = section == null ? "" : section;
    sourceUri = sourceUri == null ? "" : sourceUri;
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must be >= 0, was " + tokens);
    }
  }

  static String id(String documentId, int index) {
    return documentId + "#" + index;
  }
}
