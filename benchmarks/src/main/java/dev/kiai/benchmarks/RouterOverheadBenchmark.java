package dev.kiai.benchmarks;

import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.pricing.PriceTable;
import dev.kiai.router.ModelCatalog;
import dev.kiai.router.ResilienceConfig;
import dev.kiai.router.RouterInterceptor;
import dev.kiai.router.RoutingPolicy;
import dev.kiai.router.Rule;
import dev.kiai.router.RulesPolicy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * What the router stage adds to a request, without network noise: the same Kiai chain and router as
 * {@link RouterChainBenchmark}, in front of an in-process model that answers at once. The difference of
 * the two p50s is the router's own cost (policy, token count, circuit breaker, retry, rate limiter,
 * bulkhead, trace entries).
 *
 * <pre>java -jar benchmarks/target/kiai-benchmarks.jar RouterOverheadBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouterOverheadBenchmark {
  private Kiai direct;
  private Kiai routed;
  private RouterInterceptor router;
  private ChatRequest request;

  /** Answers at once, as the request's model. */
  static final class InstantModel implements ChatModel {
    @Override
    public ChatResponse chat(ChatRequest r) {
      return new ChatResponse("id", ChatMessage.assistant("Hello there."), FinishReason.STOP, Usage.of(12, 3), null,
          r.model(), "openai", null, null, null);
    }

    @Override
    public String provider() {
      return "openai";
    }

    @Override
    public String defaultModel() {
      return "gpt-4o-mini";
    }
  }

  /** Builds both chains. */
  @Setup(Level.Trial)
  public void setUp() {
    InstantModel model = new InstantModel();
    direct = Kiai.builder().model("gpt-4o-mini", model).build();
    router = RouterInterceptor.builder()
        .catalog(ModelCatalog.of(PriceTable.bundled(), "gpt-4o-mini", "gpt-4.1"))
        .policy(RoutingPolicy.firstOf(RulesPolicy.of(Rule.named("legal").feature("legal").routeTo("gpt-4.1")),
            RoutingPolicy.cheapestEligible()))
        .resilience(ResilienceConfig.builder().maxConcurrentCalls(64).build())
        .rateLimit("openai", ResilienceConfig.rateLimit(1_000_000, Duration.ofSeconds(1)))
        .build();
    routed = Kiai.builder().model("gpt-4o-mini", model).model("gpt-4.1", model).interceptor(router).build();
    request = ChatRequest.builder().addUser("Say hello.").maxTokens(20).build();
  }

  /** Closes both chains. */
  @TearDown(Level.Trial)
  public void tearDown() {
    router.close();
    direct.close();
    routed.close();
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
