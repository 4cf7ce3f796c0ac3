package dev.kiai.core.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.kiai.core.error.AuthenticationException;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.MalformedResponseException;
import dev.kiai.core.error.RateLimitedException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI Embeddings API against WireMock with the documented payload shape. */
class OpenAiCompatibleEmbeddingModelTest {
  private WireMockServer server;
  private OpenAiCompatibleEmbeddingModel model;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    model = OpenAiCompatibleEmbeddingModel.builder().baseUrl(server.baseUrl() + "/v1").apiKey("sk-test")
        .model("text-embedding-3-small").dimensions(3).maxBatchSize(2).build();
  }

  @AfterEach
  void stop() {
    model.close();
    server.stop();
  }

  /** OpenAI's documented answer, vectors shortened to 3 dimensions, items out of order. */
  private static String answer(String... vectors) {
    StringBuilder data = new StringBuilder();
    for (int i = vectors.length - 1; i >= 0; i--) {
      data.append(data.length() == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
          .append(",\"embedding\":").append(vectors[i]).append('}');
    }
    return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"text-embedding-3-small\","
        + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}";
  }

  @Test
  void sendsTheDocumentedRequestAndReturnsNormalisedVectorsInInputOrder() {
    server.stubFor(post(urlPathEqualTo("/v1/embeddings"))
        .withRequestBody(equalToJson("{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"],"
            + "\"encoding_format\":\"float\"}"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json")
            .withBody(answer("[3.0, 4.0, 0.0]", "[0.0, 0.0, 2.0]"))));
    server.stubFor(post(urlPathEqualTo("/v1/embeddings"))
        .withRequestBody(equalToJson("{\"model\":\"text-embedding-3-small\",\"input\":[\"c\"],"
            + "\"encoding_format\":\"float\"}"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(answer("[1, 0, 0]"))));
    List<float[]> v = model.embedAll(List.of("a", "b", "c"));
    assertThat(v.get(0)).containsExactly(0.6f, 0.8f, 0f);
    assertThat(v.get(1)).containsExactly(0f, 0f, 1f);
    assertThat(v.get(2)).containsExactly(1f, 0f, 0f);
    server.verify(2, postRequestedFor(urlPathEqualTo("/v1/embeddings"))
        .withHeader("Authorization", equalTo("Bearer sk-test")));
    assertThat(model.modelId()).isEqualTo("openai/text-embedding-3-small");
    assertThat(model.dimensions()).isEqualTo(3);
    assertThat(model.normalized()).isTrue();
  }

  @Test
  void extraHeadersFromTheSharedBuilderAreSent() {
    server.stubFor(post(urlPathEqualTo("/v1/embeddings"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(answer("[1, 0, 0]"))));
    try (OpenAiCompatibleEmbeddingModel withHeader = OpenAiCompatibleEmbeddingModel.builder()
        .baseUrl(server.baseUrl() + "/v1").apiKey("sk-test").header("OpenAI-Organization", "org-42")
        .model("text-embedding-3-small").dimensions(3).build()) {
      withHeader.embed("x");
    }
    server.verify(postRequestedFor(urlPathEqualTo("/v1/embeddings"))
        .withHeader("OpenAI-Organization", equalTo("org-42"))
        .withHeader("Authorization", equalTo("Bearer sk-test")));
  }

  @Test
  void embedOfOneTextEqualsItsBatchResult() {
    server.stubFor(post(urlPathEqualTo("/v1/embeddings"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(answer("[0.1, 0.2, 0.2]"))));
    float[] v = model.embed("hello");
    assertThat(v[0]).isCloseTo(1f / 3, within(1e-6f));
    assertThat(v[1]).isCloseTo(2f / 3, within(1e-6f));
  }

  @Test
  void rateLimitAndAuthErrorsMapToTypedExceptions() {
    server.stubFor(post(urlPathEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(429)
        .withHeader("retry-after-ms", "1500").withBody(
            "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")));
    assertThatThrownBy(() -> model.embed("x")).isInstanceOfSatisfying(RateLimitedException.class, e -> {
      assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
      assertThat(e.quotaExhausted()).isFalse();
    });
    server.resetAll();
    server.stubFor(post(urlPathEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(401).withBody(
        "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")));
    assertThatThrownBy(() -> model.embed("x")).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("Incorrect API key provided");
  }

  @Test
  void answersOfTheWrongShapeAreMalformed() {
    server.stubFor(post(urlPathEqualTo("/v1/embeddings"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(answer("[1, 0]"))));
    assertThatThrownBy(() -> model.embed("x")).isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("expected 3 dimensions, got 2");
    server.resetAll();
    server.stubFor(post(urlPathEqualTo("/v1/embeddings"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"data\":[]}")));
    assertThatThrownBy(() -> model.embed("x")).isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("expected 1 embeddings in \"data\", got 0");
  }

  @Test
  void builderRequiresModelAndDimensions() {
    assertThatThrownBy(() -> OpenAiCompatibleEmbeddingModel.builder().dimensions(3).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("model is required");
    assertThatThrownBy(() -> OpenAiCompatibleEmbeddingModel.builder().model("m").build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("dimensions is required");
    assertThatThrownBy(() -> OpenAiCompatibleEmbeddingModel.builder().maxBatchSize(0))
        .hasMessage("maxBatchSize must be within 1..2048, was 0");
  }
}
