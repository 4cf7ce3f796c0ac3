package dev.kiai.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiai.core.Kiai;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Overhead of one {@link Kiai#chat} call (OpenAI-compatible provider, telemetry interceptor with a
 * Micrometer registry and the no-op OpenTelemetry, pricing and trace) against a bare OkHttp call that
 * posts the same JSON body to the same local MockWebServer endpoint and parses the answer with Jackson.
 * Both share the loopback round trip, so the difference is what Kiai adds.
 *
 * <p>Run: {@code java -jar benchmarks/target/kiai-benchmarks.jar KiaiOverhead -f 1 -wi 3 -w 3s -i 5 -r 5s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class KiaiOverheadBenchmark {
  static final String ANSWER = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1730000000,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"The parcel left our warehouse yesterday.\",\"refusal\":null},\"logprobs\":null,"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":41,\"completion_tokens\":9,\"total_tokens\":50,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":"
      + "{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
      + "\"rejected_prediction_tokens\":0}},\"system_fingerprint\":\"fp_1\"}";
  static final MediaType JSON = MediaType.get("application/json");

  MockWebServer server;
  OkHttpClient bare;
  OkHttpClient bareWithTimeouts;
  Request bareRequest;
  ObjectMapper mapper;
  OpenAiCompatibleChatModel model;
  Kiai kiai;
  Kiai kiaiPlain;
  ChatRequest request;

  @Setup(Level.Trial)
  public void start() throws IOException {
    server = new MockWebServer();
    server.setServerSocketFactory(NoDelaySockets.server());
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest recorded) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(ANSWER)
            .build();
      }
    });
    server.start();
    String base = server.url("/v1").toString();
    mapper = new ObjectMapper();
    bare = new OkHttpClient();
    bareWithTimeouts = bare.newBuilder().connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofMinutes(5))
        .callTimeout(Duration.ofMinutes(10)).build();
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a support "
        + "agent. Answer briefly.\"},{\"role\":\"user\",\"content\":\"Where is my parcel?\"}],\"max_tokens\":200}";
    bareRequest = new Request.Builder().url(base + "/chat/completions")
        .header("Authorization", "Bearer test").post(RequestBody.create(body, JSON)).build();
    model = OpenAiCompatibleChatModel.builder().baseUrl(base).apiKey("test").defaultModel("gpt-4o-mini").build();
    kiai = Kiai.builder().model(model).meterRegistry(new SimpleMeterRegistry())
        .openTelemetry(OpenTelemetry.noop()).build();
    kiaiPlain = Kiai.builder().model(model).build();
    request = ChatRequest.builder().model("gpt-4o-mini").addSystem("You are a support agent. Answer briefly.")
        .addUser("Where is my parcel?").maxTokens(200).build();
  }

  /** Drops the requests MockWebServer records, so memory stays flat over long runs. */
  @TearDown(Level.Iteration)
  public void drain() throws InterruptedException {
    while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
      // discard
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    kiai.close();
    kiaiPlain.close();
    model.close();
    bare.dispatcher().executorService().shutdown();
    bare.connectionPool().evictAll();
    server.close();
  }

  /** Baseline: the same POST with OkHttp, answer parsed with Jackson. */
  @Benchmark
  public String bareOkHttp() throws IOException {
    try (Response response = bare.newCall(bareRequest).execute()) {
      JsonNode root = mapper.readTree(response.body().byteStream());
      return root.path("choices").path(0).path("message").path("content").asText();
    }
  }

  /**
   * Second baseline: the same bare call on a client with the timeouts Kiai's provider sets by default
   * (connect 10 s, read 5 min, whole call 10 min), so that what remains is mapping, chain and telemetry.
   */
  @Benchmark
  public String bareOkHttpWithTimeouts() throws IOException {
    try (Response response = bareWithTimeouts.newCall(bareRequest).execute()) {
      JsonNode root = mapper.readTree(response.body().byteStream());
      return root.path("choices").path(0).path("message").path("content").asText();
    }
  }

  /** The provider alone, without Kiai's chain: where the provider's own mapping costs show. */
  @Benchmark
  public String providerOnly() {
    return model.chat(request).text();
  }

  /** Kiai without telemetry: chain, pricing and trace. */
  @Benchmark
  public String kiaiNoTelemetry() {
    return kiaiPlain.chat(request).text();
  }

  /** Kiai with telemetry on: request mapping, chain, provider, pricing, trace, meters. */
  @Benchmark
  public String kiaiWithTelemetry() {
    return kiai.chat(request).text();
  }
}
