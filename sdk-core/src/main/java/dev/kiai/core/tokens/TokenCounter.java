package dev.kiai.core.tokens;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.chat.ToolCall;
import dev.kiai.core.chat.ToolDefinition;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.pricing.PriceTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Counts tokens before a request is sent, for budgets, routing and context-window checks.
 *
 * <p><b>Exact counts.</b> A model's tokens are counted exactly, with jtokkit, when its encoding is
 * known. The encoding is taken, in this order, from
 * <ol>
 *   <li>an {@link Builder#encoding(String, String) encoding override} whose prefix matches the model;
 *   <li>the {@code tokenizer} field of the model's {@link PriceTable} entry;
 *   <li>OpenAI's model names: {@code gpt-4o*}, {@code chatgpt-4o*}, {@code gpt-4.1*}, {@code gpt-4.5*},
 *       {@code gpt-5*}, {@code o1}, {@code o3}, {@code o4} (and their {@code -} variants) and
 *       {@code gpt-oss*} use {@code o200k_base}; {@code gpt-4} and {@code gpt-4-*}, {@code gpt-3.5*},
 *       {@code gpt-35*}, {@code text-embedding-3*} and {@code text-embedding-ada-002} use
 *       {@code cl100k_base}.
 * </ol>
 * Model names are compared case-insensitively; a {@code provider/} prefix such as
 * {@code openai/gpt-4o} or {@code azure/gpt-4o} is ignored by the name rules.
 *
 * <p><b>Estimates.</b> Every other model (Claude, Gemini, Llama, Mistral, unknown ids) gets a count
 * marked {@link TokenCount#exact() exact = false}: the {@code cl100k_base} count multiplied by a
 * per-family factor and rounded up. The factors are rough, English-text approximations of how many
 * tokens each family's own tokenizer produces relative to {@code cl100k_base}; other languages, code
 * and model generations can differ by tens of percent. Use them for budgeting headroom, never for
 * billing.
 * <table>
 *   <caption>Estimate factors</caption>
 *   <tr><th>model names starting with</th><th>factor</th><th>method</th></tr>
 *   <tr><td>{@code claude}</td><td>1.15</td><td>{@code estimate:cl100k_base*1.15}</td></tr>
 *   <tr><td>{@code mistral}, {@code mixtral}, {@code codestral}, {@code ministral}, {@code magistral},
 *       {@code devstral}, {@code pixtral}, {@code open-mistral}</td><td>1.10</td>
 *       <td>{@code estimate:cl100k_base*1.10}</td></tr>
 *   <tr><td>{@code gemini}, {@code gemma}, {@code llama}, {@code meta-llama}, anything else</td>
 *       <td>1.00</td><td>{@code estimate:cl100k_base}</td></tr>
 * </table>
 * An {@link Builder#estimator(String, TokenEstimator) estimator override} replaces the estimate for
 * the models it matches, e.g. with the provider's own tokenizer.
 *
 * <p>Special-token text such as {@code <|endoftext|>} is counted as ordinary text, as a provider does
 * with user input.
 *
 * <p>Immutable and thread-safe. Create one per application and share it: encodings are loaded once per
 * instance, on first use (a few hundred milliseconds for {@code o200k_base}).
 */
public final class TokenCounter {
  /** OpenAI's chat framing: every message costs this many tokens beyond its content. */
  private static final int TOKENS_PER_MESSAGE = 3;
  /** OpenAI's chat framing: every reply is primed with {@code <|start|>assistant<|message|>}. */
  private static final int REPLY_PRIMING = 3;
  private static final String ESTIMATE_BASE = "cl100k_base";
  private static final List<String> O200K_PREFIXES =
      List.of("gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "gpt-oss");
  private static final List<String> O200K_FAMILIES = List.of("o1", "o3", "o4");
  private static final List<String> CL100K_PREFIXES =
      List.of("gpt-4-", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada-002");
  private static final List<Family> FAMILIES = List.of(
      new Family(115, "claude"),
      new Family(110, "mistral", "mixtral", "codestral", "ministral", "magistral", "devstral",
          "pixtral", "open-mistral"));

  private final PriceTable prices;
  private final EncodingRegistry registry;
  private final List<Rule> overrides;

  private TokenCounter(Builder b) {
    this.prices = b.prices == null ? PriceTable.bundled() : b.prices;
    for (ModelInfo m : prices.models()) {
      if (m.tokenizer() != null && EncodingType.fromName(m.tokenizer()).isEmpty()) {
        throw new ConfigurationException("price table entry " + m.id() + " names unknown tokenizer '"
            + m.tokenizer() + "'; known: " + knownEncodings());
      }
    }
    List<Rule> sorted = new ArrayList<>(b.overrides);
    // longest prefix first; among equal prefixes the one added last wins (stable sort, reversed input)
    Collections.reverse(sorted);
    sorted.sort(Comparator.comparingInt((Rule o) -> o.prefix().length()).reversed());
    this.overrides = List.copyOf(sorted);
    this.registry = Encodings.newLazyEncodingRegistry();
  }

  /**
   * @return a counter that reads tokenizers from the bundled {@link PriceTable}
   */
  public static TokenCounter create() {
    return builder().build();
  }

  /**
   * @param prices the table whose {@code tokenizer} fields name the models' encodings
   * @return a counter using that table
   * @throws ConfigurationException when the table names an encoding jtokkit does not know
   */
  public static TokenCounter create(PriceTable prices) {
    return builder().prices(prices).build();
  }

  /** @return a builder for a counter with overrides */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param model a model id as a request names it, or null
   * @return the jtokkit encoding that counts this model's tokens exactly, or empty when Kiai can only
   *     estimate (or an {@link Builder#estimator estimator override} counts it)
   */
  public Optional<String> encodingFor(String model) {
    Plan plan = plan(model);
    return plan.exact() ? Optional.of(plan.method()) : Optional.empty();
  }

  /**
   * Counts the tokens of a text as the model would see it.
   *
   * @param model a model id, or null for an unknown model
   * @param text the text
   * @return the count, exact when the model's encoding is known, otherwise a marked estimate
   */
  public TokenCount count(String model, String text) {
    Objects.requireNonNull(text, "text");
    Plan plan = plan(model);
    if (plan.estimator() != null) {
      return Objects.requireNonNull(plan.estimator().count(text),
          () -> "the estimator for '" + plan.method() + "' returned null");
    }
    return new TokenCount(plan.scale(plan.tokens(text)), plan.exact(), plan.method());
  }

  /**
   * Counts the prompt tokens of a whole request, framing included, for {@code request.model()}.
   *
   * <p>Uses OpenAI's documented chat framing: {@value #TOKENS_PER_MESSAGE} tokens per message plus its
   * role and content, plus {@value #REPLY_PRIMING} tokens priming the reply. (OpenAI also adds one
   * token per message {@code name}; Kiai messages carry no name.) The count is exact for a model with
   * a known encoding when the request is plain messages. It is marked an estimate when
   * <ul>
   *   <li>the request defines tools (counted as their JSON definition text; the provider renders
   *       them in an undocumented format), carries tool calls or tool results, or asks for a JSON
   *       Schema response (counted as the schema text);
   *   <li>the model is estimated (the factor applies to the whole request) or counted by an
   *       {@link Builder#estimator estimator override} (the override counts each text; the framing
   *       is OpenAI's, which other families do not share).
   * </ul>
   *
   * @param request the request
   * @return its prompt tokens
   */
  public TokenCount count(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    Plan plan = plan(request.model());
    RequestTally tally = new RequestTally(plan);
    tally.framing(REPLY_PRIMING);
    for (ChatMessage m : request.messages()) {
      tally.framing(TOKENS_PER_MESSAGE);
      tally.text(m.role().name().toLowerCase(Locale.ROOT));
      tally.text(m.content());
      for (ToolCall call : m.toolCalls()) {
        tally.approximate();
        tally.text(call.name());
        tally.text(call.arguments());
      }
      if (m.toolCallId() != null) {
        tally.approximate();
        tally.text(m.toolCallId());
      }
    }
    if (!request.tools().isEmpty()) {
      tally.approximate();
      tally.text(toolsJson(request.tools()));
    }
    ResponseFormat format = request.responseFormat();
    if (format != null && format.type() == ResponseFormat.Type.JSON_SCHEMA) {
      tally.approximate();
      tally.text(format.schema());
    }
    return tally.result();
  }

  private Plan plan(String model) {
    String full = model == null ? "" : model.trim().toLowerCase(Locale.ROOT);
    String bare = full.substring(full.lastIndexOf('/') + 1);
    for (Rule o : overrides) {
      if (full.startsWith(o.prefix()) || bare.startsWith(o.prefix())) {
        return o.estimator() != null
            ? new Plan(null, false, 100, o.estimator(), "estimator:" + o.prefix())
            : exact(o.encoding());
      }
    }
    if (!full.isEmpty()) {
      Optional<ModelInfo> info = prices.find(model);
      if (info.isPresent() && info.get().tokenizer() != null) {
        return exact(info.get().tokenizer());
      }
    }
    String byName = openAiEncoding(bare);
    if (byName != null) {
      return exact(byName);
    }
    Encoding base = encoding(ESTIMATE_BASE);
    for (Family f : FAMILIES) {
      if (f.matches(bare)) {
        return new Plan(base, false, f.percent(), null, f.method());
      }
    }
    return new Plan(base, false, 100, null, "estimate:" + ESTIMATE_BASE);
  }

  private Plan exact(String encodingName) {
    return new Plan(encoding(encodingName), true, 100, null, encodingName);
  }

  private Encoding encoding(String name) {
    return registry.getEncoding(name).orElseThrow(
        () -> new ConfigurationException("unknown encoding '" + name + "'; known: " + knownEncodings()));
  }

  private static String openAiEncoding(String name) {
    for (String p : O200K_PREFIXES) {
      if (name.startsWith(p)) {
        return "o200k_base";
      }
    }
    for (String f : O200K_FAMILIES) {
      if (name.equals(f) || name.startsWith(f + "-")) {
        return "o200k_base";
      }
    }
    if (name.equals("gpt-4")) {
      return "cl100k_base";
    }
    for (String p : CL100K_PREFIXES) {
      if (name.startsWith(p)) {
        return "cl100k_base";
      }
    }
    return null;
  }

  private static String knownEncodings() {
    return Arrays.stream(EncodingType.values()).map(EncodingType::getName).collect(Collectors.joining(", "));
  }

  private static String toolsJson(List<ToolDefinition> tools) {
    JsonStringEncoder quote = JsonStringEncoder.getInstance();
    StringBuilder sb = new StringBuilder("[");
    for (ToolDefinition t : tools) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append("{\"type\":\"function\",\"function\":{\"name\":\"").append(quote.quoteAsString(t.name()))
          .append("\",\"description\":\"").append(quote.quoteAsString(t.description()))
          .append("\",\"parameters\":").append(t.parametersSchema()).append("}}");
    }
    return sb.append(']').toString();
  }

  /**
   * How one model is counted.
   *
   * @param encoding the jtokkit encoding, null when an estimator counts
   * @param exact whether counts are the model's own
   * @param percent scale factor in percent applied to encoding counts
   * @param estimator the user's estimator, or null
   * @param method the method label
   */
  private record Plan(
      Encoding encoding, boolean exact, int percent, TokenEstimator estimator, String method) {
    int tokens(String text) {
      return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    int scale(long tokens) {
      // integer arithmetic: 1.15 * 20 must be 23, not ceil(22.999...) or ceil(23.000...1)
      return Math.toIntExact((tokens * percent + 99) / 100);
    }
  }

  /** Sums a request's texts and framing under one plan. */
  private static final class RequestTally {
    private final Plan plan;
    private long tokens;
    private boolean exact;
    private String method;

    RequestTally(Plan plan) {
      this.plan = plan;
      this.exact = plan.exact();
      this.method = plan.method();
    }

    void framing(int n) {
      tokens += n;
    }

    void approximate() {
      exact = false;
    }

    void text(String text) {
      if (plan.estimator() == null) {
        tokens += plan.tokens(text);
        return;
      }
      TokenCount c = Objects.requireNonNull(plan.estimator().count(text),
          () -> "the estimator for '" + plan.method() + "' returned null");
      tokens += c.tokens();
      method = c.method();
      exact = false;
    }

    TokenCount result() {
      int total = plan.estimator() == null ? plan.scale(tokens) : Math.toIntExact(tokens);
      return new TokenCount(total, exact, method);
    }
  }

  private record Family(int percent, List<String> prefixes) {
    Family(int percent, String... prefixes) {
      this(percent, List.of(prefixes));
    }

    boolean matches(String name) {
      return prefixes.stream().anyMatch(name::startsWith);
    }

    String method() {
      return String.format(Locale.ROOT, "estimate:%s*%d.%02d", ESTIMATE_BASE, percent / 100, percent % 100);
    }
  }

  private record Rule(String prefix, String encoding, TokenEstimator estimator) {}

  /** Builds a {@link TokenCounter} with a price table and per-model overrides. */
  public static final class Builder {
    private PriceTable prices;
    private final List<Rule> overrides = new ArrayList<>();

    private Builder() {}

    /**
     * @param prices the table whose {@code tokenizer} fields name the models' encodings;
     *     {@link PriceTable#bundled()} by default
     * @return this
     */
    public Builder prices(PriceTable prices) {
      this.prices = Objects.requireNonNull(prices, "prices");
      return this;
    }

    /**
     * Counts the models whose id starts with {@code modelPrefix} exactly with a jtokkit encoding. The
     * longest matching prefix among all overrides wins; for the same prefix, the last one set wins.
     *
     * @param modelPrefix start of the model ids, case-insensitive, e.g. {@code my-finetune-}
     * @param encodingName a jtokkit encoding: {@code o200k_base}, {@code cl100k_base},
     *     {@code p50k_base}, {@code p50k_edit} or {@code r50k_base}
     * @return this
     * @throws ConfigurationException when jtokkit does not know the encoding
     */
    public Builder encoding(String modelPrefix, String encodingName) {
      String prefix = prefix(modelPrefix);
      Objects.requireNonNull(encodingName, "encodingName");
      if (EncodingType.fromName(encodingName).isEmpty()) {
        throw new ConfigurationException("unknown encoding '" + encodingName + "' for model prefix '"
            + modelPrefix + "'; known: " + knownEncodings());
      }
      overrides.add(new Rule(prefix, encodingName, null));
      return this;
    }

    /**
     * Counts the models whose id starts with {@code modelPrefix} with {@code estimator}. The longest
     * matching prefix among all overrides wins; for the same prefix, the last one set wins.
     *
     * @param modelPrefix start of the model ids, case-insensitive, e.g. {@code claude-}
     * @param estimator counts a text; thread-safe
     * @return this
     */
    public Builder estimator(String modelPrefix, TokenEstimator estimator) {
      overrides.add(new Rule(prefix(modelPrefix), null, Objects.requireNonNull(estimator, "estimator")));
      return this;
    }

    private static String prefix(String modelPrefix) {
      Objects.requireNonNull(modelPrefix, "modelPrefix");
      if (modelPrefix.isBlank()) {
        throw new IllegalArgumentException("modelPrefix must not be blank");
      }
      return modelPrefix.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * @return the counter
     * @throws ConfigurationException when the price table names an encoding jtokkit does not know
     */
    public TokenCounter build() {
      return new TokenCounter(this);
    }
  }
}
