package dev.kiai.core.chat;

import java.util.Objects;

/**
 * The shape the answer must take: free text, any JSON object, or JSON valid against a schema.
 *
 * @param type text, json object or json schema
 * @param schemaName name of the schema (required by OpenAI for json_schema), otherwise null
 * @param schema JSON Schema as JSON text for {@link Type#JSON_SCHEMA}, otherwise null
 * @param strict ask the provider for strict schema adherence where supported
 */
public record ResponseFormat(Type type, String schemaName, String schema, boolean strict) {
  /** Kinds of response format. */
  public enum Type {
    /** Free text. */
    TEXT,
    /** Any JSON object. */
    JSON_OBJECT,
    /** JSON valid against {@link ResponseFormat#schema()}. */
    JSON_SCHEMA
  }

  public ResponseFormat {
    Objects.requireNonNull(type, "type");
    if (type == Type.JSON_SCHEMA) {
      Objects.requireNonNull(schema, "schema is required for JSON_SCHEMA");
      schema = Json.requireObject(schema, "schema");
      schemaName = schemaName == null || schemaName.isBlank() ? "response" : schemaName;
      if (!schemaName.matches("[a-zA-Z0-9_-]{1,64}")) {
        throw new IllegalArgumentException("schemaName must match [a-zA-Z0-9_-]{1,64}: " + schemaName);
      }
    } else if (schema != null) {
      throw new IllegalArgumentException("schema is only allowed for JSON_SCHEMA");
    }
  }

  /** @return free text */
  public static ResponseFormat text() {
    return new ResponseFormat(Type.TEXT, null, null, false);
  }

  /** @return any JSON object */
  public static ResponseFormat jsonObject() {
    return new ResponseFormat(Type.JSON_OBJECT, null, null, false);
  }

  /**
   * @param name schema name
   * @param schema JSON Schema text
   * @return JSON that must validate against the schema, strict where the provider supports it
   */
  public static ResponseFormat jsonSchema(String name, String schema) {
    return new ResponseFormat(Type.JSON_SCHEMA, name, schema, true);
  }
}
