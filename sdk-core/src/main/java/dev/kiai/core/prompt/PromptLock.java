package dev.kiai.core.prompt;

import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The content hashes of released prompt versions, kept in a {@code prompts.lock} file next to the
 * templates and committed with them. Once a version is released its content must not change; a change is
 * released as a new version. Loading a registry fails when a locked version's content differs from the
 * lock, so an edited released prompt fails the build instead of silently changing production behaviour.
 *
 * <p>The file has one line per released version, sorted by id and version, after a comment header:
 * <pre>{@code
 * # prompts.lock: content hashes of released prompt versions ...
 * summarize@1.0.0 sha256:3f0c...e1
 * }</pre>
 * Versions with a pre-release tag (such as {@code 1.1.0-draft}) are never locked. Instances are immutable.
 */
public final class PromptLock {
  /** The lock file's name inside a prompts directory. */
  public static final String FILE_NAME = "prompts.lock";

  private static final Pattern LINE = Pattern.compile("(\\S+)@(\\S+)\\s+sha256:([0-9a-f]{64})");
  private static final Comparator<TemplateRef> ORDER =
      Comparator.comparing(TemplateRef::id).thenComparing(r -> SemVer.parse(r.version()));
  private static final String HEADER = """
      # prompts.lock: content hashes of released prompt versions, one "id@version sha256:<hex>" per line.
      # Generated; do not edit. A released version must not change: release the change as a new version.
      """;

  private final Map<TemplateRef, String> entries;

  private PromptLock(Map<TemplateRef, String> entries) {
    Map<TemplateRef, String> sorted = new TreeMap<>(ORDER);
    sorted.putAll(entries);
    this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
  }

  /**
   * @param file a {@code prompts.lock} file
   * @return its entries
   * @throws ConfigurationException when the file cannot be read or a line is malformed, naming the line
   */
  public static PromptLock read(Path file) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<LintFinding> problems = new ArrayList<>();
    PromptLock lock = parse(text, file.toString(), problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems.stream().map(LintFinding::toString)
          .collect(Collectors.joining("\n  ", "invalid " + file + ":\n  ", "")));
    }
    return lock;
  }

  /** Parses the valid lines; adds an error finding for each malformed one. */
  static PromptLock parse(String text, String file, List<LintFinding> findings) {
    Map<TemplateRef, String> entries = new LinkedHashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "line " + (i + 1) + ": ";
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        findings.add(LintFinding.error(file,
            where + "expected 'id@version sha256:<64 lower-case hex digits>', found '" + line + "'"));
        continue;
      }
      TemplateRef ref;
      try {
        PromptTemplate.checkId(m.group(1));
        SemVer version = SemVer.parse(m.group(2));
        if (version.isPreRelease()) {
          findings.add(LintFinding.error(file, where + "pre-release " + line.split("\\s")[0]
              + " must not be locked"));
          continue;
        }
        ref = new TemplateRef(m.group(1), version.toString());
      } catch (IllegalArgumentException e) {
        findings.add(LintFinding.error(file, where + e.getMessage()));
        continue;
      }
      if (entries.putIfAbsent(ref, m.group(3)) != null) {
        findings.add(LintFinding.error(file, where + ref + " is listed twice"));
      }
    }
    return new PromptLock(entries);
  }

  /**
   * @param registry the templates
   * @return a lock holding the content hash of every released (non-pre-release) version
   */
  public static PromptLock of(PromptRegistry registry) {
    Map<TemplateRef, String> entries = new LinkedHashMap<>();
    for (PromptTemplate t : registry.templates()) {
      if (!t.version().isPreRelease()) {
        entries.put(t.ref(), t.contentHash());
      }
    }
    return new PromptLock(entries);
  }

  /** @return lower-case hex content hash by released version, sorted by id and then version */
  public Map<TemplateRef, String> entries() {
    return entries;
  }

  /** @return the file content: the header comment, then one {@code id@version sha256:<hex>} line each */
  public String format() {
    StringBuilder sb = new StringBuilder(HEADER);
    entries.forEach((ref, hash) -> sb.append(ref).append(" sha256:").append(hash).append('\n'));
    return sb.toString();
  }

  /**
   * Writes {@link #format()} to a file, replacing it.
   *
   * @param file usually {@code <prompts dir>/prompts.lock}
   * @throws UncheckedIOException when the file cannot be written
   */
  public void write(Path file) {
    try {
      Files.writeString(file, format(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Compares this lock with the released versions of a registry.
   *
   * @param registry the current templates
   * @return added, removed and changed versions, sorted by id and then version; empty when they agree
   */
  public List<LockChange> diff(PromptRegistry registry) {
    Map<TemplateRef, String> current = of(registry).entries;
    Map<TemplateRef, LockChange> changes = new TreeMap<>(ORDER);
    entries.forEach((ref, locked) -> {
      String now = current.get(ref);
      if (now == null) {
        changes.put(ref, new LockChange(LockChange.Kind.REMOVED, ref, locked, null));
      } else if (!now.equals(locked)) {
        changes.put(ref, new LockChange(LockChange.Kind.CHANGED, ref, locked, now));
      }
    });
    current.forEach((ref, now) -> {
      if (!entries.containsKey(ref)) {
        changes.put(ref, new LockChange(LockChange.Kind.ADDED, ref, null, now));
      }
    });
    return List.copyOf(changes.values());
  }

  /**
   * Checks that no locked version of a registry changed. Versions the lock does not list yet, and locked
   * versions that are gone, are accepted.
   *
   * @param registry the current templates
   * @throws ConfigurationException naming every changed {@code id@version}
   */
  public void verify(PromptRegistry registry) {
    List<String> changed = diff(registry).stream()
        .filter(c -> c.kind() == LockChange.Kind.CHANGED)
        .map(c -> changedMessage(c.ref(), c.lockedHash(), c.currentHash()))
        .toList();
    if (!changed.isEmpty()) {
      throw new ConfigurationException(String.join("\n", changed));
    }
  }

  static String changedMessage(TemplateRef ref, String locked, String current) {
    return ref + " changed since it was locked (" + FILE_NAME + " has sha256:" + locked.substring(0, 12)
        + "..., the content is sha256:" + current.substring(0, 12)
        + "...): released versions are immutable, release the change as a new version";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptLock l && entries.equals(l.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  /** @return the number of entries, e.g. {@code PromptLock[3 versions]} */
  @Override
  public String toString() {
    return "PromptLock[" + entries.size() + " versions]";
  }
}
