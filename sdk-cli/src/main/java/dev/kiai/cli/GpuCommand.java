package dev.kiai.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.StreamListener;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.load.LoadSnapshot;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
import dev.kiai.gpu.EngineHealth;
import dev.kiai.gpu.EngineKind;
import dev.kiai.gpu.EngineLoadSignal;
import dev.kiai.gpu.LoadedModel;
import dev.kiai.gpu.LocalEngine;
import dev.kiai.gpu.Quantization;
import dev.kiai.gpu.TinyGguf;
import dev.kiai.gpu.VramPlan;
import dev.kiai.gpu.VramPlanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiai gpu}: local GPU engines and planning. */
@Command(name = "gpu", description = "Plan, probe and benchmark local GPU engines; write a smoke model.",
    subcommands = {GpuCommand.Plan.class, GpuCommand.Probe.class, GpuCommand.Bench.class, GpuCommand.SmokeModel.class})
final class GpuCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a sub-command is required: plan, probe, bench or smoke-model");
  }

  static EngineKind engine(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "vllm" -> EngineKind.VLLM;
      case "llama.cpp", "llamacpp", "llama-cpp" -> EngineKind.LLAMA_CPP;
      case "ollama" -> EngineKind.OLLAMA;
      case "openai-compatible", "sglang", "tgi" -> EngineKind.OPENAI_COMPATIBLE;
      default -> throw new Cli.UsageError("--engine must be one of vllm, llama.cpp, ollama, openai-compatible; was "
          + name);
    };
  }

  static ObjectNode load(LoadSnapshot s) {
    ObjectNode n = Jsonl.MAPPER.createObjectNode();
    n.put("healthy", s.healthy());
    n.put("saturation", s.saturation());
    n.put("running", s.running());
    n.put("queued", s.queued());
    if (s.ttftP95() == null) {
      n.putNull("ttft_p95_ms");
    } else {
      n.put("ttft_p95_ms", s.ttftP95().toNanos() / 1e6);
    }
    if (Double.isNaN(s.tokensPerSecond())) {
      n.putNull("tokens_per_second");
    } else {
      n.put("tokens_per_second", s.tokensPerSecond());
    }
    n.put("observed_at", s.observedAt().toString());
    return n;
  }

  /** {@code kiai gpu plan}. */
  @Command(name = "plan", description = {
      "Plan GPU memory for a model: weights, KV cache per token, total, fit, most sequences, bandwidth bound.",
      "Output: one JSON object."})
  static final class Plan implements Callable<Integer> {
    private final Io io;

    @Option(names = "--model", required = true, description = "Model, e.g. llama-3.1-8b, qwen2.5-7b, mixtral-8x7b.")
    String model;

    @Option(names = "--quant", required = true, description = "bf16, fp16, fp8, int8, awq, gptq, q4_0, q4_k_m, "
        + "q5_k_m, q8_0.")
    String quant;

    @Option(names = "--ctx", required = true, description = "Tokens per sequence (prompt + output).")
    int ctx;

    @Option(names = "--concurrency", defaultValue = "1", description = "Sequences at once (default 1).")
    int concurrency;

    @Option(names = "--gpu", defaultValue = "h100-80gb", description = "h100-80gb (default), h200-141gb, a100-40gb, "
        + "a100-80gb, l4, a10g, rtx-4090.")
    String gpu;

    @Option(names = "--overhead-gib", description = "Runtime overhead to reserve in GiB (default 2).")
    Double overheadGib;

    @Option(names = "--memory-utilization", description = "Share of GPU memory the engine may use (default 0.9).")
    Double memoryUtilization;

    @Option(names = "--kv-bytes", description = "Bytes per KV-cache element: 2 (default) or 1 (fp8 cache).")
    Integer kvBytes;

    Plan(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      VramPlan p;
      try {
        VramPlanner.Builder b = VramPlanner.builder();
        if (overheadGib != null) {
          b.overheadBytes(Math.round(overheadGib * (1L << 30)));
        }
        if (memoryUtilization != null) {
          b.memoryUtilization(memoryUtilization);
        }
        if (kvBytes != null) {
          b.kvBytesPerElement(kvBytes);
        }
        p = b.build().plan(model, Quantization.parse(quant), ctx, concurrency, gpu);
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageError(e.getMessage());
      }
      ObjectNode n = Jsonl.MAPPER.createObjectNode();
      n.put("model", p.model());
      n.put("gpu", p.gpu());
      n.put("quant", p.quantization().name().toLowerCase(Locale.ROOT));
      n.put("ctx", p.contextLength());
      n.put("concurrency", p.concurrency());
      n.put("weights_bytes", p.weightsBytes());
      n.put("kv_bytes_per_token", p.kvBytesPerToken());
      n.put("kv_bytes", p.kvBytes());
      n.put("overhead_bytes", p.overheadBytes());
      n.put("total_bytes", p.totalBytes());
      n.put("usable_bytes", p.usableBytes());
      n.put("fits", p.fits());
      n.put("max_sequences", p.maxSequences());
      n.put("bandwidth_bound_tokens_per_second", Math.round(p.bandwidthBoundTokensPerSecond() * 100) / 100.0);
      io.out.println(Jsonl.MAPPER.writeValueAsString(n));
      return 0;
    }
  }

  /** {@code kiai gpu probe}. */
  @Command(name = "probe", description = {
      "Ask an engine for its health, models and current load. Exit 1 when it is down.",
      "Output: one JSON object."})
  static final class Probe implements Callable<Integer> {
    private final Io io;

    @Option(names = "--url", required = true, description = "Server root, e.g. http://localhost:8000 (no /v1).")
    String url;

    @Option(names = "--engine", defaultValue = "vllm", description = "vllm (default), llama.cpp, ollama, "
        + "openai-compatible.")
    String engine;

    Probe(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      EngineKind kind = engine(engine);
      try (LocalEngine e = LocalEngine.builder(kind, url).build();
           EngineLoadSignal load = EngineLoadSignal.builder().add(e, "probe").build()) {
        EngineHealth h = e.health();
        ObjectNode n = Jsonl.MAPPER.createObjectNode();
        n.put("url", e.baseUrl());
        n.put("engine", kind.providerName());
        n.putObject("health").put("state", h.state().name().toLowerCase(Locale.ROOT))
            .put("http_status", h.httpStatus()).put("detail", h.detail());
        if (h.ready()) {
          ArrayNode models = n.putArray("models");
          e.models().forEach(models::add);
          if (kind == EngineKind.OLLAMA) {
            ArrayNode loaded = n.putArray("loaded");
            for (LoadedModel m : e.loadedModels()) {
              loaded.addObject().put("name", m.name()).put("size_bytes", m.sizeBytes())
                  .put("vram_bytes", m.vramBytes());
            }
          }
        }
        load.scrapeNow();
        load.current("probe").ifPresent(s -> n.set("load", load(s)));
        io.out.println(Jsonl.MAPPER.writeValueAsString(n));
        io.err.println("kiai gpu probe: " + kind.providerName() + " at " + e.baseUrl() + " is "
            + h.state().name().toLowerCase(Locale.ROOT));
        return h.state() == EngineHealth.State.DOWN ? 1 : 0;
      }
    }
  }

  /** {@code kiai gpu bench}. */
  @Command(name = "bench", description = {
      "Send a bounded number of streamed requests to one engine at each concurrency and report output tokens/s,",
      "TTFT p50/p95 and errors. Traffic goes only to --url; each level stops starting requests after --timeout.",
      "Output JSONL: one line per concurrency."})
  static final class Bench implements Callable<Integer> {
    private final Io io;

    @Option(names = "--url", required = true, description = "Server root, e.g. http://localhost:8000 (no /v1).")
    String url;

    @Option(names = "--engine", defaultValue = "vllm", description = "vllm (default), llama.cpp, ollama, "
        + "openai-compatible.")
    String engine;

    @Option(names = "--model", required = true, description = "Model as the engine names it.")
    String model;

    @Option(names = "--concurrency", defaultValue = "1,4,16", split = ",",
        description = "Concurrency levels, comma-separated (default 1,4,16; each 1..256).")
    List<Integer> concurrency;

    @Option(names = "--requests", defaultValue = "16", description = "Requests per level, 1..10000 (default 16).")
    int requests;

    @Option(names = "--max-tokens", defaultValue = "64", description = "Output tokens per request, 1..8192 "
        + "(default 64).")
    int maxTokens;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds per level, 1..3600 (default 120).")
    int timeoutSeconds;

    @Option(names = "--prompt", defaultValue = "Write a short story about a lighthouse keeper.",
        description = "Prompt of every request.")
    String prompt;

    Bench(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      EngineKind kind = engine(engine);
      for (int c : concurrency) {
        if (c < 1 || c > 256) {
          throw new Cli.UsageError("--concurrency values must be within 1..256, was " + c);
        }
      }
      if (requests < 1 || requests > 10_000) {
        throw new Cli.UsageError("--requests must be within 1..10000, was " + requests);
      }
      if (maxTokens < 1 || maxTokens > 8192) {
        throw new Cli.UsageError("--max-tokens must be within 1..8192, was " + maxTokens);
      }
      if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
        throw new Cli.UsageError("--timeout must be within 1..3600, was " + timeoutSeconds);
      }
      int failedLevels = 0;
      try (LocalEngine e = LocalEngine.builder(kind, url).build();
           OpenAiCompatibleChatModel chat = e.chatModelBuilder(model)
               .callTimeout(Duration.ofSeconds(timeoutSeconds)).build()) {
        for (int c : concurrency) {
          ObjectNode line = level(chat, c);
          io.out.println(Jsonl.MAPPER.writeValueAsString(line));
          if (line.path("errors").asInt() == line.path("requests").asInt()) {
            failedLevels++;
          }
        }
      }
      io.err.println("kiai gpu bench: " + concurrency.size() + " levels, " + failedLevels + " with every request failed");
      return failedLevels == concurrency.size() ? 1 : 0;
    }

    private ObjectNode level(OpenAiCompatibleChatModel chat, int c) throws InterruptedException {
      ChatRequest request = ChatRequest.builder().addUser(prompt).maxTokens(maxTokens).temperature(0.7).build();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      AtomicInteger next = new AtomicInteger();
      AtomicInteger errors = new AtomicInteger();
      AtomicInteger done = new AtomicInteger();
      AtomicLong tokens = new AtomicLong();
      List<Double> ttfts = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(c);
      long start = System.nanoTime();
      for (int w = 0; w < c; w++) {
        pool.execute(() -> {
          while (next.getAndIncrement() < requests && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            AtomicLong first = new AtomicLong();
            AtomicInteger pieces = new AtomicInteger();
            chat.stream(request, new StreamListener() {
              @Override
              public void onText(String delta) {
                first.compareAndSet(0, System.nanoTime());
                pieces.incrementAndGet();
              }

              @Override
              public void onComplete(ChatResponse response) {
                long out = response.usage().outputTokens();
                tokens.addAndGet(out > 0 ? out : pieces.get());
                if (first.get() != 0) {
                  ttfts.add((first.get() - t0) / 1e6);
                }
                done.incrementAndGet();
              }

              @Override
              public void onError(Throwable error) {
                errors.incrementAndGet();
              }
            });
          }
        });
      }
      pool.shutdown();
      if (!pool.awaitTermination(timeoutSeconds * 2L + 5, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
      double wall = (System.nanoTime() - start) / 1e9;
      List<Double> sorted = new ArrayList<>(ttfts);
      Collections.sort(sorted);
      ObjectNode n = Jsonl.MAPPER.createObjectNode();
      n.put("concurrency", c);
      n.put("requests", done.get() + errors.get());
      n.put("errors", errors.get());
      n.put("output_tokens", tokens.get());
      n.put("wall_seconds", Math.round(wall * 1000) / 1000.0);
      n.put("output_tokens_per_second", Math.round(tokens.get() / wall * 100) / 100.0);
      percentile(n, "ttft_p50_ms", sorted, 0.50);
      percentile(n, "ttft_p95_ms", sorted, 0.95);
      return n;
    }

    /** Nearest-rank percentile. */
    private static void percentile(ObjectNode n, String field, List<Double> sorted, double q) {
      if (sorted.isEmpty()) {
        n.putNull(field);
        return;
      }
      int rank = (int) Math.ceil(q * sorted.size());
      n.put(field, Math.round(sorted.get(Math.max(0, rank - 1)) * 100) / 100.0);
    }
  }

  /** {@code kiai gpu smoke-model}. */
  @Command(name = "smoke-model", description = {
      "Write a tiny random-weight Llama GGUF that llama.cpp loads: for CI and smoke tests (its text is gibberish).",
      "Output: one JSON object."})
  static final class SmokeModel implements Callable<Integer> {
    private final Io io;

    @Option(names = "--out", required = true, description = "File to write.")
    Path out;

    @Option(names = "--quant", defaultValue = "q8_0", description = "q8_0 (default), q4_0 or f32.")
    String quant;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random weights (default 42).")
    long seed;

    SmokeModel(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      TinyGguf.Weights weights;
      try {
        weights = TinyGguf.Weights.parse(quant);
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageError(e.getMessage());
      }
      Path file = TinyGguf.builder().quantization(weights).seed(seed).build().writeTo(out);
      ObjectNode n = Jsonl.MAPPER.createObjectNode();
      n.put("file", file.toString());
      n.put("bytes", Files.size(file));
      n.put("quant", weights.name().toLowerCase(Locale.ROOT));
      n.put("vocab", TinyGguf.VOCAB_SIZE);
      io.out.println(Jsonl.MAPPER.writeValueAsString(n));
      return 0;
    }
  }
}
