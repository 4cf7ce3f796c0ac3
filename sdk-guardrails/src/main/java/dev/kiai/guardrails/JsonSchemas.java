package dev.kiai.guardrails;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Derives a JSON Schema (draft 2020-12) from a Java record or class: records and classes become objects
 * whose components or non-static fields are required unless {@link Optional}, with
 * {@code additionalProperties: false} (what OpenAI's strict mode requires); enums become string enums;
 * collections and arrays become arrays; {@code Map<String, V>} becomes an object of V. Stateless.
 */
public final class JsonSchemas {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonSchemas() {}

  /**
   * @param type a record, class, enum or value type
   * @return the schema as JSON text
   * @throws IllegalArgumentException for self-referencing types or maps with non-string keys
   */
  public static String of(Class<?> type) {
    Objects.requireNonNull(type, "type");
    ObjectNode schema = schema(type, new HashSet<>());
    ObjectNode root = MAPPER.createObjectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.setAll(schema);
    return root.toString();
  }

  private static ObjectNode schema(Type type, Set<Class<?>> visiting) {
    ObjectNode s = MAPPER.createObjectNode();
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (Optional.class.equals(raw)) {
        return schema(args[0], visiting);
      }
      if (Collection.class.isAssignableFrom(raw)) {
        s.put("type", "array");
        s.set("items", schema(args[0], visiting));
        if (Set.class.isAssignableFrom(raw)) {
          s.put("uniqueItems", true);
        }
        return s;
      }
      if (Map.class.isAssignableFrom(raw)) {
        if (!String.class.equals(args[0])) {
          throw new IllegalArgumentException("map keys must be String, was " + args[0].getTypeName());
        }
        s.put("type", "object");
        s.set("additionalProperties", schema(args[1], visiting));
        return s;
      }
      return schema(raw, visiting);
    }
    if (type instanceof GenericArrayType g) {
      s.put("type", "array");
      s.set("items", schema(g.getGenericComponentType(), visiting));
      return s;
    }
    if (!(type instanceof Class<?> c)) {
      throw new IllegalArgumentException("unsupported type " + type.getTypeName());
    }
    if (c == String.class || c == char.class || c == Character.class || CharSequence.class.isAssignableFrom(c)) {
      s.put("type", "string");
    } else if (c == boolean.class || c == Boolean.class) {
      s.put("type", "boolean");
    } else if (c == int.class || c == long.class || c == short.class || c == byte.class || c == Integer.class
        || c == Long.class || c == Short.class || c == Byte.class || c == BigInteger.class) {
      s.put("type", "integer");
    } else if (c == double.class || c == float.class || c == Double.class || c == Float.class
        || c == BigDecimal.class || Number.class.isAssignableFrom(c)) {
      s.put("type", "number");
    } else if (c == LocalDate.class) {
      s.put("type", "string");
      s.put("format", "date");
    } else if (c == Instant.class || c == OffsetDateTime.class || c == LocalDateTime.class) {
      s.put("type", "string");
      s.put("format", "date-time");
    } else if (c.isEnum()) {
      s.put("type", "string");
      ArrayNode values = s.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(((Enum<?>) constant).name());
      }
    } else if (c.isArray()) {
      s.put("type", "array");
      s.set("items", schema(c.getComponentType(), visiting));
    } else {
      if (!visiting.add(c)) {
        throw new IllegalArgumentException("self-referencing type " + c.getName() + " cannot be a strict schema");
      }
      s.put("type", "object");
      ObjectNode props = s.putObject("properties");
      ArrayNode required = s.putArray("required");
      if (c.isRecord()) {
        for (RecordComponent rc : c.getRecordComponents()) {
          props.set(rc.getName(), schema(rc.getGenericType(), visiting));
          if (rc.getType() != Optional.class) {
            required.add(rc.getName());
          }
        }
      } else {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers()) || f.isSynthetic()) {
            continue;
          }
          props.set(f.getName(), schema(f.getGenericType(), visiting));
          if (f.getType() != Optional.class) {
            required.add(f.getName());
          }
        }
      }
      s.put("additionalProperties", false);
      visiting.remove(c);
    }
    return s;
  }
}
