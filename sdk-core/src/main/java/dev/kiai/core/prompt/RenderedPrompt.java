package dev.kiai.core.prompt;

import dev.kiai.core.RequestContext;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ResponseFormat;
import java.util.List;
import java.util.Objects;

/**
 * A template rendered with concrete values, ready to become a {@link ChatRequest}.
 *
 * @param ref the template version it was rendered from
 * @param system the rendered system text, or null when the template has none
 * @param user the rendered user message
 * @param contentHash the template's {@link PromptTemplate#contentHash()}
 * @param modelHints the template's model hints, applied by {@link #toRequest()}
 * @param outputSchema the template's output JSON Schema, or null
 * @param unknownVariables names of supplied variables the template does not declare, sorted; they were
 *     ignored
 */
public record RenderedPrompt(
    TemplateRef ref, String system, String user, String contentHash, ModelHints modelHints,
    String outputSchema, List<String> unknownVariables) {

  /** Checks the required components. */
  public RenderedPrompt {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(contentHash, "contentHash");
    modelHints = modelHints == null ? ModelHints.none() : modelHints;
    unknownVariables = unknownVariables == null ? List.of() : List.copyOf(unknownVariables);
  }

  /** @return {@link #toRequestBuilder()} built */
  public ChatRequest toRequest() {
    return toRequestBuilder().build();
  }

  /**
   * @param base context to keep (tenant, user, feature, deadline, attributes, request id)
   * @return {@link #toRequestBuilder(RequestContext)} built
   */
  public ChatRequest toRequest(RequestContext base) {
    return toRequestBuilder(base).build();
  }

  /** @return {@link #toRequestBuilder(RequestContext)} with an empty base context */
  public ChatRequest.Builder toRequestBuilder() {
    return toRequestBuilder(RequestContext.empty());
  }

  /**
   * A request builder holding a system message (when there is a system text) and the user message, the
   * first preferred model, temperature and max tokens from the model hints, a JSON Schema response format
   * when the template has an output schema (named after the template id), and {@code base} with its
   * template set to {@link #ref()}. Callers may change anything before building.
   *
   * @param base context to keep (tenant, user, feature, deadline, attributes, request id)
   * @return a prefilled request builder
   */
  public ChatRequest.Builder toRequestBuilder(RequestContext base) {
    Objects.requireNonNull(base, "base");
    ChatRequest.Builder b = ChatRequest.builder()
        .model(modelHints.preferredModel())
        .temperature(modelHints.temperature())
        .maxTokens(modelHints.maxTokens());
    if (system != null) {
      b.addSystem(system);
    }
    b.addUser(user);
    if (outputSchema != null) {
      b.responseFormat(ResponseFormat.jsonSchema(schemaName(ref.id()), outputSchema));
    }
    return b.context(base.toBuilder().template(ref).build());
  }

  private static String schemaName(String id) {
    String name = id.replaceAll("[^A-Za-z0-9_-]", "_");
    return name.length() > 64 ? name.substring(0, 64) : name;
  }
}
