package dev.kiai.core.prompt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON, YAML and hashing helpers shared by the prompt package. The mappers are configured once. */
final class PromptJson {
  /** Strict JSON: duplicate keys are errors. */
  static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  /** Strict YAML: duplicate keys are errors. */
  static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private PromptJson() {}

  /**
   * @param json JSON text
   * @param field field name for error messages
   * @return the object as compact JSON text
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  static String compactObject(String json, String field) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(field + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(field + " must be a JSON object");
    }
    return node.toString();
  }

  /** @return the parsed JSON text, which the caller has already validated */
  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("validated JSON no longer parses", e);
    }
  }

  /** @return SHA-256 of the UTF-8 bytes of {@code text} */
  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /** @return SHA-256 of the UTF-8 bytes of {@code text}, as lower-case hex */
  static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256(text));
  }

  /**
   * @param value a value built from maps, lists and scalars
   * @return an unmodifiable deep copy (null values kept)
   */
  static Object freeze(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(freeze(v)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
