package dev.kiai.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.Role;
import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A loaded golden set: a named, ordered list of {@link GoldenCase}s with unique ids.
 *
 * <h2>Format</h2>
 * JSONL (one case per line; blank lines and lines starting with {@code //} are skipped) or YAML (a list
 * of cases, or a map with a {@code cases} list). Each case:
 * <pre>{@code
 * {"id":"refund-1", "prompt":"...", "expected":"...", "tags":["must-pass"], "weight":2,
 *  "assert":[{"type":"contains","value":"refund"}, {"type":"not-regex","value":"(?i)sorry"},
 *            {"type":"rouge-l","threshold":0.4,"weight":0.5}]}
 * }</pre>
 * Instead of {@code prompt} a case may give {@code messages} ({@code [{"role":"user","content":...}]})
 * or {@code template} ({@code id@version}) with {@code vars}; {@code contexts}
 * ({@code [{"id","text"}]}) supplies source documents. {@code value} defaults to {@code expected}.
 * Unknown fields and unknown assertion types are errors, so typos cannot silently pass.
 */
public final class GoldenSuite {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> CASE_FIELDS = Set.of(
      "id", "prompt", "vars", "messages", "template", "expected", "assert", "tags", "weight", "contexts");

  private final String name;
  private final List<GoldenCase> cases;

  private GoldenSuite(String name, List<GoldenCase> cases) {
    this.name = name;
    this.cases = cases;
  }

  /**
   * @param name the suite name used in reports
   * @param cases the cases, ids unique
   * @return the suite
   * @throws IllegalArgumentException when two cases share an id
   */
  public static GoldenSuite of(String name, List<GoldenCase> cases) {
    Objects.requireNonNull(name, "name");
    Set<String> ids = new HashSet<>();
    for (GoldenCase c : cases) {
      if (!ids.add(c.id())) {
        throw new IllegalArgumentException("cases: duplicate id '" + c.id() + "'");
      }
    }
    return new GoldenSuite(name, List.copyOf(cases));
  }

  /**
   * Loads a golden set named {@code classpath:path/in/jar.jsonl} or a file path.
   *
   * @param location {@code classpath:...} or a file path; {@code .yaml}/{@code .yml} are YAML, anything
   *     else JSONL
   * @return the suite, named after the file without its directory
   * @throws ConfigurationException naming the file (and line) when it is missing or malformed
   */
  public static GoldenSuite load(String location) {
    Objects.requireNonNull(location, "location");
    if (location.startsWith("classpath:")) {
      return fromClasspath(location.substring("classpath:".length()));
    }
    return fromFile(Path.of(location));
  }

  /**
   * @param file a JSONL or YAML file
   * @return the suite
   * @throws ConfigurationException naming the file (and line) when it is missing or malformed
   */
  public static GoldenSuite fromFile(Path file) {
    try {
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("golden set not found: " + file, e);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read golden set " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param resource a resource path, e.g. {@code golden/support.jsonl}
   * @return the suite, read with the thread's context class loader (or this class's)
   * @throws ConfigurationException naming the resource (and line) when it is missing or malformed
   */
  public static GoldenSuite fromClasspath(String resource) {
    String r = resource.startsWith("/") ? resource.substring(1) : resource;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = GoldenSuite.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(r)) {
      if (in == null) {
        throw new ConfigurationException("golden set not found on the classpath: " + r);
      }
      return parse("classpath:" + r, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigurationException("cannot read golden set classpath:" + r + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses golden-set text.
   *
   * @param source the file name used in error messages and as the suite name; its extension picks the
   *     format ({@code .yaml}/{@code .yml} YAML, otherwise JSONL)
   * @param content the text
   * @return the suite
   * @throws ConfigurationException {@code "<source>:<line>: <problem>"} for the first malformed case
   */
  public static GoldenSuite parse(String source, String content) {
    String lower = source.toLowerCase(Locale.ROOT);
    List<GoldenCase> cases = lower.endsWith(".yaml") || lower.endsWith(".yml")
        ? parseYaml(source, content) : parseJsonl(source, content);
    String name = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf(':')) + 1);
    try {
      return of(name, cases);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(source + ": " + e.getMessage());
    }
  }

  private static List<GoldenCase> parseJsonl(String source, String content) {
    List<GoldenCase> cases = new ArrayList<>();
    String[] lines = content.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("//")) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new ConfigurationException(source + ":" + (i + 1) + ": malformed JSON: " + e.getOriginalMessage());
      }
      cases.add(toCase(source, i + 1, node));
    }
    return cases;
  }

  private static List<GoldenCase> parseYaml(String source, String content) {
    List<GoldenCase> cases = new ArrayList<>();
    try (JsonParser p = YAML.getFactory().createParser(content)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME && !"cases".equals(p.currentName())) {
          p.nextToken();
          p.skipChildren();
        }
        t = p.nextToken();
      }
      if (t != JsonToken.START_ARRAY) {
        throw new ConfigurationException(source + ":" + p.currentLocation().getLineNr()
            + ": expected a list of cases (or a map with a 'cases' list)");
      }
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        int line = p.currentTokenLocation().getLineNr();
        if (t != JsonToken.START_OBJECT) {
          throw new ConfigurationException(source + ":" + line + ": expected a map per case, found " + p.getText());
        }
        JsonNode node = YAML.readTree(p);
        cases.add(toCase(source, line, node));
      }
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(source + ":" + (e.getLocation() == null ? 0 : e.getLocation().getLineNr())
          + ": malformed YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigurationException(source + ": cannot read: " + e.getMessage(), e);
    }
    return cases;
  }

  private static GoldenCase toCase(String source, int line, JsonNode n) {
    String where = source + ":" + line + ": ";
    if (!n.isObject()) {
      throw new ConfigurationException(where + "expected a JSON object per case");
    }
    try {
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!CASE_FIELDS.contains(f)) {
          throw new IllegalArgumentException("unknown field '" + f + "'; known fields: " + new java.util.TreeSet<>(CASE_FIELDS));
        }
      }
      String id = requiredText(n, "id");
      GoldenCase.Builder b = GoldenCase.builder(id, optionalText(n, "prompt"));
      String expected = null;
      JsonNode e = n.get("expected");
      if (e != null && !e.isNull()) {
        expected = e.isValueNode() ? e.asText() : JSON.writeValueAsString(e);
      }
      b.expected(expected);
      if (n.has("messages")) {
        b.messages(messages(n.get("messages")));
      }
      if (n.has("template")) {
        Map<String, Object> vars = n.has("vars") ? toMap(n.get("vars"), "vars") : Map.of();
        b.template(requiredText(n, "template"), vars);
      } else if (n.has("vars")) {
        throw new IllegalArgumentException("vars need a template (\"template\":\"id@version\")");
      }
      if (n.has("tags")) {
        List<String> tags = new ArrayList<>();
        for (JsonNode t : array(n.get("tags"), "tags")) {
          tags.add(t.asText());
        }
        b.tags(tags);
      }
      if (n.has("weight")) {
        b.weight(number(n.get("weight"), "weight"));
      }
      if (n.has("contexts")) {
        List<ContextDoc> docs = new ArrayList<>();
        int i = 0;
        for (JsonNode d : array(n.get("contexts"), "contexts")) {
          i++;
          if (d.isTextual()) {
            docs.add(new ContextDoc(Integer.toString(i), d.asText()));
          } else {
            docs.add(new ContextDoc(requiredText(d, "id"), optionalText(d, "text")));
          }
        }
        b.contexts(docs);
      }
      if (n.has("assert")) {
        int i = 0;
        for (JsonNode a : array(n.get("assert"), "assert")) {
          b.addAssertion(assertion(a, i++));
        }
      }
      return b.build();
    } catch (IllegalArgumentException | JsonProcessingException ex) {
      String msg = ex instanceof JsonProcessingException j ? j.getOriginalMessage() : ex.getMessage();
      throw new ConfigurationException(where + msg);
    }
  }

  private static AssertionSpec assertion(JsonNode a, int index) {
    String field = "assert[" + index + "]";
    if (!a.isObject()) {
      throw new IllegalArgumentException(field + " must be an object with a \"type\"");
    }
    JsonNode typeNode = a.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      throw new IllegalArgumentException(field + ".type is required (a string)");
    }
    String written = typeNode.asText();
    boolean negated = written.startsWith("not-");
    String type = negated ? written.substring(4) : written;
    if (!Assertions.TYPES.contains(type)) {
      throw new IllegalArgumentException(field + ".type '" + written + "' is unknown; known types: "
          + String.join(", ", Assertions.TYPES));
    }
    Object value = a.has("value") ? JSON.convertValue(a.get("value"), Object.class) : null;
    Double threshold = a.has("threshold") ? number(a.get("threshold"), field + ".threshold") : null;
    double weight = a.has("weight") ? number(a.get("weight"), field + ".weight") : 1.0;
    Map<String, Object> options = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!Set.of("type", "value", "threshold", "weight").contains(f.getKey())) {
        options.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class));
      }
    }
    try {
      return new AssertionSpec(type, negated, value, threshold, weight, options);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + "." + e.getMessage(), e);
    }
  }

  private static List<ChatMessage> messages(JsonNode node) {
    List<ChatMessage> out = new ArrayList<>();
    int i = 0;
    for (JsonNode m : array(node, "messages")) {
      String role = requiredText(m, "role").toUpperCase(Locale.ROOT);
      Role r;
      try {
        r = Role.valueOf(role);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("messages[" + i + "].role must be system, user or assistant, was "
            + m.get("role").asText(), e);
      }
      if (r == Role.TOOL) {
        throw new IllegalArgumentException("messages[" + i + "].role tool is not supported in golden sets");
      }
      out.add(new ChatMessage(r, requiredText(m, "content"), List.of(), null));
      i++;
    }
    return out;
  }

  private static Map<String, Object> toMap(JsonNode n, String field) {
    if (!n.isObject()) {
      throw new IllegalArgumentException(field + " must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = JSON.convertValue(n, LinkedHashMap.class);
    return m;
  }

  private static Iterable<JsonNode> array(JsonNode n, String field) {
    if (!n.isArray()) {
      throw new IllegalArgumentException(field + " must be a list");
    }
    return n;
  }

  private static double number(JsonNode n, String field) {
    if (!n.isNumber()) {
      throw new IllegalArgumentException(field + " must be a number, was " + n);
    }
    return n.asDouble();
  }

  private static String requiredText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() && !v.isNumber()) {
      throw new IllegalArgumentException("\"" + field + "\" is required (a string)");
    }
    return v.asText();
  }

  private static String optionalText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a string");
    }
    return v.asText();
  }

  /** @return the suite name (file name of the golden set) */
  public String name() {
    return name;
  }

  /** @return the cases in file order */
  public List<GoldenCase> cases() {
    return cases;
  }

  /** @return the number of cases */
  public int size() {
    return cases.size();
  }

  @Override
  public String toString() {
    return "GoldenSuite[" + name + ", " + cases.size() + " cases]";
  }
}
