package dev.kiai.core.error;

import java.util.Optional;

/**
 * A model provider refused or failed a request. Subtypes tell what kind of failure it was; every
 * instance names the provider and model and, when the failure was an HTTP answer, its status and the
 * provider's error type and message.
 */
public abstract sealed class ProviderException extends KiaiException
    permits RateLimitedException, ProviderUnavailableException, ContextLengthExceededException,
        AuthenticationException, InvalidRequestException, ProviderTimeoutException,
        MalformedResponseException {

  private static final long serialVersionUID = 1L;

  private final String provider;
  private final String model;
  private final int httpStatus;
  private final String errorType;

  protected ProviderException(
      String provider, String model, int httpStatus, String errorType, String message, Throwable cause) {
    super(describe(provider, model, httpStatus, errorType, message), cause);
    this.provider = provider;
    this.model = model;
    this.httpStatus = httpStatus;
    this.errorType = errorType;
  }

  private static String describe(String provider, String model, int status, String type, String message) {
    StringBuilder sb = new StringBuilder();
    sb.append(provider == null ? "provider" : provider);
    if (model != null) {
      sb.append(" model ").append(model);
    }
    if (status > 0) {
      sb.append(" HTTP ").append(status);
    }
    if (type != null && !type.isEmpty()) {
      sb.append(" [").append(type).append(']');
    }
    sb.append(": ").append(message);
    return sb.toString();
  }

  /** @return the provider name, e.g. {@code openai} or {@code anthropic} */
  public String provider() {
    return provider;
  }

  /** @return the requested model id, if known */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /** @return the HTTP status of the provider's answer, or 0 when no answer was received */
  public int httpStatus() {
    return httpStatus;
  }

  /** @return the provider's own error type or code, e.g. {@code rate_limit_exceeded}, if it sent one */
  public Optional<String> errorType() {
    return Optional.ofNullable(errorType);
  }
}
