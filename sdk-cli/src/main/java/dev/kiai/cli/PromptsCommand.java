package dev.kiai.cli;

import dev.kiai.core.prompt.LintFinding;
import dev.kiai.core.prompt.LockChange;
import dev.kiai.core.prompt.PromptLinter;
import dev.kiai.core.prompt.PromptLock;
import dev.kiai.core.prompt.PromptRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiai prompts}: checks and locks a folder of versioned prompt templates. */
@Command(name = "prompts", description = "Lint, lock and diff versioned prompt templates.",
    subcommands = {PromptsCommand.Lint.class, PromptsCommand.Lock.class, PromptsCommand.Diff.class})
final class PromptsCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a sub-command is required: lint, lock or diff");
  }

  static Path requireDir(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new Cli.UsageError("not a directory: " + dir);
    }
    return dir;
  }

  /** {@code kiai prompts lint}. */
  @Command(name = "lint", description = {
      "Check every template file: syntax, semantic versions, declared vs used variables, output schemas,",
      "duplicates, labels and prompts.lock. Prints one line per finding; exit 1 when any is an ERROR."})
  static final class Lint implements Callable<Integer> {
    private final Io io;

    @Option(names = "--dir", required = true, description = "Prompt folder (one YAML/JSON file per version).")
    Path dir;

    Lint(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      List<LintFinding> findings = PromptLinter.lint(requireDir(dir));
      findings.forEach(f -> io.out.println(f));
      long errors = findings.stream().filter(LintFinding::isError).count();
      io.err.println("kiai prompts lint: " + errors + " errors, " + (findings.size() - errors) + " warnings");
      return errors > 0 ? 1 : 0;
    }
  }

  /** {@code kiai prompts lock}. */
  @Command(name = "lock", description = {
      "Write prompts.lock with the content hash of every released version. Refuses (exit 1) when a",
      "version already locked has changed: released versions are immutable, release a new version."})
  static final class Lock implements Callable<Integer> {
    private final Io io;

    @Option(names = "--dir", required = true, description = "Prompt folder.")
    Path dir;

    Lock(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      PromptRegistry registry = PromptRegistry.fromDirectory(requireDir(dir));
      Path file = dir.resolve(PromptLock.FILE_NAME);
      PromptLock previous = Files.exists(file) ? PromptLock.read(file) : PromptLock.of(PromptRegistry.of(List.of()));
      List<LockChange> changes = previous.diff(registry);
      PromptLock lock = PromptLock.of(registry);
      lock.write(file);
      changes.forEach(c -> io.out.println(c));
      io.err.println("kiai prompts lock: " + lock.entries().size() + " released versions locked in " + file
          + " (" + changes.size() + " changes)");
      return 0;
    }
  }

  /** {@code kiai prompts diff}. */
  @Command(name = "diff", description = {
      "Compare the templates with prompts.lock: ADDED, REMOVED and CHANGED released versions.",
      "Exit 1 when a released version changed or disappeared."})
  static final class Diff implements Callable<Integer> {
    private final Io io;

    @Option(names = "--dir", required = true, description = "Prompt folder.")
    Path dir;

    Diff(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      PromptRegistry registry = PromptRegistry.fromDirectory(requireDir(dir), PromptRegistry.LockCheck.SKIP);
      Path file = dir.resolve(PromptLock.FILE_NAME);
      PromptLock lock = Files.exists(file) ? PromptLock.read(file) : PromptLock.of(PromptRegistry.of(List.of()));
      List<LockChange> changes = lock.diff(registry);
      changes.forEach(c -> io.out.println(c));
      long breaking = changes.stream().filter(c -> c.kind() != LockChange.Kind.ADDED).count();
      io.err.println("kiai prompts diff: " + changes.size() + " changes, " + breaking
          + " to released versions" + (Files.exists(file) ? "" : " (no " + PromptLock.FILE_NAME + " yet)"));
      return breaking > 0 ? 1 : 0;
    }
  }
}
