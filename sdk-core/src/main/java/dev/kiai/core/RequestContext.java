package dev.kiai.core;

import dev.kiai.core.prompt.TemplateRef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who a request is for and why: request id, tenant, user, feature, the template it was rendered from,
 * a deadline, and free attributes. Budgets, caches, routers and telemetry key their decisions on it.
 *
 * @param requestId unique id of this request; generated when not given
 * @param tenant the customer or organisation, or null
 * @param user the end user, or null
 * @param feature the application feature, e.g. {@code support-summary}, or null
 * @param template the prompt template the request was rendered from, or null
 * @param deadline when the caller stops waiting, or null for no deadline
 * @param attributes free-form values for interceptors (immutable copy)
 */
public record RequestContext(
    String requestId, String tenant, String user, String feature, TemplateRef template, Instant deadline,
    Map<String, Object> attributes) {

  /** A context with a fresh request id and nothing else. */
  public static RequestContext empty() {
    return builder().build();
  }

  public RequestContext {
    requestId = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId;
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /**
   * @param key attribute name
   * @return the attribute, if set
   */
  public Optional<Object> attribute(String key) {
    return Optional.ofNullable(attributes.get(key));
  }

  /** @return the deadline, if any */
  public Optional<Instant> deadlineIfAny() {
    return Optional.ofNullable(deadline);
  }

  /** @return a builder prefilled with this context */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.requestId = requestId;
    b.tenant = tenant;
    b.user = user;
    b.feature = feature;
    b.template = template;
    b.deadline = deadline;
    b.attributes.putAll(attributes);
    return b;
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RequestContext}. */
  public static final class Builder {
    private String requestId;
    private String tenant;
    private String user;
    private String feature;
    private TemplateRef template;
    private Instant deadline;
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    private Builder() {}

    /** @param requestId unique id; a UUID is generated when not set @return this */
    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    /** @param tenant customer or organisation @return this */
    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    /** @param user end user @return this */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** @param feature application feature @return this */
    public Builder feature(String feature) {
      this.feature = feature;
      return this;
    }

    /** @param template template the request was rendered from @return this */
    public Builder template(TemplateRef template) {
      this.template = template;
      return this;
    }

    /** @param deadline when the caller stops waiting @return this */
    public Builder deadline(Instant deadline) {
      this.deadline = deadline;
      return this;
    }

    /** @param key name @param value value (non-null) @return this */
    public Builder attribute(String key, Object value) {
      attributes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** @return the context */
    public RequestContext build() {
      return new RequestContext(requestId, tenant, user, feature, template, deadline, attributes);
    }
  }
}
