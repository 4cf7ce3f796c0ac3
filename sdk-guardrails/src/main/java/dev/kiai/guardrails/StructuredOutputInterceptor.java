package dev.kiai.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiai.core.LlmInterceptor;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.error.StructuredOutputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces the JSON Schema of every request whose response format is
 * {@link ResponseFormat.Type#JSON_SCHEMA}: validates the answer with networknt, returns the repaired JSON
 * when {@link JsonRepair} fixed it, re-asks with a doubled token limit on truncation and with the
 * validation errors otherwise, and after the last attempt throws a {@link StructuredOutputException}
 * holding every attempt. Requests without a schema pass untouched; streams pass untouched (streamed text
 * cannot be re-asked — use {@link StructuredOutput#validate} on the completed text). Each decision is
 * recorded in the trace. Thread-safe.
 */
public final class StructuredOutputInterceptor implements LlmInterceptor {
  private static final int MAX_CACHED_SCHEMAS = 256;

  private final int maxAttempts;
  private final Map<String, StructuredOutput<JsonNode>> schemas = new ConcurrentHashMap<>();

  /**
   * @param maxAttempts model calls per request at most, including the first, at least 1
   */
  public StructuredOutputInterceptor(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
  }

  private StructuredOutput<JsonNode> compiled(String schema) {
    StructuredOutput<JsonNode> so = schemas.get(schema);
    if (so == null) {
      so = StructuredOutput.ofSchema(schema);
      if (schemas.size() < MAX_CACHED_SCHEMAS) {
        schemas.putIfAbsent(schema, so);
      }
    }
    return so;
  }

  @Override
  public ChatResponse intercept(Chain chain) {
    ChatRequest request = chain.request();
    ResponseFormat format = request.responseFormat();
    if (format == null || format.type() != ResponseFormat.Type.JSON_SCHEMA) {
      return chain.proceed(request);
    }
    StructuredOutput<JsonNode> so = compiled(format.schema());
    ChatRequest current = request;
    List<String> outputs = new ArrayList<>();
    StructuredOutput.Validation last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      ChatResponse response = chain.proceed(current);
      String text = response.text();
      outputs.add(text);
      last = so.validate(text);
      if (last.valid()) {
        chain.record("valid", Map.of("attempts", String.valueOf(attempt), "repaired", String.valueOf(last.repaired()),
            "fixes", String.join(",", last.fixes())));
        return last.repaired() ? Guardrails.withText(response, last.json().toString()) : response;
      }
      chain.record("invalid", Map.of("attempt", String.valueOf(attempt), "finish", response.finishReason().name(),
          "errors", String.join("; ", last.errors())));
      ChatRequest.Builder next = current.toBuilder();
      if (response.finishReason() == FinishReason.LENGTH) {
        next.maxTokens(current.maxTokens() == null ? 4096 : current.maxTokens() * 2);
      } else {
        next.addMessage(ChatMessage.assistant(text));
        next.addUser("Your answer did not validate against the JSON Schema:\n- " + String.join("\n- ", last.errors())
            + "\nAnswer again with corrected JSON only.");
      }
      current = next.build();
    }
    throw new StructuredOutputException(last.errors(), outputs.get(outputs.size() - 1), outputs);
  }
}
