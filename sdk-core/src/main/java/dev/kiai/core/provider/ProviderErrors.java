package dev.kiai.core.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiai.core.error.AuthenticationException;
import dev.kiai.core.error.ContextLengthExceededException;
import dev.kiai.core.error.InvalidRequestException;
import dev.kiai.core.error.ProviderException;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.error.RateLimitedException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.Response;

/**
 * Error-body parsing, retry-after headers and the status-to-exception mapping shared by the providers.
 * Providers decide the provider-specific facts (is this an exhausted quota? a context overflow?) and
 * leave the choice of exception type to {@link #classify}.
 */
final class ProviderErrors {
  /** How much of an error body is read: enough for any JSON error, bounded against huge HTML pages. */
  static final long MAX_ERROR_BODY = 64 * 1024;

  private static final Pattern CONTEXT_LENGTH = Pattern.compile(
      "maximum context length|context[ _]length[ _]exceeded|exceeds? the available context size"
          + "|exceeds? (?:the )?(?:model'?s? )?(?:maximum )?context (?:length|window|size|limit)"
          + "|greater than the context length|prompt is too long|input is too long"
          + "|context window (?:is )?exceeded",
      Pattern.CASE_INSENSITIVE);

  private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|us|µs|ns)");

  private ProviderErrors() {}

  /**
   * The facts of a provider's error answer.
   *
   * @param message human-readable message, never null
   * @param type the error's {@code type}, or null
   * @param code a textual {@code code} (OpenAI {@code insufficient_quota}), or null
   * @param numericCode a numeric {@code code} (vLLM, llama.cpp send the HTTP status), or 0
   */
  record ErrorBody(String message, String type, String code, int numericCode) {
    /** @return the most specific identifier: the textual code, else the type */
    String errorType() {
      return code != null ? code : type;
    }

    boolean is(String value) {
      return value.equals(code) || value.equals(type);
    }
  }

  /**
   * Parses an error answer's body: {@code {"error":{"message","type","code"}}} (OpenAI, Anthropic,
   * llama.cpp), {@code {"error":"text"}} (Ollama), a top-level {@code message}/{@code type}/{@code code}
   * (older vLLM), or plain text.
   *
   * @param body the body text, possibly empty
   * @param fallback message used when the body has none
   */
  static ErrorBody parse(String body, String fallback) {
    if (body != null && !body.isBlank()) {
      try {
        ErrorBody parsed = fromJson(ProviderJson.MAPPER.readTree(body));
        if (parsed != null) {
          return parsed.message() == null ? new ErrorBody(fallback, parsed.type(), parsed.code(),
              parsed.numericCode()) : parsed;
        }
      } catch (JsonProcessingException notJson) {
        // plain text or HTML: use it as the message below
      }
      String text = body.strip();
      return new ErrorBody(text.length() > 300 ? text.substring(0, 300) + "..." : text, null, null, 0);
    }
    return new ErrorBody(fallback, null, null, 0);
  }

  /**
   * @param root a parsed JSON answer or stream chunk
   * @return its error, or null when it carries none (message may be null when only a type was sent)
   */
  static ErrorBody fromJson(JsonNode root) {
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      return of(error);
    }
    if (error != null && error.isTextual()) {
      return new ErrorBody(error.asText(), ProviderJson.text(root, "type"), null, 0);
    }
    if ("error".equals(ProviderJson.text(root, "object")) && root.has("message")) {
      return of(root);
    }
    return null;
  }

  private static ErrorBody of(JsonNode e) {
    JsonNode code = e.path("code");
    String textCode = code.isTextual() && !code.asText().isEmpty() ? code.asText() : null;
    int numeric = code.isInt() ? code.asInt() : 0;
    return new ErrorBody(ProviderJson.text(e, "message"), ProviderJson.text(e, "type"), textCode, numeric);
  }

  /**
   * Reads an error answer's body, bounded by {@link #MAX_ERROR_BODY}.
   *
   * @return the text, or "" when it cannot be read
   */
  static String readBody(Response response) {
    try {
      return response.peekBody(MAX_ERROR_BODY).string();
    } catch (IOException | IllegalStateException e) {
      return "";
    }
  }

  /**
   * The HTTP status an error sent inside a successful answer (a stream's error event) would have had,
   * from its numeric code or its type.
   */
  static int inferStatus(ErrorBody error) {
    if (error.numericCode() >= 400 && error.numericCode() <= 599) {
      return error.numericCode();
    }
    String kind = ((error.type() == null ? "" : error.type()) + " " + (error.code() == null ? "" : error.code()))
        .toLowerCase(Locale.ROOT);
    if (kind.contains("context_length") || kind.contains("exceed_context")) {
      return 400;
    } else if (kind.contains("rate_limit") || kind.contains("insufficient_quota")) {
      return 429;
    } else if (kind.contains("billing")) {
      return 402;
    } else if (kind.contains("overloaded")) {
      return 529;
    } else if (kind.contains("authentication") || kind.contains("invalid_api_key")) {
      return 401;
    } else if (kind.contains("permission")) {
      return 403;
    } else if (kind.contains("not_found")) {
      return 404;
    } else if (kind.contains("too_large")) {
      return 413;
    } else if (kind.contains("invalid_request") || kind.contains("badrequest") || kind.contains("bad_request")) {
      return 400;
    } else if (kind.contains("timeout")) {
      return 504;
    }
    return 500;
  }

  /** @return true when the message says the prompt does not fit the context window, in any server's words */
  static boolean mentionsContextLength(String message) {
    return message != null && CONTEXT_LENGTH.matcher(message).find();
  }

  /**
   * Reads the standard wait hints: {@code retry-after-ms} (milliseconds, OpenAI) and {@code Retry-After}
   * (seconds or an HTTP date).
   *
   * @param now the current time, for HTTP dates
   * @return the wait, or null when no usable header is present
   */
  static Duration retryAfter(Headers headers, Instant now) {
    String millis = headers.get("retry-after-ms");
    if (millis != null) {
      Double ms = number(millis);
      if (ms != null) {
        return Duration.ofNanos(Math.round(ms * 1_000_000));
      }
    }
    String value = headers.get("Retry-After");
    if (value == null || value.isBlank()) {
      return null;
    }
    Double seconds = number(value);
    if (seconds != null) {
      return Duration.ofMillis(Math.round(seconds * 1000));
    }
    try {
      Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Double number(String text) {
    try {
      double v = Double.parseDouble(text.trim());
      return Double.isFinite(v) && v >= 0 ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Parses a Go-style duration as OpenAI's {@code x-ratelimit-reset-*} headers write it: {@code 1s},
   * {@code 6m0s}, {@code 20ms}, {@code 1h2m3.5s}.
   *
   * @return the duration, or null when the text is not such a duration
   */
  static Duration goDuration(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String s = text.trim();
    Matcher m = GO_DURATION_PART.matcher(s);
    double nanos = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return null;
      }
      end = m.end();
      double v = Double.parseDouble(m.group(1));
      nanos += switch (m.group(2)) {
        case "h" -> v * 3_600e9;
        case "m" -> v * 60e9;
        case "s" -> v * 1e9;
        case "ms" -> v * 1e6;
        case "us", "µs" -> v * 1e3;
        default -> v;
      };
    }
    return end == s.length() && end > 0 ? Duration.ofNanos(Math.round(nanos)) : null;
  }

  /**
   * Chooses the exception for an error answer.
   *
   * @param provider provider name
   * @param model requested model
   * @param httpStatus the answer's real HTTP status (200 for an error inside a stream)
   * @param effectiveStatus the status that classifies the error: {@code httpStatus}, or for an error
   *     inside a successful answer the status it stands for ({@link #inferStatus})
   * @param error the parsed body
   * @param retryAfter the wait the provider asked for, or null
   * @param quotaExhausted whether the account is out of quota or credit
   * @param contextLengthExceeded whether the prompt does not fit the model
   */
  static ProviderException classify(
      String provider, String model, int httpStatus, int effectiveStatus, ErrorBody error,
      Duration retryAfter, boolean quotaExhausted, boolean contextLengthExceeded) {
    String type = error.errorType();
    String message = error.message();
    if (contextLengthExceeded) {
      return new ContextLengthExceededException(provider, model, httpStatus, type, message);
    }
    if (quotaExhausted || effectiveStatus == 429 || effectiveStatus == 402) {
      return new RateLimitedException(provider, model, httpStatus, type, message, retryAfter,
          quotaExhausted || effectiveStatus == 402);
    }
    if (effectiveStatus == 401 || effectiveStatus == 403) {
      return new AuthenticationException(provider, model, httpStatus, type, message);
    }
    if (effectiveStatus >= 400 && effectiveStatus < 500 && effectiveStatus != 408) {
      return new InvalidRequestException(provider, model, httpStatus, type, message);
    }
    return new ProviderUnavailableException(provider, model, httpStatus, type, message, null);
  }
}
