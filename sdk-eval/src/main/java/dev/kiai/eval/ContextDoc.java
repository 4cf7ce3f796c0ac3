package dev.kiai.eval;

import java.util.Objects;

/**
 * A source document given with a case (retrieved context), used by {@code citations} and
 * {@code faithfulness}.
 *
 * @param id the id an answer cites it by, e.g. {@code doc-3}
 * @param text the document text
 */
public record ContextDoc(String id, String text) {
  public ContextDoc {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    text = text == null ? "" : text;
  }
}
