package dev.kiai.core.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.error.MalformedResponseException;

/** The JSON codec shared by the providers; configured once, then only read (thread-safe). */
final class ProviderJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ProviderJson() {}

  /**
   * Parses a provider's answer or stream event, which must be a JSON object. The text itself is not
   * put into the exception message: it is model output, which Kiai does not log.
   *
   * @throws MalformedResponseException when the text is not a JSON object
   */
  static JsonNode parseAnswer(String text, String provider, String model, int status, String partialText) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new MalformedResponseException(provider, model, status,
          "the answer is not valid JSON (" + text.length() + " characters)", partialText, false, e);
    }
    if (node == null || !node.isObject()) {
      throw new MalformedResponseException(provider, model, status,
          "the answer is not a JSON object (" + text.length() + " characters)", partialText, false, null);
    }
    return node;
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Parses JSON text that the value types already validated (tool schemas, response schemas). */
  static JsonNode parseTrusted(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("validated JSON failed to parse: " + e.getOriginalMessage(), e);
    }
  }

  /** @return the tree as UTF-8 JSON bytes, ready to send without another encoding pass */
  static byte[] writeBytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree: " + e.getOriginalMessage(), e);
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree: " + e.getOriginalMessage(), e);
    }
  }

  /** @return the field as text: strings as they are, other values (objects, numbers) as JSON, else null */
  static String textOrJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    return node.isTextual() ? node.asText() : write(node);
  }

  /** @return the field's text when it is a non-empty string, else null */
  static String text(JsonNode parent, String field) {
    JsonNode v = parent.get(field);
    return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
  }

  /** @return the field as a non-negative long, or 0 when absent or not a number */
  static long count(JsonNode parent, String field) {
    JsonNode v = parent.path(field);
    return v.canConvertToLong() && v.asLong() > 0 ? v.asLong() : 0;
  }
}
