package dev.kiai.core.prompt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.error.TemplateException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One immutable version of a prompt: an optional system text and a user text with {@code {{var}}}
 * placeholders, the variables it declares, an optional JSON Schema for the answer, model hints and free
 * metadata. Build one with {@link #builder()}, or load many with {@link PromptRegistry}.
 *
 * <p>Both texts are normalised on construction: line breaks become {@code \n} and trailing whitespace at
 * the very end is removed, so that {@code text: |} and {@code text: |-} in YAML mean the same prompt. Every
 * placeholder must be declared as a variable.
 *
 * <p>{@link #contentHash()} fingerprints everything that affects what is sent to a model (system, text,
 * variables with their defaults, output schema, model hints) and nothing else (description, labels,
 * metadata, variable descriptions and order, spacing inside {@code {{ }}}, file formatting).
 * {@code prompts.lock} records it for every released version so that a released prompt cannot change
 * silently; see {@link PromptLock}.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class PromptTemplate {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private final String id;
  private final SemVer version;
  private final String description;
  private final String system;
  private final String text;
  private final List<PromptVariable> variables;
  private final String outputSchema;
  private final ModelHints modelHints;
  private final List<String> labels;
  private final Map<String, Object> metadata;

  private final TemplateText systemTemplate;
  private final TemplateText textTemplate;
  private final Map<String, PromptVariable> variablesByName;
  private final String contentHash;

  @SuppressWarnings("unchecked")
  private PromptTemplate(Builder b) {
    this.id = checkId(b.id);
    this.version = Objects.requireNonNull(b.version, "version");
    this.description = b.description == null || b.description.isBlank() ? null : b.description.strip();
    this.system = b.system == null || normalize(b.system).isEmpty() ? null : normalize(b.system);
    this.text = normalize(Objects.requireNonNull(b.text, "text"));
    if (text.isBlank()) {
      throw new IllegalArgumentException("text must not be blank");
    }
    this.variables = List.copyOf(b.variables);
    Map<String, PromptVariable> byName = new LinkedHashMap<>();
    for (PromptVariable v : variables) {
      if (byName.put(v.name(), v) != null) {
        throw new IllegalArgumentException("variable '" + v.name() + "' is declared twice");
      }
    }
    this.variablesByName = Map.copyOf(byName);
    this.outputSchema = b.outputSchema == null ? null : PromptJson.compactObject(b.outputSchema, "output_schema");
    this.modelHints = b.modelHints == null ? ModelHints.none() : b.modelHints;
    Set<String> labelSet = new LinkedHashSet<>();
    for (String label : b.labels) {
      labelSet.add(Labels.check(label));
    }
    this.labels = List.copyOf(labelSet);
    this.metadata = (Map<String, Object>) PromptJson.freeze(b.metadata);

    this.systemTemplate = system == null ? null : TemplateText.parse(system, "system");
    this.textTemplate = TemplateText.parse(text, "text");
    List<String> undeclared = undeclaredPlaceholders(systemTemplate, textTemplate, variablesByName.keySet());
    if (!undeclared.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", undeclared));
    }
    this.contentHash = computeHash();
  }

  static String checkId(String id) {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "invalid id '" + id + "': expected a letter or digit, then letters, digits, _, . or -");
    }
    return id;
  }

  static String normalize(String text) {
    return text.replace("\r\n", "\n").replace('\r', '\n').stripTrailing();
  }

  /** @return one message per placeholder that no variable declares, in order of first use */
  static List<String> undeclaredPlaceholders(TemplateText system, TemplateText text, Set<String> declared) {
    Set<String> used = new LinkedHashSet<>();
    if (system != null) {
      used.addAll(system.names());
    }
    used.addAll(text.names());
    List<String> problems = new ArrayList<>();
    for (String name : used) {
      if (!declared.contains(name)) {
        problems.add("placeholder {{" + name + "}} is not declared in variables");
      }
    }
    return problems;
  }

  private String computeHash() {
    ObjectNode root = PromptJson.JSON.createObjectNode();
    root.set("system", systemTemplate == null ? null : systemTemplate.canonical());
    root.set("text", textTemplate.canonical());
    ArrayNode vars = root.putArray("variables");
    variables.stream().sorted(Comparator.comparing(PromptVariable::name)).forEach(v -> vars.addObject()
        .put("name", v.name()).put("required", v.required()).put("default", v.defaultValue()));
    root.set("output_schema", outputSchema == null ? null : PromptJson.tree(outputSchema));
    ObjectNode hints = root.putObject("model_hints");
    ArrayNode models = hints.putArray("models");
    modelHints.models().forEach(models::add);
    // exact decimal expansion rounded to 6 places: independent of how a JDK prints doubles
    hints.put("temperature", modelHints.temperature() == null ? null
        : new BigDecimal(modelHints.temperature()).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros()
            .toPlainString());
    hints.put("max_tokens", modelHints.maxTokens());
    return PromptJson.sha256Hex(root.toString());
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder prefilled with this template */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.version = version;
    b.description = description;
    b.system = system;
    b.text = text;
    b.variables.addAll(variables);
    b.outputSchema = outputSchema;
    b.modelHints = modelHints;
    b.labels.addAll(labels);
    b.metadata.putAll(metadata);
    return b;
  }

  /** @return the template id, e.g. {@code summarize} */
  public String id() {
    return id;
  }

  /** @return the version */
  public SemVer version() {
    return version;
  }

  /** @return {@code id@version} */
  public TemplateRef ref() {
    return new TemplateRef(id, version.toString());
  }

  /** @return what the template is for, or null; documentation only */
  public String description() {
    return description;
  }

  /** @return the system text with placeholders, or null when the template has none */
  public String system() {
    return system;
  }

  /** @return the user message text with placeholders */
  public String text() {
    return text;
  }

  /** @return the declared variables, in declaration order */
  public List<PromptVariable> variables() {
    return variables;
  }

  /** @return the JSON Schema the answer must follow, as compact JSON text, or null */
  public String outputSchema() {
    return outputSchema;
  }

  /** @return the recommended model settings, possibly empty */
  public ModelHints modelHints() {
    return modelHints;
  }

  /** @return labels this version declares itself, e.g. {@code prod}; see {@link PromptRegistry} */
  public List<String> labels() {
    return labels;
  }

  /** @return free metadata (owner, ticket, ...), unmodifiable; not part of the content hash */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /**
   * @return lower-case hex SHA-256 of a canonical JSON form of the parsed system and user texts, the
   *     variables sorted by name (name, required, default), the output schema and the model hints
   */
  public String contentHash() {
    return contentHash;
  }

  /**
   * Renders the template. Each placeholder becomes {@code String.valueOf} of the supplied value; an
   * optional variable that is not supplied (or supplied as null) becomes its default, or the empty string.
   * Values are inserted verbatim and never expanded again. Variables the template does not declare are
   * ignored and listed in {@link RenderedPrompt#unknownVariables()}.
   *
   * @param variables values by variable name
   * @return the rendered prompt
   * @throws TemplateException when required variables are missing; {@link
   *     TemplateException#missingVariables()} names all of them
   */
  public RenderedPrompt render(Map<String, ?> variables) {
    return render(variables, false);
  }

  /**
   * Like {@link #render(Map)}, but also rejects variables the template does not declare, which usually
   * means a typo or a caller written against another version.
   *
   * @param variables values by variable name
   * @return the rendered prompt
   * @throws TemplateException when required variables are missing or undeclared variables are supplied
   */
  public RenderedPrompt renderStrict(Map<String, ?> variables) {
    return render(variables, true);
  }

  private RenderedPrompt render(Map<String, ?> values, boolean strict) {
    Objects.requireNonNull(values, "variables");
    List<String> missing = new ArrayList<>();
    for (PromptVariable v : variables) {
      if (v.required() && values.get(v.name()) == null) {
        missing.add(v.name());
      }
    }
    List<String> unknown = values.keySet().stream()
        .filter(k -> k == null || !variablesByName.containsKey(k))
        .map(String::valueOf)
        .sorted()
        .toList();
    if (!missing.isEmpty() || (strict && !unknown.isEmpty())) {
      List<String> problems = new ArrayList<>();
      if (!missing.isEmpty()) {
        problems.add("missing required variables: " + String.join(", ", missing));
      }
      if (strict && !unknown.isEmpty()) {
        problems.add("undeclared variables supplied: " + String.join(", ", unknown)
            + " (declared: " + String.join(", ", variablesByName.keySet().stream().sorted().toList()) + ")");
      }
      throw new TemplateException(ref().toString(), String.join("; ", problems), missing);
    }
    Function<String, String> lookup = name -> {
      Object value = values.get(name);
      if (value != null) {
        return String.valueOf(value);
      }
      String fallback = variablesByName.get(name).defaultValue();
      return fallback == null ? "" : fallback;
    };
    return new RenderedPrompt(ref(), systemTemplate == null ? null : systemTemplate.render(lookup),
        textTemplate.render(lookup), contentHash, modelHints, outputSchema, unknown);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptTemplate t && id.equals(t.id) && version.equals(t.version)
        && Objects.equals(description, t.description) && Objects.equals(system, t.system)
        && text.equals(t.text) && variables.equals(t.variables) && Objects.equals(outputSchema, t.outputSchema)
        && modelHints.equals(t.modelHints) && labels.equals(t.labels) && metadata.equals(t.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, version, contentHash, labels, metadata, description);
  }

  /** @return {@code PromptTemplate[id@version sha256:hash]} */
  @Override
  public String toString() {
    return "PromptTemplate[" + ref() + " sha256:" + contentHash + "]";
  }

  /** Builds a {@link PromptTemplate}; {@link #build()} validates everything. */
  public static final class Builder {
    private String id;
    private SemVer version;
    private String description;
    private String system;
    private String text;
    private final List<PromptVariable> variables = new ArrayList<>();
    private String outputSchema;
    private ModelHints modelHints;
    private final List<String> labels = new ArrayList<>();
    private final Map<String, Object> metadata = new LinkedHashMap<>();

    private Builder() {}

    /** @param id template id: a letter or digit, then letters, digits, {@code _ . -} @return this */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** @param version the version @return this */
    public Builder version(SemVer version) {
      this.version = version;
      return this;
    }

    /**
     * @param version a semantic version such as {@code 1.2.0}
     * @return this
     * @throws IllegalArgumentException when it is not a semantic version
     */
    public Builder version(String version) {
      return version(SemVer.parse(version));
    }

    /** @param description what the template is for, or null @return this */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /** @param system system text with placeholders, or null @return this */
    public Builder system(String system) {
      this.system = system;
      return this;
    }

    /** @param text user message text with placeholders @return this */
    public Builder text(String text) {
      this.text = text;
      return this;
    }

    /** @param variable appended to the declared variables @return this */
    public Builder variable(PromptVariable variable) {
      variables.add(Objects.requireNonNull(variable, "variable"));
      return this;
    }

    /** @param variables replaces the declared variables @return this */
    public Builder variables(Collection<PromptVariable> variables) {
      this.variables.clear();
      variables.forEach(this::variable);
      return this;
    }

    /** @param outputSchema JSON Schema of the answer as JSON object text, or null @return this */
    public Builder outputSchema(String outputSchema) {
      this.outputSchema = outputSchema;
      return this;
    }

    /** @param modelHints recommended model settings, or null for none @return this */
    public Builder modelHints(ModelHints modelHints) {
      this.modelHints = modelHints;
      return this;
    }

    /** @param labels replaces the labels this version declares, e.g. {@code prod} @return this */
    public Builder labels(Collection<String> labels) {
      this.labels.clear();
      labels.forEach(l -> this.labels.add(Objects.requireNonNull(l, "label")));
      return this;
    }

    /** @param metadata replaces the free metadata @return this */
    public Builder metadata(Map<String, ?> metadata) {
      this.metadata.clear();
      metadata.forEach((k, v) -> this.metadata.put(Objects.requireNonNull(k, "metadata key"), v));
      return this;
    }

    /**
     * @return the template
     * @throws IllegalArgumentException naming the field when a value is invalid, a placeholder is
     *     malformed or not declared, or a variable is declared twice
     * @throws NullPointerException when id, version or text is missing
     */
    public PromptTemplate build() {
      return new PromptTemplate(this);
    }
  }
}
