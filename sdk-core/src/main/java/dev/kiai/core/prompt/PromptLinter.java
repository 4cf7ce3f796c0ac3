package dev.kiai.core.prompt;

import dev.kiai.core.error.ConfigurationException;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks a prompts directory the way {@link PromptRegistry#fromDirectory(Path)} loads it, but reports every
 * problem as data instead of failing on the first file. Every {@link LintFinding.Severity#ERROR} makes
 * loading fail; warnings do not.
 *
 * <p>Errors: malformed YAML or JSON (with line and column), unknown or mistyped fields, a missing or
 * invalid id or version, an id or version that does not match the file's path when the file is named
 * {@code <id>/<version>.yaml}, a malformed placeholder, a placeholder that no variable declares, an
 * {@code output_schema} that is not a JSON object, invalid model hints, a duplicate {@code id@version},
 * conflicting or dangling labels, a malformed {@code prompts.lock}, and a released version whose content
 * no longer matches {@code prompts.lock}.
 *
 * <p>Warnings: a declared variable that no placeholder uses, a required variable with a default (which is
 * never used), and a locked version that no longer exists.
 */
public final class PromptLinter {
  private PromptLinter() {}

  /**
   * @param dir the prompts directory
   * @return every finding, sorted by file; empty when the directory is clean
   * @throws ConfigurationException when the directory does not exist or cannot be read
   */
  public static List<LintFinding> lint(Path dir) {
    return PromptLoader.load(PromptSource.directory(dir), true).findings();
  }
}
