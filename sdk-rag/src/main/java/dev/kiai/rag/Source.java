package dev.kiai.rag;

import java.util.Objects;

/**
 * A chunk as it was given to the model: its citation number and the chunk.
 *
 * @param number the number the answer cites it by, {@code [number]}, from 1
 * @param chunk the chunk
 * @param flagged the injection screen's finding when the chunk was flagged, else empty
 */
public record Source(int number, Chunk chunk, String flagged) {
  public Source {
    if (number < 1) {
      throw new IllegalArgumentException("number must be >= 1, was " + number);
    }
    Objects.requireNonNull(chunk, "chunk");
    flagged = flagged == null ? "" : flagged;
  }

  /** @return a short label: title (or document id), section and span, e.g. {@code Guide > Setup, chars 10-200} */
  public String label() {
    String name = chunk.title().isEmpty() ? chunk.documentId() : chunk.title();
    String path = chunk.section().startsWith(name + " > ") ? chunk.section().substring(name.length() + 3) : chunk.section();
    String section = path.isEmpty() || path.equals(name) ? "" : " > " + path;
    return name + section + ", chars " + chunk.start() + "-" + chunk.end();
  }
}
