package dev.kiai.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.core.error.AuthenticationException;
import dev.kiai.core.error.ContextLengthExceededException;
import dev.kiai.core.error.InvalidRequestException;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.error.RateLimitedException;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderErrorsTest {

  @ParameterizedTest
  @CsvSource({"1s, 1000", "6m0s, 360000", "20ms, 20", "1h2m3.5s, 3723500", "0.5s, 500", "250us, 0.25", "7ns, 0.000007"})
  void parsesGoDurations(String text, double millis) {
    assertThat(ProviderErrors.goDuration(text)).isEqualTo(Duration.ofNanos(Math.round(millis * 1_000_000)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "soon", "1", "1s junk", "s", "-1s"})
  void rejectsWhatIsNotAGoDuration(String text) {
    assertThat(ProviderErrors.goDuration(text)).isNull();
  }

  @Test
  void retryAfterReadsMillisecondsSecondsAndHttpDates() {
    Instant now = Instant.parse("2025-10-15T12:00:00Z");
    assertThat(ProviderErrors.retryAfter(Headers.of("Retry-After", "7"), now)).isEqualTo(Duration.ofSeconds(7));
    assertThat(ProviderErrors.retryAfter(Headers.of("retry-after", "1.5"), now)).isEqualTo(Duration.ofMillis(1500));
    assertThat(ProviderErrors.retryAfter(Headers.of("retry-after-ms", "20", "Retry-After", "1"), now))
        .isEqualTo(Duration.ofMillis(20));
    assertThat(ProviderErrors.retryAfter(Headers.of("Retry-After", "Wed, 15 Oct 2025 12:00:30 GMT"), now))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(ProviderErrors.retryAfter(Headers.of("Retry-After", "Wed, 15 Oct 2025 11:00:00 GMT"), now))
        .isEqualTo(Duration.ZERO);
    assertThat(ProviderErrors.retryAfter(Headers.of("Retry-After", "later"), now)).isNull();
    assertThat(ProviderErrors.retryAfter(Headers.of("Retry-After", "-3"), now)).isNull();
    assertThat(ProviderErrors.retryAfter(Headers.of(), now)).isNull();
  }

  @Test
  void parsesEveryErrorBodyShape() {
    assertThat(ProviderErrors.parse("{\"error\":{\"message\":\"m\",\"type\":\"t\",\"param\":null,\"code\":\"c\"}}", "f"))
        .isEqualTo(new ProviderErrors.ErrorBody("m", "t", "c", 0));
    assertThat(ProviderErrors.parse("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", "f"))
        .isEqualTo(new ProviderErrors.ErrorBody("Overloaded", "overloaded_error", null, 0));
    assertThat(ProviderErrors.parse("{\"error\":\"model 'llama9' not found\"}", "f"))
        .isEqualTo(new ProviderErrors.ErrorBody("model 'llama9' not found", null, null, 0));
    assertThat(ProviderErrors.parse("{\"object\":\"error\",\"message\":\"bad\",\"type\":\"BadRequestError\",\"code\":400}", "f"))
        .isEqualTo(new ProviderErrors.ErrorBody("bad", "BadRequestError", null, 400));
    assertThat(ProviderErrors.parse("{\"error\":{\"type\":\"server_error\"}}", "HTTP 500"))
        .isEqualTo(new ProviderErrors.ErrorBody("HTTP 500", "server_error", null, 0));
    assertThat(ProviderErrors.parse("<html>Bad Gateway</html>", "HTTP 502").message()).isEqualTo("<html>Bad Gateway</html>");
    assertThat(ProviderErrors.parse("", "HTTP 502").message()).isEqualTo("HTTP 502");
    assertThat(ProviderErrors.parse("{\"unrelated\":true}", "HTTP 500").message()).isEqualTo("{\"unrelated\":true}");
  }

  @Test
  void infersTheStatusOfAnErrorInsideAStream() {
    assertThat(status("rate_limit_error", null)).isEqualTo(429);
    assertThat(status("overloaded_error", null)).isEqualTo(529);
    assertThat(status("invalid_request_error", null)).isEqualTo(400);
    assertThat(status("authentication_error", null)).isEqualTo(401);
    assertThat(status("permission_error", null)).isEqualTo(403);
    assertThat(status("not_found_error", null)).isEqualTo(404);
    assertThat(status("request_too_large", null)).isEqualTo(413);
    assertThat(status("billing_error", null)).isEqualTo(402);
    assertThat(status("insufficient_quota", "insufficient_quota")).isEqualTo(429);
    assertThat(status("api_error", null)).isEqualTo(500);
    assertThat(status("server_error", null)).isEqualTo(500);
    assertThat(ProviderErrors.inferStatus(new ProviderErrors.ErrorBody("m", "BadRequestError", null, 400))).isEqualTo(400);
  }

  private static int status(String type, String code) {
    return ProviderErrors.inferStatus(new ProviderErrors.ErrorBody("m", type, code, 0));
  }

  @Test
  void classifiesByStatusAndFacts() {
    ProviderErrors.ErrorBody body = new ProviderErrors.ErrorBody("m", "t", null, 0);
    assertThat(ProviderErrors.classify("p", "m", 400, 400, body, null, false, true))
        .isInstanceOf(ContextLengthExceededException.class);
    assertThat(ProviderErrors.classify("p", "m", 429, 429, body, Duration.ofSeconds(1), false, false))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryable()).isTrue());
    assertThat(ProviderErrors.classify("p", "m", 402, 402, body, null, false, false))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.quotaExhausted()).isTrue());
    assertThat(ProviderErrors.classify("p", "m", 403, 403, body, null, false, false))
        .isInstanceOf(AuthenticationException.class);
    assertThat(ProviderErrors.classify("p", "m", 422, 422, body, null, false, false))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(ProviderErrors.classify("p", "m", 408, 408, body, null, false, false))
        .isInstanceOf(ProviderUnavailableException.class);
    assertThat(ProviderErrors.classify("p", "m", 200, 529, body, null, false, false))
        .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> assertThat(e.httpStatus()).isEqualTo(200));
    assertThat(ProviderErrors.classify("p", "m", 302, 302, body, null, false, false))
        .isInstanceOf(ProviderUnavailableException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
      "the request exceeds the available context size, try increasing it",
      "prompt is too long: 208310 tokens > 200000 maximum",
      "Input is too long for requested model.",
      "input length exceeds the context length",
      "context_length_exceeded",
      "The number of tokens to keep from the initial prompt is greater than the context length"})
  void recognisesContextOverflowWording(String message) {
    assertThat(ProviderErrors.mentionsContextLength(message)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Rate limit reached for requests", "Invalid value for 'temperature'", "model not found"})
  void doesNotMistakeOtherErrorsForContextOverflow(String message) {
    assertThat(ProviderErrors.mentionsContextLength(message)).isFalse();
  }
}
