package dev.kiai.rag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One source document before chunking.
 *
 * @param id the caller's stable id; re-ingesting the same id replaces the document
 * @param title a title, empty when unknown
 * @param sourceUri where the document came from (a file, a URL), empty when unknown
 * @param metadata free-form string attributes, usable as search filters
 * @param text the full text
 * @param contentHash SHA-256 (hex) over title, source, metadata and text: the same hash means an
 *     unchanged document
 * @param updatedAt when the document last changed
 */
public record Document(
    String id, String title, String sourceUri, Map<String, String> metadata, String text,
    String contentHash, Instant updatedAt) {

  public Document {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    title = title == null ? "" : title;
    sourceUri = sourceUri == null ? "" : sourceUri;
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(contentHash, "contentHash");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * @param id the id
   * @param title the title, or null
   * @param text the text
   * @return a document updated now, without source or metadata
   */
  public static Document of(String id, String title, String text) {
    return builder(id).title(title).text(text).build();
  }

  /**
   * @param id the document id
   * @return a builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * How fresh the document is: 1.0 when updated at {@code now} or later, halving every
   * {@code halfLife}.
   *
   * @param now the reference time
   * @param halfLife the age at which freshness is 0.5; positive
   * @return the freshness in (0, 1]
   */
  public double freshness(Instant now, Duration halfLife) {
    return freshness(updatedAt, now, halfLife);
  }

  static double freshness(Instant updatedAt, Instant now, Duration halfLife) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(halfLife, "halfLife");
    if (halfLife.isNegative() || halfLife.isZero()) {
      throw new IllegalArgumentException("halfLife must be positive, was " + halfLife);
    }
    double age = Math.max(0, Duration.between(updatedAt, now).toMillis());
    return Math.pow(0.5, age / halfLife.toMillis());
  }

  static String hash(String title, String sourceUri, Map<String, String> metadata, String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      StringBuilder sb = new StringBuilder().append(title).append('\0').append(sourceUri).append('\0');
      new TreeMap<>(metadata).forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
      sb.append(text);
      return HexFormat.of().formatHex(sha.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** Builds a {@link Document}; the hash is computed, {@code updatedAt} defaults to now. */
  public static final class Builder {
    private final String id;
    private String title = "";
    private String sourceUri = "";
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private String text;
    private Instant updatedAt;

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
    }

    /**
     * @param title the title, or null for none
     * @return this
     */
    public Builder title(String title) {
      this.title = title == null ? "" : title;
      return this;
    }

    /**
     * @param sourceUri where the document came from, or null
     * @return this
     */
    public Builder sourceUri(String sourceUri) {
      this.sourceUri = sourceUri == null ? "" : sourceUri;
      return this;
    }

    /**
     * @param key attribute name
     * @param value attribute value
     * @return this
     */
    public Builder metadata(String key, String value) {
      metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * @param metadata attributes to add
     * @return this
     */
    public Builder metadata(Map<String, String> metadata) {
      metadata.forEach(this::metadata);
      return this;
    }

    /**
     * @param text the full text
     * @return this
     */
    public Builder text(String text) {
      this.text = Objects.requireNonNull(text, "text");
      return this;
    }

    /**
     * @param updatedAt when the document last changed
     * @return this
     */
    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
      return this;
    }

    /** @return the document */
    public Document build() {
      Objects.requireNonNull(text, "text");
      return new Document(id, title, sourceUri, metadata, text, hash(title, sourceUri, metadata, text),
          updatedAt == null ? Instant.now() : updatedAt);
    }
  }
}
