package dev.kiai.core.chat;

import dev.kiai.core.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable chat completion request. Build one with {@link #builder()}, change one with
 * {@link #toBuilder()}.
 *
 * @param model model id, or null for the provider's default model
 * @param messages the conversation, at least one message
 * @param temperature sampling temperature 0..2, or null for the provider default
 * @param maxTokens upper bound on generated tokens, or null for the provider default
 * @param topP nucleus sampling 0..1, or null
 * @param stop stop sequences, possibly empty
 * @param responseFormat text, JSON object or JSON Schema; null means text
 * @param tools functions the model may call, possibly empty
 * @param toolChoice whether and which tool to call; null means provider default
 * @param seed sampling seed where supported, or null
 * @param context who the request is for and why
 */
public record ChatRequest(
    String model, List<ChatMessage> messages, Double temperature, Integer maxTokens, Double topP,
    List<String> stop, ResponseFormat responseFormat, List<ToolDefinition> tools, ToolChoice toolChoice,
    Long seed, RequestContext context) {

  public ChatRequest {
    messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("messages must not be empty");
    }
    if (temperature != null && (temperature < 0 || temperature > 2 || temperature.isNaN())) {
      throw new IllegalArgumentException("temperature must be within 0..2, was " + temperature);
    }
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
    }
    if (topP != null && (topP <= 0 || topP > 1 || topP.isNaN())) {
      throw new IllegalArgumentException("topP must be within (0,1], was " + topP);
    }
    stop = stop == null ? List.of() : List.copyOf(stop);
    tools = tools == null ? List.of() : List.copyOf(tools);
    if (toolChoice != null && toolChoice.mode() == ToolChoice.Mode.TOOL
        && tools.stream().noneMatch(t -> t.name().equals(toolChoice.toolName()))) {
      throw new IllegalArgumentException("toolChoice names unknown tool " + toolChoice.toolName());
    }
    context = context == null ? RequestContext.empty() : context;
  }

  /**
   * @param userText a single user message
   * @return a request with default parameters
   */
  public static ChatRequest of(String userText) {
    return builder().addUser(userText).build();
  }

  /** @return the text of the system messages, joined by blank lines, or "" */
  public String systemText() {
    StringBuilder sb = new StringBuilder();
    for (ChatMessage m : messages) {
      if (m.role() == Role.SYSTEM) {
        if (sb.length() > 0) {
          sb.append("\n\n");
        }
        sb.append(m.content());
      }
    }
    return sb.toString();
  }

  /** @return the content of the last user message, or "" */
  public String lastUserText() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == Role.USER) {
        return messages.get(i).content();
      }
    }
    return "";
  }

  /** @return a builder prefilled with this request */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.model = model;
    b.messages.addAll(messages);
    b.temperature = temperature;
    b.maxTokens = maxTokens;
    b.topP = topP;
    b.stop.addAll(stop);
    b.responseFormat = responseFormat;
    b.tools.addAll(tools);
    b.toolChoice = toolChoice;
    b.seed = seed;
    b.context = context;
    return b;
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ChatRequest}. */
  public static final class Builder {
    private String model;
    private final List<ChatMessage> messages = new ArrayList<>();
    private Double temperature;
    private Integer maxTokens;
    private Double topP;
    private final List<String> stop = new ArrayList<>();
    private ResponseFormat responseFormat;
    private final List<ToolDefinition> tools = new ArrayList<>();
    private ToolChoice toolChoice;
    private Long seed;
    private RequestContext context;

    private Builder() {}

    /** @param model model id @return this */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /** @param messages replaces the conversation @return this */
    public Builder messages(List<ChatMessage> messages) {
      this.messages.clear();
      this.messages.addAll(messages);
      return this;
    }

    /** @param message appended to the conversation @return this */
    public Builder addMessage(ChatMessage message) {
      messages.add(Objects.requireNonNull(message, "message"));
      return this;
    }

    /** @param text appended as a system message @return this */
    public Builder addSystem(String text) {
      return addMessage(ChatMessage.system(text));
    }

    /** @param text appended as a user message @return this */
    public Builder addUser(String text) {
      return addMessage(ChatMessage.user(text));
    }

    /** @param temperature 0..2 @return this */
    public Builder temperature(Double temperature) {
      this.temperature = temperature;
      return this;
    }

    /** @param maxTokens upper bound on generated tokens @return this */
    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /** @param topP nucleus sampling @return this */
    public Builder topP(Double topP) {
      this.topP = topP;
      return this;
    }

    /** @param stop replaces the stop sequences @return this */
    public Builder stop(List<String> stop) {
      this.stop.clear();
      this.stop.addAll(stop);
      return this;
    }

    /** @param responseFormat the answer's shape @return this */
    public Builder responseFormat(ResponseFormat responseFormat) {
      this.responseFormat = responseFormat;
      return this;
    }

    /** @param tools replaces the tools @return this */
    public Builder tools(List<ToolDefinition> tools) {
      this.tools.clear();
      this.tools.addAll(tools);
      return this;
    }

    /** @param tool appended to the tools @return this */
    public Builder addTool(ToolDefinition tool) {
      tools.add(Objects.requireNonNull(tool, "tool"));
      return this;
    }

    /** @param toolChoice whether and which tool to call @return this */
    public Builder toolChoice(ToolChoice toolChoice) {
      this.toolChoice = toolChoice;
      return this;
    }

    /** @param seed sampling seed @return this */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    /** @param context who the request is for @return this */
    public Builder context(RequestContext context) {
      this.context = context;
      return this;
    }

    /** @return the request */
    public ChatRequest build() {
      return new ChatRequest(model, messages, temperature, maxTokens, topP, stop, responseFormat, tools,
          toolChoice, seed, context);
    }
  }
}
