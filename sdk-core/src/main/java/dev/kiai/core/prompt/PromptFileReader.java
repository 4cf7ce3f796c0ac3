package dev.kiai.core.prompt;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads one template file into a {@link PromptTemplate}, collecting every problem as a
 * {@link LintFinding} instead of stopping at the first, so that the loader and the linter report the same
 * things with the same words.
 */
final class PromptFileReader {
  static final List<String> FIELDS = List.of("id", "version", "description", "system", "text", "variables",
      "output_schema", "model_hints", "labels", "metadata");
  private static final List<String> VARIABLE_FIELDS = List.of("name", "required", "default", "description");
  private static final List<String> HINT_FIELDS = List.of("models", "temperature", "max_tokens");

  /** @param template the template, or null when there were errors */
  record Result(PromptTemplate template, List<LintFinding> findings) {}

  private final String file;
  private final List<LintFinding> findings = new ArrayList<>();

  private PromptFileReader(String file) {
    this.file = file;
  }

  /**
   * @param file path relative to the prompts root, with {@code /} separators
   * @param content the file's bytes
   * @return the template, if valid, and every finding
   */
  static Result read(String file, byte[] content) {
    PromptFileReader reader = new PromptFileReader(file);
    PromptTemplate template = reader.read(content);
    return new Result(template, List.copyOf(reader.findings));
  }

  /**
   * @return the parsed document, or null after recording a parse error
   */
  static JsonNode parse(String file, byte[] content, List<LintFinding> findings) {
    boolean json = file.endsWith(".json");
    ObjectMapper mapper = json ? PromptJson.JSON : PromptJson.YAML;
    try {
      JsonNode node = mapper.readTree(content);
      if (node == null || node.isMissingNode()) {
        findings.add(LintFinding.error(file, "file is empty"));
        return null;
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      findings.add(LintFinding.error(file, "malformed " + (json ? "JSON" : "YAML") + where + ": "
          + problemOf(e.getOriginalMessage())));
      return null;
    } catch (IOException e) {
      findings.add(LintFinding.error(file, "cannot be read: " + e.getMessage()));
      return null;
    }
  }

  /** Keeps the headline of a SnakeYAML message and drops its source excerpt and pointer lines. */
  private static String problemOf(String message) {
    if (message == null) {
      return "unknown problem";
    }
    String headline = message.lines()
        .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
        .collect(Collectors.joining(": "));
    return headline.isEmpty() ? message.strip() : headline;
  }

  private PromptTemplate read(byte[] content) {
    JsonNode root = parse(file, content, findings);
    if (root == null) {
      return null;
    }
    if (!root.isObject()) {
      error("top level must be a mapping of fields (" + String.join(", ", FIELDS) + ")");
      return null;
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        error("unknown field '" + field + "' (known fields: " + String.join(", ", FIELDS) + ")");
      }
    }
    PromptTemplate.Builder b = PromptTemplate.builder();
    String id = requiredString(root, "id");
    if (id != null) {
      try {
        b.id(PromptTemplate.checkId(id));
      } catch (IllegalArgumentException e) {
        error(e.getMessage());
        id = null;
      }
    }
    SemVer version = null;
    JsonNode versionNode = root.get("version");
    if (versionNode == null || versionNode.isNull()) {
      error("missing required field 'version'");
    } else if (!versionNode.isValueNode()) {
      error("field 'version' must be a string such as 1.2.0");
    } else {
      try {
        version = SemVer.parse(versionNode.asText());
        b.version(version);
      } catch (IllegalArgumentException e) {
        error(e.getMessage());
      }
    }
    checkPath(id, version);
    b.description(optionalString(root, "description"));
    String system = optionalString(root, "system");
    b.system(system);
    String text = requiredString(root, "text");
    b.text(text);
    List<PromptVariable> variables = variables(root.get("variables"));
    b.variables(variables);
    checkPlaceholders(system, text, variables);
    JsonNode schema = root.get("output_schema");
    if (schema != null && !schema.isNull()) {
      if (schema.isObject()) {
        b.outputSchema(schema.toString());
      } else {
        error("output_schema must be a JSON object");
      }
    }
    b.modelHints(modelHints(root.get("model_hints")));
    b.labels(labels(root.get("labels")));
    JsonNode metadata = root.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      if (metadata.isObject()) {
        b.metadata(PromptJson.JSON.convertValue(metadata, new TypeReference<Map<String, Object>>() {}));
      } else {
        error("field 'metadata' must be a mapping");
      }
    }
    if (findings.stream().anyMatch(LintFinding::isError)) {
      return null;
    }
    try {
      return b.build();
    } catch (IllegalArgumentException | NullPointerException e) {
      error(e.getMessage());
      return null;
    }
  }

  private void checkPath(String id, SemVer version) {
    int slash = file.lastIndexOf('/');
    String name = file.substring(slash + 1);
    int dot = name.lastIndexOf('.');
    String base = dot < 0 ? name : name.substring(0, dot);
    if (!SemVer.isValid(base)) {
      return;
    }
    if (version != null && !version.toString().equals(base)) {
      error("version '" + version + "' does not match the file name '" + name + "'");
    }
    if (id != null && slash > 0) {
      String dir = file.substring(file.lastIndexOf('/', slash - 1) + 1, slash);
      if (!dir.equals(id)) {
        error("id '" + id + "' does not match the directory '" + dir + "'");
      }
    }
  }

  private void checkPlaceholders(String system, String text, List<PromptVariable> variables) {
    TemplateText systemText = null;
    TemplateText userText = null;
    boolean parsed = true;
    if (system != null) {
      try {
        systemText = TemplateText.parse(system, "system");
      } catch (IllegalArgumentException e) {
        error(e.getMessage());
        parsed = false;
      }
    }
    if (text != null) {
      try {
        userText = TemplateText.parse(text, "text");
      } catch (IllegalArgumentException e) {
        error(e.getMessage());
        parsed = false;
      }
    }
    if (!parsed || userText == null) {
      return;
    }
    Set<String> declared = new LinkedHashSet<>();
    variables.forEach(v -> declared.add(v.name()));
    PromptTemplate.undeclaredPlaceholders(systemText, userText, declared).forEach(this::error);
    Set<String> used = new LinkedHashSet<>(userText.names());
    if (systemText != null) {
      used.addAll(systemText.names());
    }
    for (PromptVariable v : variables) {
      if (!used.contains(v.name())) {
        warning("variable '" + v.name() + "' is declared but not used");
      }
    }
  }

  private List<PromptVariable> variables(JsonNode node) {
    List<PromptVariable> result = new ArrayList<>();
    if (node == null || node.isNull()) {
      return result;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode entry = node.get(i);
        String where = "variables[" + i + "]";
        if (!entry.isObject()) {
          error("field '" + where + "' must be a mapping with name, required, default, description");
          continue;
        }
        JsonNode name = entry.get("name");
        if (name == null || !name.isTextual()) {
          error("field '" + where + ".name' is required and must be a string");
          continue;
        }
        checkFields(entry, where, VARIABLE_FIELDS);
        addVariable(result, name.asText(), entry, where);
      }
    } else if (node.isObject()) {
      Map<String, JsonNode> entries = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
      entries.forEach((name, entry) -> {
        String where = "variables." + name;
        if (entry.isNull()) {
          addVariable(result, name, PromptJson.JSON.createObjectNode(), where);
        } else if (!entry.isObject()) {
          error("field '" + where + "' must be a mapping with required, default, description");
        } else {
          checkFields(entry, where, List.of("required", "default", "description"));
          addVariable(result, name, entry, where);
        }
      });
    } else {
      error("field 'variables' must be a list of {name, required, default, description} or a mapping by name");
    }
    return result;
  }

  private void addVariable(List<PromptVariable> into, String name, JsonNode entry, String where) {
    String defaultValue = null;
    JsonNode def = entry.get("default");
    if (def != null && !def.isNull()) {
      if (def.isValueNode()) {
        defaultValue = def.asText();
      } else {
        error("field '" + where + ".default' must be a string, number or boolean");
      }
    }
    boolean required = defaultValue == null;
    JsonNode req = entry.get("required");
    if (req != null && !req.isNull()) {
      if (req.isBoolean()) {
        required = req.booleanValue();
      } else {
        error("field '" + where + ".required' must be true or false");
      }
    }
    JsonNode desc = entry.get("description");
    String description = null;
    if (desc != null && !desc.isNull()) {
      if (desc.isTextual()) {
        description = desc.asText();
      } else {
        error("field '" + where + ".description' must be a string");
      }
    }
    PromptVariable variable;
    try {
      variable = new PromptVariable(name, required, defaultValue, description);
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      return;
    }
    if (into.stream().anyMatch(v -> v.name().equals(name))) {
      error("variable '" + name + "' is declared twice");
      return;
    }
    if (required && defaultValue != null) {
      warning("required variable '" + name + "' has a default that is never used");
    }
    into.add(variable);
  }

  private ModelHints modelHints(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      error("field 'model_hints' must be a mapping with models, temperature, max_tokens");
      return null;
    }
    checkFields(node, "model_hints", HINT_FIELDS);
    List<String> models = new ArrayList<>();
    JsonNode m = node.get("models");
    if (m != null && !m.isNull()) {
      if (m.isTextual()) {
        models.add(m.asText());
      } else if (m.isArray() && allTextual(m)) {
        m.forEach(model -> models.add(model.asText()));
      } else {
        error("field 'model_hints.models' must be a list of model ids");
      }
    }
    Double temperature = null;
    JsonNode t = node.get("temperature");
    if (t != null && !t.isNull()) {
      if (t.isNumber()) {
        temperature = t.doubleValue();
      } else {
        error("field 'model_hints.temperature' must be a number");
      }
    }
    Integer maxTokens = null;
    JsonNode mt = node.get("max_tokens");
    if (mt != null && !mt.isNull()) {
      if (mt.isIntegralNumber() && mt.canConvertToInt()) {
        maxTokens = mt.intValue();
      } else {
        error("field 'model_hints.max_tokens' must be an integer");
      }
    }
    try {
      return new ModelHints(models, temperature, maxTokens);
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      return null;
    }
  }

  private List<String> labels(JsonNode node) {
    List<String> labels = new ArrayList<>();
    if (node == null || node.isNull()) {
      return labels;
    }
    if (!node.isArray() || !allTextual(node)) {
      error("field 'labels' must be a list of label names");
      return labels;
    }
    for (JsonNode label : node) {
      try {
        labels.add(Labels.check(label.asText()));
      } catch (IllegalArgumentException e) {
        error(e.getMessage());
      }
    }
    return labels;
  }

  private static boolean allTextual(JsonNode array) {
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private void checkFields(JsonNode node, String where, List<String> known) {
    node.fieldNames().forEachRemaining(field -> {
      if (!known.contains(field)) {
        error("unknown field '" + where + "." + field + "' (known fields: " + String.join(", ", known) + ")");
      }
    });
  }

  private String requiredString(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      error("missing required field '" + field + "'");
      return null;
    }
    if (!node.isTextual()) {
      error("field '" + field + "' must be a string");
      return null;
    }
    return node.asText();
  }

  private String optionalString(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      error("field '" + field + "' must be a string");
      return null;
    }
    return node.asText();
  }

  private void error(String message) {
    findings.add(LintFinding.error(file, message));
  }

  private void warning(String message) {
    findings.add(LintFinding.warning(file, message));
  }
}
