package dev.kiai.benchmarks;

import dev.kiai.core.Kiai;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.pricing.PriceTable;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
import dev.kiai.router.ModelCatalog;
import dev.kiai.router.ResilienceConfig;
import dev.kiai.router.RouterInterceptor;
import dev.kiai.router.RoutingPolicy;
import dev.kiai.router.Rule;
import dev.kiai.router.RulesPolicy;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
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
 * A whole request through Kiai against a local MockWebServer, with and without the router stage
 * (rules, cheapest-eligible policy, circuit breaker, retry, per-provider rate limiter and bulkhead). The
 * difference of the p50s is what routing and resilience add. Target: at most 200 µs. Both ends of the
 * loopback connection disable Nagle's algorithm (see {@link NoDelaySockets}).
 *
 * <pre>java -jar benchmarks/target/kiai-benchmarks.jar RouterChainBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class RouterChainBenchmark {
  private static final String BODY = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1741569952,"
      + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Hello there.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}";

  private MockWebServer server;
  private OpenAiCompatibleChatModel model;
  private Kiai direct;
  private Kiai routed;
  private RouterInterceptor router;
  private ChatRequest request;

  /** Starts the server and both Kiai instances. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    server = new MockWebServer();
    server.setServerSocketFactory(NoDelaySockets.server());
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest recorded) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(BODY).build();
      }
    });
    server.start();
    model = OpenAiCompatibleChatModel.builder().baseUrl(server.url("/v1").toString()).apiKey("k")
        .defaultModel("gpt-4o-mini")
        .httpClient(new okhttp3.OkHttpClient.Builder().socketFactory(NoDelaySockets.client()).build()).build();
    direct = Kiai.builder().model("gpt-4o-mini", model).build();
    router = RouterInterceptor.builder()
        .catalog(ModelCatalog.of(PriceTable.bundled(), "gpt-4o-mini", "gpt-4.1"))
        .policy(RoutingPolicy.firstOf(RulesPolicy.of(Rule.named("legal").feature("legal").routeTo("gpt-4.1")),
            RoutingPolicy.cheapestEligible()))
        .resilience(ResilienceConfig.builder().maxConcurrentCalls(64).build())
        .rateLimit("openai", ResilienceConfig.rateLimit(1_000_000, java.time.Duration.ofSeconds(1)))
        .build();
    routed = Kiai.builder().model("gpt-4o-mini", model).model("gpt-4.1", model).interceptor(router).build();
    request = ChatRequest.builder().addUser("Say hello.").maxTokens(20).build();
  }

  /** Stops everything. */
  @TearDown(Level.Trial)
  public void tearDown() {
    router.close();
    direct.close();
    routed.close();
    model.close();
    server.close();
  }

  /** @return the answer without a router */
  @Benchmark
  public ChatResponse direct() {
    return direct.chat(request.toBuilder().model("gpt-4o-mini").build());
  }

  /** @return the answer through the router and its resilience guards */
  @Benchmark
  public ChatResponse routed() {
    return routed.chat(request);
  }
}
