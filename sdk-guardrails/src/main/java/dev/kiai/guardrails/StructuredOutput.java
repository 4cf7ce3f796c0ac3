package dev.kiai.guardrails;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.error.StructuredOutputException;
import dev.kiai.core.pricing.Capability;
import dev.kiai.core.pricing.ModelInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Enforces a JSON Schema on model output: asks for native structured output where the model supports
 * it ({@link Capability#JSON_SCHEMA} in its {@link ModelInfo}), otherwise puts the schema in the system
 * prompt; always validates with networknt json-schema-validator; repairs common defects
 * ({@link JsonRepair}); re-asks with a doubled token limit on truncation and with the validation errors
 * otherwise; finally throws a {@link StructuredOutputException} holding every attempt. Maps the result
 * to {@code T} with Jackson. Immutable and thread-safe.
 *
 * <pre>{@code
 * record Invoice(String customer, BigDecimal total) {}
 * StructuredOutput<Invoice> so = StructuredOutput.of(Invoice.class);
 * Invoice inv = so.generate(kiai::chat, ChatRequest.of("Extract the invoice: ..."), modelInfo).value();
 * }</pre>
 *
 * @param <T> the Java type of the result
 */
public final class StructuredOutput<T> {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new Jdk8Module())
      .registerModule(new JavaTimeModule())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Class<T> type;
  private final String schemaName;
  private final String schemaText;
  private final JsonSchema schema;
  private final int maxAttempts;

  private StructuredOutput(Class<T> type, String schemaName, String schemaText, int maxAttempts) {
    this.type = type;
    this.schemaName = schemaName;
    this.schemaText = schemaText;
    this.maxAttempts = maxAttempts;
    JsonNode node;
    try {
      node = MAPPER.readTree(schemaText);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("schema is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("schema must be a JSON object");
    }
    SpecVersion.VersionFlag version = SpecVersionDetector.detectOptionalVersion(node, false)
        .orElse(SpecVersion.VersionFlag.V202012);
    this.schema = JsonSchemaFactory.getInstance(version).getSchema(node);
  }

  /**
   * @param type a record or class; its schema is derived with {@link JsonSchemas#of}
   * @param <T> the type
   * @return enforcement for that type, 3 attempts
   */
  public static <T> StructuredOutput<T> of(Class<T> type) {
    return new StructuredOutput<>(type, type.getSimpleName().replaceAll("[^A-Za-z0-9_-]", "_"),
        JsonSchemas.of(type), 3);
  }

  /**
   * @param schemaJson a JSON Schema (draft 4 to 2020-12, detected from {@code $schema}, 2020-12 when absent)
   * @return enforcement yielding the JSON tree, 3 attempts
   */
  public static StructuredOutput<JsonNode> ofSchema(String schemaJson) {
    return new StructuredOutput<>(JsonNode.class, "response", Objects.requireNonNull(schemaJson, "schemaJson"), 3);
  }

  /**
   * @param attempts model calls at most, including the first, at least 1
   * @return a copy with that limit
   */
  public StructuredOutput<T> withMaxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, was " + attempts);
    }
    return new StructuredOutput<>(type, schemaName, schemaText, attempts);
  }

  /** @return the schema as JSON text */
  public String schema() {
    return schemaText;
  }

  /** @return the native response format for this schema (strict) */
  public ResponseFormat responseFormat() {
    return ResponseFormat.jsonSchema(schemaName, schemaText);
  }

  /**
   * The outcome of validating one output.
   *
   * @param valid true when the (possibly repaired) output validates against the schema
   * @param repaired true when {@link JsonRepair} had to change the output
   * @param json the parsed JSON, or null when it could not be parsed
   * @param errors validation or parse errors, each naming the JSON path where known
   * @param fixes repairs applied
   */
  public record Validation(boolean valid, boolean repaired, JsonNode json, List<String> errors, List<String> fixes) {
    public Validation {
      errors = List.copyOf(errors);
      fixes = List.copyOf(fixes);
    }
  }

  /**
   * The enforced result.
   *
   * @param value the output mapped to {@code T}
   * @param json the validated JSON
   * @param attempts model calls it took
   * @param repaired whether the accepted output needed repair
   * @param response the last model response (usage, cost, trace)
   * @param <T> the type
   */
  public record Result<T>(T value, JsonNode json, int attempts, boolean repaired, ChatResponse response) {}

  /**
   * Repairs, parses and validates one output without calling a model.
   *
   * @param raw model output
   * @return the validation
   */
  public Validation validate(String raw) {
    Objects.requireNonNull(raw, "raw");
    JsonNode node = parse(raw);
    List<String> fixes = List.of();
    if (node == null) {
      JsonRepair.Result r = JsonRepair.repair(raw);
      fixes = r.fixes();
      node = parse(r.json());
      if (node == null) {
        return new Validation(false, r.repaired(), null, List.of("$: output is not valid JSON"
            + (raw.isBlank() ? " (empty)" : "")), fixes);
      }
    }
    Set<ValidationMessage> messages = schema.validate(node);
    List<String> errors = new ArrayList<>();
    for (ValidationMessage m : messages) {
      errors.add(m.getMessage());
    }
    errors.sort(null);
    return new Validation(errors.isEmpty(), !fixes.isEmpty(), node, errors, fixes);
  }

  /**
   * Validates one output and maps it to {@code T}.
   *
   * @param raw model output
   * @return the value
   * @throws StructuredOutputException when it does not validate
   */
  public T parseValue(String raw) {
    Validation v = validate(raw);
    if (!v.valid()) {
      throw new StructuredOutputException(v.errors(), raw);
    }
    return map(v.json(), raw);
  }

  /**
   * Calls the model until the output validates or the attempts are spent.
   *
   * @param call sends a request, e.g. {@code kiai::chat} or {@code model::chat}
   * @param request the request (its response format is replaced)
   * @param modelInfo the model's metadata, deciding native structured output; null means prompt-only
   * @return the validated result
   * @throws StructuredOutputException holding every attempt when none validates
   */
  public Result<T> generate(Function<ChatRequest, ChatResponse> call, ChatRequest request, ModelInfo modelInfo) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(request, "request");
    boolean nativeSchema = modelInfo != null && modelInfo.supports(Capability.JSON_SCHEMA);
    ChatRequest.Builder b = request.toBuilder();
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(ChatMessage.system("Answer with a single JSON value only, no prose, no code fences. "
        + "It must validate against this JSON Schema:\n" + schemaText));
    messages.addAll(request.messages());
    b.messages(messages);
    if (nativeSchema) {
      b.responseFormat(responseFormat());
    } else if (modelInfo != null && modelInfo.supports(Capability.JSON_OBJECT)) {
      b.responseFormat(ResponseFormat.jsonObject());
    } else {
      b.responseFormat(null);
    }
    ChatRequest current = b.build();
    List<String> outputs = new ArrayList<>();
    Validation last = null;
    ChatResponse response = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      response = call.apply(current);
      String text = response.text();
      outputs.add(text);
      last = validate(text);
      if (last.valid()) {
        return new Result<>(map(last.json(), text), last.json(), attempt, last.repaired(), response);
      }
      ChatRequest.Builder next = current.toBuilder();
      if (response.finishReason() == FinishReason.LENGTH) {
        int limit = current.maxTokens() == null ? 4096 : current.maxTokens() * 2;
        next.maxTokens(limit);
      } else {
        next.addMessage(ChatMessage.assistant(text));
        next.addUser("Your answer did not validate against the JSON Schema:\n- " + String.join("\n- ", last.errors())
            + "\nAnswer again with corrected JSON only.");
      }
      current = next.build();
    }
    throw new StructuredOutputException(last.errors(), outputs.get(outputs.size() - 1), outputs);
  }

  private T map(JsonNode json, String raw) {
    if (type == JsonNode.class) {
      return type.cast(json);
    }
    try {
      return MAPPER.treeToValue(json, type);
    } catch (JsonProcessingException e) {
      throw new StructuredOutputException(List.of("$: cannot map to " + type.getSimpleName() + ": "
          + e.getOriginalMessage()), raw);
    }
  }

  private static JsonNode parse(String s) {
    try {
      JsonNode n = MAPPER.readTree(s);
      return n == null || n.isMissingNode() ? null : n;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
