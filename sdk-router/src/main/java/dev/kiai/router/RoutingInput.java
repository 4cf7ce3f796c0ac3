package dev.kiai.router;

import dev.kiai.core.RequestContext;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.pricing.Capability;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.tokens.TokenCounter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A request as a {@link RoutingPolicy} sees it, with the facts policies need computed lazily and at most
 * once: the prompt's input tokens, the capabilities the request requires, and which catalog models can
 * serve it. Not shared between requests; safe to read from one thread.
 */
public final class RoutingInput {
  /** Output tokens assumed for cost estimates when the request sets no {@code maxTokens}. */
  public static final int DEFAULT_OUTPUT_ESTIMATE = 512;

  private final ChatRequest request;
  private final ModelCatalog models;
  private final TokenCounter tokens;
  private int inputTokens = -1;
  private long upperBound = -1;
  private Set<Capability> required;

  private RoutingInput(ChatRequest request, ModelCatalog models, TokenCounter tokens) {
    this.request = Objects.requireNonNull(request, "request");
    this.models = Objects.requireNonNull(models, "models");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  /**
   * @param request the request to route
   * @param models the models the router may choose from
   * @param tokens counts the prompt's tokens (estimated when the model's tokenizer is unknown)
   * @return the input
   */
  public static RoutingInput of(ChatRequest request, ModelCatalog models, TokenCounter tokens) {
    return new RoutingInput(request, models, tokens);
  }

  /** @return the request */
  public ChatRequest request() {
    return request;
  }

  /** @return the request's context */
  public RequestContext context() {
    return request.context();
  }

  /** @return the last user message, the text learned routers and prompt rules look at */
  public String prompt() {
    return request.lastUserText();
  }

  /** @return the models the router may choose from */
  public ModelCatalog models() {
    return models;
  }

  /** @return the prompt's tokens, counted once on first use (all messages, tools and framing) */
  public int inputTokens() {
    if (inputTokens < 0) {
      inputTokens = tokens.count(request).tokens();
    }
    return inputTokens;
  }

  /** @return the output tokens the request reserves: its {@code maxTokens}, or 0 when unset */
  public int reservedOutputTokens() {
    return request.maxTokens() == null ? 0 : request.maxTokens();
  }

  /**
   * @return capabilities a model needs to serve the request: {@code TOOLS} when it offers tools,
   *     {@code JSON_SCHEMA} or {@code JSON_OBJECT} for structured output
   */
  public Set<Capability> requiredCapabilities() {
    if (required == null) {
      Set<Capability> caps = EnumSet.noneOf(Capability.class);
      if (!request.tools().isEmpty()) {
        caps.add(Capability.TOOLS);
      }
      ResponseFormat f = request.responseFormat();
      if (f != null && f.type() == ResponseFormat.Type.JSON_SCHEMA) {
        caps.add(Capability.JSON_SCHEMA);
      } else if (f != null && f.type() == ResponseFormat.Type.JSON_OBJECT) {
        caps.add(Capability.JSON_OBJECT);
      }
      required = Set.copyOf(caps);
    }
    return required;
  }

  /**
   * @param model a model id
   * @return why the model cannot serve this request, or empty when it can (or the catalog does not
   *     describe it, so nothing is known against it)
   */
  public Optional<String> ineligibility(String model) {
    Optional<ModelInfo> found = models.find(model);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ModelInfo info = found.get();
    for (Capability c : requiredCapabilities()) {
      if (!info.supports(c)) {
        return Optional.of("lacks capability " + c);
      }
    }
    if (upperBound() + reservedOutputTokens() <= info.contextWindow()) {
      return Optional.empty();
    }
    long needed = (long) inputTokens() + reservedOutputTokens();
    if (needed > info.contextWindow()) {
      return Optional.of("context window " + info.contextWindow() + " < " + inputTokens() + " input + "
          + reservedOutputTokens() + " output tokens");
    }
    return Optional.empty();
  }

  /**
   * A bound on the input tokens that needs no tokenizer: a token covers at least one UTF-8 byte, a
   * {@code char} takes at most three bytes, each message adds framing, and estimates for models
   * without a known tokenizer scale counts by at most 1.15. Requests with tools, tool calls or a schema
   * get no bound (their JSON is counted exactly).
   */
  private long upperBound() {
    if (upperBound < 0) {
      long bound = Long.MAX_VALUE / 4;
      if (request.tools().isEmpty() && request.responseFormat() == null) {
        long chars = 0;
        boolean toolCalls = false;
        for (ChatMessage m : request.messages()) {
          chars += m.content().length();
          toolCalls |= !m.toolCalls().isEmpty();
        }
        if (!toolCalls) {
          bound = (long) Math.ceil(1.2 * (3 * chars + 8L * request.messages().size() + 8));
        }
      }
      upperBound = bound;
    }
    return upperBound;
  }

  /**
   * @param model a model id
   * @return whether the model can serve this request
   */
  public boolean fits(String model) {
    return ineligibility(model).isEmpty();
  }

  /**
   * @param model a catalog model id
   * @return the estimated cost of serving this request with it (output: {@code maxTokens}, or
   *     {@value #DEFAULT_OUTPUT_ESTIMATE} tokens)
   */
  public BigDecimal estimatedCost(String model) {
    int out = request.maxTokens() == null ? DEFAULT_OUTPUT_ESTIMATE : request.maxTokens();
    return models.estimateCost(model, inputTokens(), out);
  }

  /** @return the catalog models that can serve this request, cheapest first (ties keep catalog order) */
  public List<String> eligibleByCost() {
    List<String> eligible = new ArrayList<>();
    for (String id : models.ids()) {
      if (fits(id)) {
        eligible.add(id);
      }
    }
    eligible.sort(Comparator.comparing(this::estimatedCost));
    return eligible;
  }
}
