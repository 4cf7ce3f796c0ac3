package dev.kiai.router;

import dev.kiai.core.pricing.Capability;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One routing rule of a {@link RulesPolicy}: conditions (all must hold) and the route taken when they do.
 * Conditions look at the request's feature, template, tenant, tags, prompt text and required
 * capabilities, or at anything through {@link Builder#when}. Immutable.
 *
 * <pre>{@code
 * Rule legal = Rule.named("legal-premium").feature("legal").routeTo("gpt-4.1", "claude-sonnet-4-5");
 * Rule sql = Rule.named("sql").promptMatches("(?i)\\bselect\\b.+\\bfrom\\b").routeTo("gpt-4.1-mini");
 * }</pre>
 *
 * @param name the rule's name, recorded in the trace
 * @param description what the conditions check, recorded in the trace
 * @param condition all conditions, combined
 * @param model the model to route to
 * @param fallbacks models to fall back to, in order
 */
public record Rule(String name, String description, Predicate<RoutingInput> condition, String model,
    List<String> fallbacks) {

  /** Request-context attribute holding the request's tags: a {@code Collection<String>} or a comma-separated string. */
  public static final String TAGS_ATTRIBUTE = "kiai.router.tags";

  public Rule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(model, "model");
    fallbacks = List.copyOf(Objects.requireNonNull(fallbacks, "fallbacks"));
  }

  /**
   * @param name the rule's name
   * @return a builder for a rule with that name
   */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /**
   * @param input a request
   * @return whether every condition holds
   */
  public boolean matches(RoutingInput input) {
    return condition.test(input);
  }

  /** Builds a {@link Rule}; conditions accumulate and must all hold. */
  public static final class Builder {
    private final String name;
    private final List<String> descriptions = new ArrayList<>();
    private Predicate<RoutingInput> condition = in -> true;

    private Builder(String name) {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
      this.name = name;
    }

    /**
     * @param feature the request context's feature must equal this
     * @return this
     */
    public Builder feature(String feature) {
      Objects.requireNonNull(feature, "feature");
      return when("feature=" + feature, in -> feature.equals(in.context().feature()));
    }

    /**
     * @param templateId the request must be rendered from this template id (any version)
     * @return this
     */
    public Builder template(String templateId) {
      Objects.requireNonNull(templateId, "templateId");
      return when("template=" + templateId,
          in -> in.context().template() != null && templateId.equals(in.context().template().id()));
    }

    /**
     * @param tenant the request context's tenant must equal this
     * @return this
     */
    public Builder tenant(String tenant) {
      Objects.requireNonNull(tenant, "tenant");
      return when("tenant=" + tenant, in -> tenant.equals(in.context().tenant()));
    }

    /**
     * @param tag the request must carry this tag in {@link #TAGS_ATTRIBUTE}
     * @return this
     */
    public Builder tag(String tag) {
      Objects.requireNonNull(tag, "tag");
      return when("tag=" + tag, in -> hasTag(in, tag));
    }

    /**
     * @param regex a pattern that must be found in the last user message
     * @return this
     */
    public Builder promptMatches(String regex) {
      Pattern p = Pattern.compile(Objects.requireNonNull(regex, "regex"));
      return when("prompt~/" + regex + "/", in -> p.matcher(in.prompt()).find());
    }

    /**
     * @param capability the request must require this capability (tools, JSON Schema...)
     * @return this
     */
    public Builder requires(Capability capability) {
      Objects.requireNonNull(capability, "capability");
      return when("requires " + capability, in -> in.requiredCapabilities().contains(capability));
    }

    /**
     * @param minTokens the prompt must have at least this many input tokens
     * @return this
     */
    public Builder inputTokensAtLeast(int minTokens) {
      if (minTokens < 0) {
        throw new IllegalArgumentException("minTokens must be >= 0, was " + minTokens);
      }
      return when("input_tokens>=" + minTokens, in -> in.inputTokens() >= minTokens);
    }

    /**
     * @param description what the condition checks, for the trace
     * @param predicate any condition on the request
     * @return this
     */
    public Builder when(String description, Predicate<RoutingInput> predicate) {
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(predicate, "predicate");
      descriptions.add(description);
      condition = condition.and(predicate);
      return this;
    }

    /**
     * @param model the model to route to when the conditions hold
     * @param fallbacks models to fall back to, in order
     * @return the rule
     */
    public Rule routeTo(String model, String... fallbacks) {
      return new Rule(name, descriptions.isEmpty() ? "always" : String.join(" & ", descriptions), condition,
          model, List.of(fallbacks));
    }
  }

  private static boolean hasTag(RoutingInput in, String tag) {
    Object v = in.context().attributes().get(TAGS_ATTRIBUTE);
    if (v instanceof Collection<?> c) {
      return c.contains(tag);
    }
    if (v instanceof String s) {
      for (String part : s.split(",")) {
        if (part.trim().equals(tag)) {
          return true;
        }
      }
    }
    return false;
  }
}
