package dev.kiai.core.budget;

import java.time.Instant;
import java.util.Objects;

/**
 * What a request may cost, as the ledger sees it before the call: who it is for (the scopes it is
 * charged to), the model, the exact input tokens and the output limit.
 *
 * @param requestId the request id, for cost per outcome; may be null
 * @param tenant tenant scope value, or null
 * @param user user scope value, or null
 * @param feature feature scope value, or null
 * @param template template id scope value, or null
 * @param model the model the request asks for
 * @param inputTokens prompt tokens of the request
 * @param minInputTokens prompt tokens the request cannot go below (system prompt and newest turn);
 *     equal to {@code inputTokens} when its history cannot be trimmed
 * @param maxTokens the output limit
 * @param at the instant to charge at, or null for the ledger's clock (simulations set it)
 */
public record Charge(String requestId, String tenant, String user, String feature, String template, String model,
    long inputTokens, long minInputTokens, int maxTokens, Instant at) {

  /** @throws IllegalArgumentException naming the field when a count is out of range */
  public Charge {
    Objects.requireNonNull(model, "model");
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    if (inputTokens < 0) {
      throw new IllegalArgumentException("inputTokens must be >= 0, was " + inputTokens);
    }
    if (minInputTokens < 0 || minInputTokens > inputTokens) {
      throw new IllegalArgumentException("minInputTokens must be within 0..inputTokens (" + inputTokens
          + "), was " + minInputTokens);
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
    }
  }

  /**
   * @param scope a scope name: tenant, user, feature or template
   * @return this charge's value for it, or null
   */
  public String scopeValue(String scope) {
    switch (scope) {
      case "tenant":
        return tenant;
      case "user":
        return user;
      case "feature":
        return feature;
      case "template":
        return template;
      default:
        throw new IllegalArgumentException("unknown scope name '" + scope + "'; known: tenant, user, feature, template");
    }
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Charge}; {@code model} and {@code maxTokens} are required. */
  public static final class Builder {
    private String requestId;
    private String tenant;
    private String user;
    private String feature;
    private String template;
    private String model;
    private long inputTokens;
    private Long minInputTokens;
    private int maxTokens;
    private Instant at;

    private Builder() {}

    /** @param requestId request id @return this */
    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    /** @param tenant tenant @return this */
    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    /** @param user user @return this */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** @param feature feature @return this */
    public Builder feature(String feature) {
      this.feature = feature;
      return this;
    }

    /** @param template template id @return this */
    public Builder template(String template) {
      this.template = template;
      return this;
    }

    /** @param model model id @return this */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /** @param inputTokens prompt tokens @return this */
    public Builder inputTokens(long inputTokens) {
      this.inputTokens = inputTokens;
      return this;
    }

    /** @param minInputTokens prompt tokens history trimming cannot go below; default inputTokens @return this */
    public Builder minInputTokens(long minInputTokens) {
      this.minInputTokens = minInputTokens;
      return this;
    }

    /** @param maxTokens output limit @return this */
    public Builder maxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /** @param at instant to charge at; the ledger's clock when null @return this */
    public Builder at(Instant at) {
      this.at = at;
      return this;
    }

    /** @return the charge */
    public Charge build() {
      return new Charge(requestId, tenant, user, feature, template, model, inputTokens,
          minInputTokens == null ? inputTokens : minInputTokens, maxTokens, at);
    }
  }
}
