package dev.kiai.eval;

import dev.kiai.core.chat.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One case of a golden set: an input (a prompt, template variables or a conversation), an optional
 * expected answer, the assertions the answer must pass, tags and a weight.
 *
 * @param id unique id within the set
 * @param prompt a single user message, or null
 * @param vars template variables (used with {@code template}), immutable, possibly empty
 * @param messages a conversation, possibly empty
 * @param template {@code id@version} of the prompt template to render {@code vars} with, or null
 * @param expected the reference answer, or null
 * @param assertions what the answer must satisfy, possibly empty (then the case passes when the model
 *     answered)
 * @param tags labels such as {@code must-pass}
 * @param weight weight of the case in the weighted pass rate, &gt; 0
 * @param contexts source documents given with the case, possibly empty
 */
public record GoldenCase(
    String id, String prompt, Map<String, Object> vars, List<ChatMessage> messages, String template,
    String expected, List<AssertionSpec> assertions, List<String> tags, double weight, List<ContextDoc> contexts) {

  /** The tag that makes a failing case fail the gate regardless of the pass rate. */
  public static final String MUST_PASS = "must-pass";

  public GoldenCase {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    vars = vars == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    messages = messages == null ? List.of() : List.copyOf(messages);
    assertions = assertions == null ? List.of() : List.copyOf(assertions);
    tags = tags == null ? List.of() : List.copyOf(tags);
    contexts = contexts == null ? List.of() : List.copyOf(contexts);
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be a positive number, was " + weight);
    }
    int inputs = (prompt != null ? 1 : 0) + (!messages.isEmpty() ? 1 : 0) + (template != null ? 1 : 0);
    if (inputs != 1) {
      throw new IllegalArgumentException("case " + id
          + ": exactly one of prompt, messages or template (with vars) is required, found " + inputs);
    }
    if (!vars.isEmpty() && template == null) {
      throw new IllegalArgumentException("case " + id + ": vars need a template");
    }
  }

  /**
   * @param id the case id
   * @param prompt the user message
   * @return a builder for a prompt case
   */
  public static Builder builder(String id, String prompt) {
    Builder b = new Builder(id);
    b.prompt = prompt;
    return b;
  }

  /** @return a builder for a case with {@code messages} or a {@code template}; set one of them */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** @param tag a tag @return true when the case carries it */
  public boolean hasTag(String tag) {
    return tags.contains(tag);
  }

  /** Builds a {@link GoldenCase}. */
  public static final class Builder {
    private final String id;
    private String prompt;
    private Map<String, Object> vars = Map.of();
    private List<ChatMessage> messages = List.of();
    private String template;
    private String expected;
    private final List<AssertionSpec> assertions = new ArrayList<>();
    private List<String> tags = List.of();
    private double weight = 1.0;
    private List<ContextDoc> contexts = List.of();

    private Builder(String id) {
      this.id = id;
    }

    /** @param messages the conversation @return this */
    public Builder messages(List<ChatMessage> messages) {
      this.messages = messages;
      return this;
    }

    /** @param template {@code id@version} @param vars its variables @return this */
    public Builder template(String template, Map<String, Object> vars) {
      this.template = template;
      this.vars = vars;
      return this;
    }

    /** @param expected the reference answer @return this */
    public Builder expected(String expected) {
      this.expected = expected;
      return this;
    }

    /** @param spec an assertion @return this */
    public Builder addAssertion(AssertionSpec spec) {
      assertions.add(Objects.requireNonNull(spec, "spec"));
      return this;
    }

    /** @param type type, optionally {@code not-} prefixed @param value value or null @return this */
    public Builder assertThat(String type, Object value) {
      return addAssertion(AssertionSpec.of(type, value));
    }

    /** @param tags the tags @return this */
    public Builder tags(List<String> tags) {
      this.tags = tags;
      return this;
    }

    /** @param weight &gt; 0 @return this */
    public Builder weight(double weight) {
      this.weight = weight;
      return this;
    }

    /** @param contexts source documents @return this */
    public Builder contexts(List<ContextDoc> contexts) {
      this.contexts = contexts;
      return this;
    }

    /** @return the case */
    public GoldenCase build() {
      return new GoldenCase(id, prompt, vars, messages, template, expected, assertions, tags, weight, contexts);
    }
  }
}
