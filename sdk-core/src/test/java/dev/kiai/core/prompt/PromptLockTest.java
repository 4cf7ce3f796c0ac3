package dev.kiai.core.prompt;

import static dev.kiai.core.prompt.PromptFixtures.copy;
import static dev.kiai.core.prompt.PromptFixtures.fixture;
import static dev.kiai.core.prompt.PromptFixtures.read;
import static dev.kiai.core.prompt.PromptFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptLockTest {
  @TempDir
  Path tmp;

  @Test
  void locksReleasedVersionsOnlySortedWithAHeader() {
    PromptLock lock = PromptLock.of(PromptRegistry.fromDirectory(fixture("valid")));

    assertThat(lock.entries().keySet()).extracting(TemplateRef::toString)
        .containsExactly("classify@1.0.0", "classify@2.0.0", "summarize@1.0.0", "summarize@1.1.0");
    assertThat(lock.format()).isEqualTo(read(fixture("valid").resolve("prompts.lock")));
    assertThat(lock.format().lines().toList()).hasSize(6)
        .first().asString().startsWith("# prompts.lock: content hashes of released prompt versions");
    assertThat(lock.format().lines().toList().get(4))
        .isEqualTo("summarize@1.0.0 sha256:36b790fd8f1750da4c6422d56a5cd963e2ff05928b7e14c3742a3c3d3bbb4bab");
  }

  @Test
  void sortsVersionsNumerically() {
    PromptLock lock = PromptLock.of(PromptRegistry.of(List.of(
        PromptRegistryTest.template("a", "1.10.0"), PromptRegistryTest.template("a", "1.9.0"),
        PromptRegistryTest.template("B", "1.0.0"))));

    assertThat(lock.entries().keySet()).extracting(TemplateRef::toString)
        .containsExactly("B@1.0.0", "a@1.9.0", "a@1.10.0");
  }

  @Test
  void writesAndReadsBack() {
    PromptLock lock = PromptLock.of(PromptRegistry.fromDirectory(fixture("valid")));
    Path file = tmp.resolve("prompts.lock");

    lock.write(file);

    assertThat(PromptLock.read(file)).isEqualTo(lock);
    assertThat(PromptLock.read(file).diff(PromptRegistry.fromDirectory(fixture("valid")))).isEmpty();
  }

  @Test
  void diffReportsAddedRemovedAndChanged() throws IOException {
    Path dir = copy("valid", tmp.resolve("prompts"));
    Path summarize = dir.resolve("summarize/1.1.0.yaml");
    write(summarize, read(summarize).replace("Customer tier", "Tier"));
    write(dir.resolve("summarize/2.0.0.yaml"), "id: summarize\nversion: 2.0.0\ntext: Shorter.\n");
    Files.delete(dir.resolve("classify/2.0.0.yaml"));
    PromptRegistry current = PromptRegistry.fromDirectory(dir, PromptRegistry.LockCheck.SKIP);
    PromptLock lock = PromptLock.read(dir.resolve("prompts.lock"));

    List<LockChange> changes = lock.diff(current);

    assertThat(changes).extracting(LockChange::kind, c -> c.ref().toString()).containsExactly(
        tuple(LockChange.Kind.REMOVED, "classify@2.0.0"),
        tuple(LockChange.Kind.CHANGED, "summarize@1.1.0"),
        tuple(LockChange.Kind.ADDED, "summarize@2.0.0"));
    LockChange changed = changes.get(1);
    assertThat(changed.lockedHash()).isEqualTo(lock.entries().get(TemplateRef.parse("summarize@1.1.0")));
    assertThat(changed.currentHash()).isEqualTo(current.get("summarize@1.1.0").contentHash());
    assertThat(changed).hasToString("CHANGED summarize@1.1.0 sha256:" + changed.lockedHash()
        + " -> sha256:" + changed.currentHash());
    assertThat(changes.get(0).currentHash()).isNull();
    assertThat(changes.get(2).lockedHash()).isNull();

    assertThatThrownBy(() -> lock.verify(current))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("summarize@1.1.0 changed since it was locked")
        .hasMessageNotContaining("classify@2.0.0");
    PromptLock relocked = PromptLock.of(current);
    relocked.write(dir.resolve("prompts.lock"));
    assertThat(PromptLock.read(dir.resolve("prompts.lock")).diff(current)).isEmpty();
  }

  @Test
  void malformedLockNamesEveryBadLine() {
    Path file = write(tmp.resolve("prompts.lock"), """
        # header
        summarize@1.0.0 sha256:36b790fd8f1750da4c6422d56a5cd963e2ff05928b7e14c3742a3c3d3bbb4bab
        summarize@1.0.0 sha256:36b790fd8f1750da4c6422d56a5cd963e2ff05928b7e14c3742a3c3d3bbb4bab
        summarize@1.1.0-draft sha256:36b790fd8f1750da4c6422d56a5cd963e2ff05928b7e14c3742a3c3d3bbb4bab
        summarize@1.2 sha256:36b790fd8f1750da4c6422d56a5cd963e2ff05928b7e14c3742a3c3d3bbb4bab
        summarize 1.3.0 abc
        """);

    assertThatThrownBy(() -> PromptLock.read(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("invalid " + file + ":\n"
            + "  " + file + ": ERROR: line 3: summarize@1.0.0 is listed twice\n"
            + "  " + file + ": ERROR: line 4: pre-release summarize@1.1.0-draft must not be locked\n"
            + "  " + file + ": ERROR: line 5: invalid version '1.2': expected major.minor.patch with an optional"
            + " -pre-release, e.g. 1.2.0 or 1.3.0-draft\n"
            + "  " + file + ": ERROR: line 6: expected 'id@version sha256:<64 lower-case hex digits>',"
            + " found 'summarize 1.3.0 abc'");
  }

  @Test
  void missingLockFileIsAConfigurationError() {
    assertThatThrownBy(() -> PromptLock.read(tmp.resolve("prompts.lock")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("cannot read " + tmp.resolve("prompts.lock"));
  }
}
