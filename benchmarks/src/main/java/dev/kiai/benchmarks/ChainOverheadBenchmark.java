package dev.kiai.benchmarks;

import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Kiai's chain itself costs per call, without any I/O: an in-memory model that returns a fixed
 * answer, called directly (baseline) and through {@link Kiai} with and without telemetry.
 *
 * <p>Run: {@code java -jar benchmarks/target/kiai-benchmarks.jar ChainOverhead -f 1 -wi 3 -w 2s -i 5 -r 3s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ChainOverheadBenchmark {
  ChatModel model;
  Kiai plain;
  Kiai telemetry;
  ChatRequest request;

  @Setup
  public void setUp() {
    ChatResponse answer = new ChatResponse("r", ChatMessage.assistant("The parcel left yesterday."),
        FinishReason.STOP, Usage.of(41, 9), null, "gpt-4o-mini-2024-07-18", "openai", null, null, null);
    model = new ChatModel() {
      @Override
      public ChatResponse chat(ChatRequest request) {
        return answer;
      }

      @Override
      public String provider() {
        return "openai";
      }

      @Override
      public String defaultModel() {
        return "gpt-4o-mini";
      }
    };
    plain = Kiai.builder().model(model).build();
    telemetry = Kiai.builder().model(model).meterRegistry(new SimpleMeterRegistry())
        .openTelemetry(OpenTelemetry.noop()).build();
    request = ChatRequest.builder().model("gpt-4o-mini").addSystem("You are a support agent.")
        .addUser("Where is my parcel?").maxTokens(200).build();
  }

  @TearDown
  public void tearDown() {
    plain.close();
    telemetry.close();
  }

  /** Baseline: the model called directly. */
  @Benchmark
  public ChatResponse direct() {
    return model.chat(request);
  }

  /** Chain, pricing and trace. */
  @Benchmark
  public ChatResponse kiai() {
    return plain.chat(request);
  }

  /** Chain, pricing, trace and telemetry. */
  @Benchmark
  public ChatResponse kiaiWithTelemetry() {
    return telemetry.chat(request);
  }
}
