package dev.kiai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptsCommandTest {

  private static void write(Path dir, String relative, String content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static String template(String version, String text) {
    return "id: greet\nversion: " + version + "\ntext: " + text + "\nvariables:\n  - {name: name, required: true}\n";
  }

  @Test
  void lockThenDiffDetectsAChangedReleasedVersion(@TempDir Path dir) throws IOException {
    write(dir, "greet/1.0.0.yaml", template("1.0.0", "Hello {{name}}"));

    CliRun lint = CliRun.run("", "prompts", "lint", "--dir", dir.toString());
    assertThat(lint.exitCode()).isZero();
    assertThat(lint.err()).contains("0 errors, 0 warnings");

    CliRun lock = CliRun.run("", "prompts", "lock", "--dir", dir.toString());
    assertThat(lock.exitCode()).isZero();
    assertThat(lock.out()).startsWith("ADDED greet@1.0.0 sha256:");
    assertThat(Files.readString(dir.resolve("prompts.lock"))).contains("greet@1.0.0 sha256:");

    CliRun clean = CliRun.run("", "prompts", "diff", "--dir", dir.toString());
    assertThat(clean.exitCode()).isZero();
    assertThat(clean.out()).isEmpty();

    write(dir, "greet/1.1.0.yaml", template("1.1.0", "Hi {{name}}!"));
    CliRun added = CliRun.run("", "prompts", "diff", "--dir", dir.toString());
    assertThat(added.exitCode()).isZero();
    assertThat(added.outLines()).hasSize(1);
    assertThat(added.outLines().get(0)).startsWith("ADDED greet@1.1.0 sha256:");

    write(dir, "greet/1.0.0.yaml", template("1.0.0", "Hello there {{name}}"));
    CliRun changed = CliRun.run("", "prompts", "diff", "--dir", dir.toString());
    assertThat(changed.exitCode()).isEqualTo(1);
    assertThat(changed.outLines()).anySatisfy(l -> assertThat(l).startsWith("CHANGED greet@1.0.0 sha256:"));

    CliRun relock = CliRun.run("", "prompts", "lock", "--dir", dir.toString());
    assertThat(relock.exitCode()).isEqualTo(1);
    assertThat(relock.err()).contains("greet@1.0.0 changed since it was locked");

    CliRun lintChanged = CliRun.run("", "prompts", "lint", "--dir", dir.toString());
    assertThat(lintChanged.exitCode()).isEqualTo(1);
    assertThat(lintChanged.out()).contains("greet@1.0.0 changed since it was locked");
  }

  @Test
  void lintReportsUndeclaredPlaceholders(@TempDir Path dir) throws IOException {
    write(dir, "greet/1.0.0.yaml", template("1.0.0", "Hello {{name}} from {{city}}"));
    CliRun lint = CliRun.run("", "prompts", "lint", "--dir", dir.toString());
    assertThat(lint.exitCode()).isEqualTo(1);
    assertThat(lint.out()).contains("greet/1.0.0.yaml: ERROR:").contains("city");
  }

  @Test
  void aMissingFolderIsAUsageError(@TempDir Path dir) {
    CliRun r = CliRun.run("", "prompts", "lint", "--dir", dir.resolve("nope").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("not a directory");
  }
}
