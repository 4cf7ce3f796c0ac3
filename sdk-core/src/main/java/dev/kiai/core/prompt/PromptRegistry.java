package dev.kiai.core.prompt;

import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.TemplateException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An immutable, thread-safe set of prompt template versions with their labels and canary rollouts.
 *
 * <h2>Loading</h2>
 * {@link #fromDirectory(Path)} and {@link #fromClasspath(String)} read one YAML ({@code .yaml},
 * {@code .yml}) or JSON ({@code .json}) file per version, conventionally {@code <id>/<version>.yaml},
 * from all sub-directories. Files and directories whose names start with {@code .} are skipped. Two files
 * at the root are special:
 * <ul>
 *   <li>{@code labels.yaml} (or {@code .yml}, {@code .json}) assigns labels and canary percentages:
 *       <pre>{@code
 * summarize:
 *   prod: 1.0.0
 *   canary: 1.1.0
 *   canary_percent: 10
 * }</pre>
 *       Versions may also label themselves with {@code labels: [prod]}; one label of one id assigned to two
 *       versions is an error.
 *   <li>{@code prompts.lock} records the content hash of every released version; loading fails when a
 *       released version's content no longer matches (see {@link PromptLock}).
 * </ul>
 * Every problem the {@link PromptLinter} reports as an error makes loading fail with one
 * {@link ConfigurationException} that lists them all, each with its file.
 *
 * <h2>Resolving</h2>
 * {@link #get(String)} accepts {@code id@1.2.0} (an exact version, pre-releases included),
 * {@code id@prod} (a label) and {@code id@latest} (the highest release). {@link #select(String, String)}
 * chooses between {@code canary} and {@code prod} per user, stably.
 */
public final class PromptRegistry {
  /** Whether loading compares released versions against {@code prompts.lock}. */
  public enum LockCheck {
    /** Fail when a released version's content hash differs from {@code prompts.lock}. The default. */
    VERIFY,
    /** Do not compare; for tools that report the differences themselves, such as a diff command. */
    SKIP
  }

  private final Map<String, NavigableMap<SemVer, PromptTemplate>> templates;
  private final Map<String, Map<String, SemVer>> labels;
  private final Map<String, Integer> canaryPercents;

  private PromptRegistry(Builder b) {
    Map<String, NavigableMap<SemVer, PromptTemplate>> t = new TreeMap<>();
    b.templates.forEach((id, versions) -> t.put(id, Collections.unmodifiableNavigableMap(new TreeMap<>(versions))));
    this.templates = Collections.unmodifiableMap(t);
    Map<String, Map<String, SemVer>> l = new TreeMap<>();
    b.labels.forEach((id, byLabel) -> l.put(id, Collections.unmodifiableMap(new TreeMap<>(byLabel))));
    this.labels = Collections.unmodifiableMap(l);
    this.canaryPercents = Collections.unmodifiableMap(new TreeMap<>(b.canaryPercents));
  }

  /**
   * Loads every template below {@code dir}, checking {@code dir/prompts.lock} when present.
   *
   * @param dir the prompts directory
   * @return the registry
   * @throws ConfigurationException listing every problem (with its file) when the directory cannot be
   *     read, a file is malformed or invalid, labels conflict, or a released version changed
   */
  public static PromptRegistry fromDirectory(Path dir) {
    return fromDirectory(dir, LockCheck.VERIFY);
  }

  /**
   * Like {@link #fromDirectory(Path)}, optionally without comparing against {@code prompts.lock}.
   *
   * @param dir the prompts directory
   * @param lockCheck whether to compare released versions against {@code prompts.lock}
   * @return the registry
   * @throws ConfigurationException listing every problem with its file
   */
  public static PromptRegistry fromDirectory(Path dir, LockCheck lockCheck) {
    Objects.requireNonNull(lockCheck, "lockCheck");
    return PromptLoader.loadOrThrow(PromptSource.directory(dir), lockCheck == LockCheck.VERIFY);
  }

  /**
   * Loads every template below a classpath resource directory using the thread's context class loader (or
   * this class's loader when there is none), checking {@code <root>/prompts.lock} when present.
   *
   * @param rootResource resource directory, e.g. {@code prompts}
   * @return the registry
   * @throws ConfigurationException as {@link #fromClasspath(String, ClassLoader)}
   */
  public static PromptRegistry fromClasspath(String rootResource) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return fromClasspath(rootResource, loader != null ? loader : PromptRegistry.class.getClassLoader());
  }

  /**
   * Loads every template below a classpath resource directory, checking {@code <root>/prompts.lock} when
   * present. Directories on the file system and inside jar files are listed directly. Where resources
   * cannot be listed (other URL schemes, or jars built without directory entries), add
   * {@code <root>/index.txt} naming one file per line relative to the root; when present it is used
   * instead of listing, and {@code labels.yaml} and {@code prompts.lock} are found without being named.
   *
   * @param rootResource resource directory, e.g. {@code prompts}
   * @param loader the class loader to read resources from
   * @return the registry
   * @throws ConfigurationException when the root cannot be found or listed, or for any problem
   *     {@link #fromDirectory(Path)} reports
   */
  public static PromptRegistry fromClasspath(String rootResource, ClassLoader loader) {
    return PromptLoader.loadOrThrow(PromptSource.classpath(rootResource, loader), true);
  }

  /**
   * @param templates the versions; labels they declare are applied
   * @return a registry without {@code labels.yaml} assignments or canary rollout
   * @throws ConfigurationException when two templates share {@code id@version} or claim the same label
   */
  public static PromptRegistry of(List<PromptTemplate> templates) {
    return builder().addAll(templates).build();
  }

  /** @return a builder for registries assembled in code */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param ref {@code id@version}, {@code id@label} or {@code id@latest}
   * @return the template version
   * @throws IllegalArgumentException when {@code ref} is not of the form {@code id@something}
   * @throws TemplateException naming the known ids, versions or labels when nothing matches
   */
  public PromptTemplate get(String ref) {
    return get(TemplateRef.parse(ref));
  }

  /**
   * @param ref an id with a version, a label or {@code latest}
   * @return the template version
   * @throws TemplateException naming the known ids, versions or labels when nothing matches
   */
  public PromptTemplate get(TemplateRef ref) {
    Objects.requireNonNull(ref, "ref");
    NavigableMap<SemVer, PromptTemplate> versions = versionsOf(ref.id(), ref.toString());
    String wanted = ref.version();
    if (SemVer.isValid(wanted)) {
      PromptTemplate t = versions.get(SemVer.parse(wanted));
      if (t == null) {
        throw new TemplateException(ref.toString(),
            "no version " + wanted + " of " + ref.id() + "; versions: " + join(versions.keySet()), List.of());
      }
      return t;
    }
    if (wanted.equals(Labels.LATEST)) {
      return latest(ref.id(), ref.toString());
    }
    Map<String, SemVer> byLabel = labels.getOrDefault(ref.id(), Map.of());
    SemVer version = byLabel.get(wanted);
    if (version == null) {
      throw new TemplateException(ref.toString(), "no label '" + wanted + "' for " + ref.id() + "; labels: "
          + (byLabel.isEmpty() ? "none" : join(byLabel.keySet())) + "; versions: " + join(versions.keySet()),
          List.of());
    }
    return versions.get(version);
  }

  /**
   * @param id template id
   * @return the highest version without a pre-release tag
   * @throws TemplateException when the id is unknown or has only pre-release versions
   */
  public PromptTemplate latest(String id) {
    return latest(id, id + "@" + Labels.LATEST);
  }

  private PromptTemplate latest(String id, String asGiven) {
    NavigableMap<SemVer, PromptTemplate> versions = versionsOf(id, asGiven);
    for (PromptTemplate t : versions.descendingMap().values()) {
      if (!t.version().isPreRelease()) {
        return t;
      }
    }
    throw new TemplateException(asGiven,
        id + " has no released version, only pre-releases: " + join(versions.keySet()), List.of());
  }

  /**
   * Chooses the version a user gets. Each user key falls into a stable bucket 0..99 (the first four bytes
   * of SHA-256 of {@code id + ":" + userKey}, modulo 100); users in a bucket below the template's
   * {@code canary_percent} get the {@code canary} label, everyone else {@code prod}, or the latest release
   * when there is no {@code prod} label. The bucket does not depend on versions, so raising the percentage
   * keeps earlier canary users on the canary, and the same user always gets the same answer.
   *
   * @param id template id
   * @param userKey a stable key for the user, tenant or session
   * @return the chosen version and why
   * @throws TemplateException when the id is unknown, or it has neither a {@code prod} label nor a release
   */
  public RolloutDecision select(String id, String userKey) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userKey, "userKey");
    NavigableMap<SemVer, PromptTemplate> versions = versionsOf(id, id);
    Map<String, SemVer> byLabel = labels.getOrDefault(id, Map.of());
    int percent = canaryPercent(id);
    int bucket = bucket(id, userKey);
    SemVer canary = byLabel.get(Labels.CANARY);
    if (canary != null && bucket < percent) {
      return new RolloutDecision(versions.get(canary), Labels.CANARY, bucket, percent,
          "bucket " + bucket + " is below canary_percent " + percent + ", so canary " + canary);
    }
    String why = canary == null || percent == 0
        ? "no canary rollout for " + id
        : "bucket " + bucket + " is not below canary_percent " + percent;
    SemVer prod = byLabel.get(Labels.PROD);
    if (prod != null) {
      return new RolloutDecision(versions.get(prod), Labels.PROD, bucket, percent, why + ", so prod " + prod);
    }
    PromptTemplate latest = latest(id, id);
    return new RolloutDecision(latest, Labels.LATEST, bucket, percent,
        why + " and no prod label, so the latest release " + latest.version());
  }

  static int bucket(String id, String userKey) {
    byte[] hash = PromptJson.sha256(id + ":" + userKey);
    return (int) (Integer.toUnsignedLong(ByteBuffer.wrap(hash).getInt()) % 100);
  }

  /** @return the template ids, sorted */
  public Set<String> ids() {
    return templates.keySet();
  }

  /**
   * @param id template id
   * @return its versions, lowest first, pre-releases included
   * @throws TemplateException when the id is unknown
   */
  public List<PromptTemplate> versions(String id) {
    return List.copyOf(versionsOf(id, id).values());
  }

  /** @return every version of every template, sorted by id and then version */
  public List<PromptTemplate> templates() {
    List<PromptTemplate> all = new ArrayList<>();
    templates.values().forEach(v -> all.addAll(v.values()));
    return List.copyOf(all);
  }

  /**
   * @param id template id
   * @return its labels and the versions they point to, sorted by label; empty when it has none
   */
  public Map<String, SemVer> labels(String id) {
    return labels.getOrDefault(Objects.requireNonNull(id, "id"), Map.of());
  }

  /**
   * @param id template id
   * @return the percentage 0..100 of users {@link #select(String, String)} puts on the canary; 0 when none
   */
  public int canaryPercent(String id) {
    return canaryPercents.getOrDefault(Objects.requireNonNull(id, "id"), 0);
  }

  private NavigableMap<SemVer, PromptTemplate> versionsOf(String id, String asGiven) {
    Objects.requireNonNull(id, "id");
    NavigableMap<SemVer, PromptTemplate> versions = templates.get(id);
    if (versions == null) {
      throw new TemplateException(asGiven, "unknown template id '" + id + "'; known ids: "
          + (templates.isEmpty() ? "none" : String.join(", ", templates.keySet())), List.of());
    }
    return versions;
  }

  private static String join(Collection<?> items) {
    return items.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return "PromptRegistry" + templates.entrySet().stream()
        .map(e -> e.getKey() + "@" + join(e.getValue().keySet()))
        .collect(Collectors.joining("; ", "[", "]"));
  }

  /**
   * Assembles a {@link PromptRegistry} in code. Conflicts are reported as soon as they are added; labels
   * that point to missing versions when {@link #build()} is called.
   */
  public static final class Builder {
    private final Map<String, NavigableMap<SemVer, PromptTemplate>> templates = new TreeMap<>();
    private final Map<String, Map<String, SemVer>> labels = new TreeMap<>();
    private final Map<String, Integer> canaryPercents = new TreeMap<>();

    private Builder() {}

    /**
     * Adds a version and the labels it declares.
     *
     * @param template the version
     * @return this
     * @throws ConfigurationException when its {@code id@version} was already added or one of its labels
     *     already points to another version; nothing is added then
     */
    public Builder add(PromptTemplate template) {
      Objects.requireNonNull(template, "template");
      NavigableMap<SemVer, PromptTemplate> versions = templates.get(template.id());
      if (versions != null && versions.containsKey(template.version())) {
        throw new ConfigurationException("duplicate " + template.ref());
      }
      for (String label : template.labels()) {
        checkLabelFree(template.id(), label, template.version());
      }
      templates.computeIfAbsent(template.id(), id -> new TreeMap<>()).put(template.version(), template);
      for (String label : template.labels()) {
        labels.computeIfAbsent(template.id(), id -> new TreeMap<>()).put(label, template.version());
      }
      return this;
    }

    /**
     * @param templates versions to {@link #add(PromptTemplate)}
     * @return this
     * @throws ConfigurationException as {@link #add(PromptTemplate)}
     */
    public Builder addAll(Collection<PromptTemplate> templates) {
      templates.forEach(this::add);
      return this;
    }

    /**
     * Points a label of a template id at a version. Assigning the same label to the same version again is
     * allowed.
     *
     * @param id template id
     * @param label label name, e.g. {@code prod} or {@code canary}; {@code latest} and
     *     {@code canary_percent} are reserved
     * @param version the version it points to; it must exist when {@link #build()} is called
     * @return this
     * @throws IllegalArgumentException when the id or label is malformed
     * @throws ConfigurationException when the label already points to another version
     */
    public Builder label(String id, String label, SemVer version) {
      PromptTemplate.checkId(id);
      Labels.check(label);
      Objects.requireNonNull(version, "version");
      checkLabelFree(id, label, version);
      labels.computeIfAbsent(id, k -> new TreeMap<>()).put(label, version);
      return this;
    }

    /**
     * @param id template id; it needs a {@code canary} label when {@link #build()} is called
     * @param percent share 0..100 of user keys that {@link PromptRegistry#select(String, String)} puts on
     *     the canary
     * @return this
     * @throws IllegalArgumentException when the id is malformed or the percentage is outside 0..100
     * @throws ConfigurationException when a different percentage was already set for the id
     */
    public Builder canaryPercent(String id, int percent) {
      PromptTemplate.checkId(id);
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException(
            Labels.CANARY_PERCENT + " of " + id + " must be an integer from 0 to 100, was " + percent);
      }
      Integer previous = canaryPercents.get(id);
      if (previous != null && previous != percent) {
        throw new ConfigurationException(
            Labels.CANARY_PERCENT + " of " + id + " is set to both " + previous + " and " + percent);
      }
      canaryPercents.put(id, percent);
      return this;
    }

    private void checkLabelFree(String id, String label, SemVer version) {
      SemVer existing = labels.getOrDefault(id, Map.of()).get(label);
      if (existing != null && !existing.equals(version)) {
        throw new ConfigurationException(
            "label '" + label + "' of " + id + " is assigned to both " + existing + " and " + version);
      }
    }

    /**
     * @return the registry
     * @throws ConfigurationException listing every label that points to a missing id or version and every
     *     canary percentage without a {@code canary} label
     */
    public PromptRegistry build() {
      List<String> problems = problems();
      if (!problems.isEmpty()) {
        throw new ConfigurationException("invalid prompt registry: " + String.join("; ", problems));
      }
      return new PromptRegistry(this);
    }

    /** @return the versions added so far */
    List<PromptTemplate> templates() {
      List<PromptTemplate> all = new ArrayList<>();
      templates.values().forEach(v -> all.addAll(v.values()));
      return all;
    }

    /** @return what {@link #build()} would reject, one message each */
    List<String> problems() {
      List<String> problems = new ArrayList<>();
      labels.forEach((id, byLabel) -> {
        NavigableMap<SemVer, PromptTemplate> versions = templates.get(id);
        if (versions == null) {
          problems.add("labels for unknown template '" + id + "'");
          return;
        }
        byLabel.forEach((label, version) -> {
          if (!versions.containsKey(version)) {
            problems.add("label '" + label + "' of " + id + " points to " + version
                + ", which does not exist; versions: " + join(versions.keySet()));
          }
        });
      });
      canaryPercents.forEach((id, percent) -> {
        if (!labels.getOrDefault(id, Map.of()).containsKey(Labels.CANARY)) {
          problems.add(Labels.CANARY_PERCENT + " of " + id + " needs a 'canary' label");
        }
      });
      return problems;
    }
  }
}
