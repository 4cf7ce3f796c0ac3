package dev.kiai.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The batch convention of every JSONL command (DESIGN §6): one JSON object per input line, each with an
 * {@code id}; one output line per input line, in order, carrying the same id; a bad line yields an
 * output line with an {@code error} field and the run continues; a summary goes to stderr.
 */
final class Jsonl {
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Thrown by a line handler for a bad line; its message becomes the line's {@code error}. */
  static final class BadLine extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadLine(String message) {
      super(message);
    }
  }

  /** Turns one input object into the fields of its output line (without the id). */
  interface LineHandler {
    ObjectNode handle(JsonNode line);
  }

  private Jsonl() {}

  /**
   * Runs a batch.
   *
   * @return the exit code: 0 when the input could be read, 2 when it could not be opened
   */
  static int run(Io io, Path in, String command, LineHandler handler) {
    int total = 0;
    int failed = 0;
    try (BufferedReader reader = io.open(in)) {
      String line;
      int lineNo = 0;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        total++;
        ObjectNode result = handleLine(line, lineNo, handler);
        if (result.has("error")) {
          failed++;
        }
        io.out.println(MAPPER.writeValueAsString(result));
        io.out.flush();
      }
    } catch (NoSuchFileException e) {
      io.err.println("kiai " + command + ": input file not found: " + e.getFile());
      return 2;
    } catch (IOException e) {
      io.err.println("kiai " + command + ": cannot read input: " + e.getMessage());
      return 2;
    }
    io.err.println("kiai " + command + ": " + total + " lines, " + (total - failed) + " ok, " + failed + " errors");
    io.err.flush();
    return 0;
  }

  private static ObjectNode handleLine(String line, int lineNo, LineHandler handler) {
    ObjectNode out = MAPPER.createObjectNode();
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      out.set("id", NullNode.getInstance());
      out.put("error", "line " + lineNo + ": malformed JSON: " + e.getOriginalMessage());
      return out;
    }
    if (node == null || !node.isObject()) {
      out.set("id", NullNode.getInstance());
      out.put("error", "line " + lineNo + ": expected a JSON object");
      return out;
    }
    JsonNode id = node.get("id");
    if (id == null || id.isNull() || id.isContainerNode()) {
      out.set("id", NullNode.getInstance());
      out.put("error", "line " + lineNo + ": missing \"id\" (a string or number)");
      return out;
    }
    out.set("id", id);
    try {
      out.setAll(handler.handle(node));
    } catch (RuntimeException e) {
      out.removeAll();
      out.set("id", id);
      out.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
    return out;
  }

  /** @return a required non-negative integer field */
  static long count(JsonNode line, String field) {
    JsonNode v = line.get(field);
    if (v == null || v.isNull()) {
      throw new BadLine("missing \"" + field + "\"");
    }
    return nonNegative(v, field);
  }

  /** @return an optional non-negative integer field, 0 when absent */
  static long optionalCount(JsonNode line, String field) {
    JsonNode v = line.get(field);
    return v == null || v.isNull() ? 0 : nonNegative(v, field);
  }

  private static long nonNegative(JsonNode v, String field) {
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new BadLine("\"" + field + "\" must be a non-negative integer, was " + v);
    }
    return v.asLong();
  }

  /** @return a required string field */
  static String text(JsonNode line, String field) {
    JsonNode v = line.get(field);
    if (v == null || !v.isTextual()) {
      throw new BadLine("missing \"" + field + "\" (a string)");
    }
    return v.asText();
  }
}
