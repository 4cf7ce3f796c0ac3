package dev.kiai.core.prompt;

import java.util.Objects;

/**
 * Identifies one version of a prompt template, written {@code id@version} (e.g.
 * {@code summarize@1.2.0}). Responses record the reference of the template they were rendered from.
 *
 * @param id template id
 * @param version semantic version or, before resolution, a label such as {@code prod}
 */
public record TemplateRef(String id, String version) {
  public TemplateRef {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    if (id.isBlank() || id.contains("@")) {
      throw new IllegalArgumentException("id must be non-blank and must not contain '@': " + id);
    }
    if (version.isBlank() || version.contains("@")) {
      throw new IllegalArgumentException("version must be non-blank and must not contain '@': " + version);
    }
  }

  /**
   * @param ref {@code id@version}
   * @return the parsed reference
   * @throws IllegalArgumentException when {@code ref} has no single {@code @}
   */
  public static TemplateRef parse(String ref) {
    Objects.requireNonNull(ref, "ref");
    int at = ref.indexOf('@');
    if (at <= 0 || at != ref.lastIndexOf('@') || at == ref.length() - 1) {
      throw new IllegalArgumentException("template reference must be id@version: " + ref);
    }
    return new TemplateRef(ref.substring(0, at), ref.substring(at + 1));
  }

  @Override
  public String toString() {
    return id + "@" + version;
  }
}
