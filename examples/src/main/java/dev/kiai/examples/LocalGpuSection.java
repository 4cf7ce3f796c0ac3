package dev.kiai.examples;

import dev.kiai.core.Kiai;
import dev.kiai.core.StreamListener;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.pricing.Capability;
import dev.kiai.core.pricing.Locality;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.pricing.ModelPrice;
import dev.kiai.core.pricing.PriceTable;
import dev.kiai.gpu.GpuCostModel;
import dev.kiai.gpu.LlamaCppChatModel;
import dev.kiai.gpu.Quantization;
import dev.kiai.gpu.TinyGguf;
import dev.kiai.gpu.VramPlan;
import dev.kiai.gpu.VramPlanner;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The local model: llama.cpp in this process on a generated random-weight smoke model, priced as GPU
 * time, and the planner answering what a real 8B model needs on real GPUs.
 */
final class LocalGpuSection implements DemoSection {
  private static final String LOCAL_ID = "kiai-tiny-random";

  @Override
  public String title() {
    return "Local model: in-process llama.cpp on a generated smoke model, VRAM and cost planner";
  }

  @Override
  public void run(DemoContext ctx) throws Exception {
    plan(ctx);
    Path gguf = TinyGguf.builder().build().writeTo(ctx.workDir().resolve("tiny-q8_0.gguf"));
    ctx.out.println();
    ctx.out.println("Wrote " + gguf.getFileName() + " (" + Files.size(gguf) + " bytes): a 2-layer Llama with RANDOM "
        + "weights.");
    ctx.out.println("Its text is gibberish by design; it proves the engine path: load, template, sampling, "
        + "streaming, grammar, tokens and cost.");

    // Price local tokens as GPU time: an H100 at 2.50 USD/h doing 2,500 output tokens/s at 60 % utilisation.
    BigDecimal perMillion = GpuCostModel.perGpuHour(new BigDecimal("2.50"), "USD").costPerMillionTokens(2500, 0.6);
    ModelInfo local = new ModelInfo("llama.cpp-inprocess", LOCAL_ID, List.of(), 512, 256,
        new ModelPrice("USD", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, perMillion),
        Set.of(Capability.STREAMING, Capability.JSON_SCHEMA), Locality.LOCAL_GPU, null);
    PriceTable prices = ctx.prices.overriddenBy(PriceTable.of(List.of(local), ctx.prices.asOf()));
    ctx.out.println("local price: " + perMillion.toPlainString() + " USD per 1M output tokens "
        + "(H100 at 2.50 USD/h, 2,500 tokens/s, 60 % utilisation; prompt tokens folded into the rate)");

    try (LlamaCppChatModel model = LlamaCppChatModel.builder(gguf).modelName(LOCAL_ID).contextSize(512).threads(2)
        .build();
         Kiai kiai = Kiai.builder().model(model).prices(prices).build()) {
      StringBuilder streamed = new StringBuilder();
      ChatRequest request = ChatRequest.builder().addSystem("Answer briefly.").addUser("Say hello.").maxTokens(24)
          .temperature(0.8).seed(7L).build();
      ctx.out.print("streamed: ");
      kiai.stream(request, new StreamListener() {
        @Override
        public void onText(String delta) {
          streamed.append(delta);
        }

        @Override
        public void onComplete(ChatResponse r) {
          ctx.out.println(printable(streamed.toString()));
          ctx.out.println("  " + r.usage().inputTokens() + " input / " + r.usage().outputTokens() + " output tokens "
              + "(exact prompt count from the model's tokenizer), cost " + r.cost().total().stripTrailingZeros().toPlainString() + " USD, "
              + r.latency().toMillis() + " ms, " + r.provider() + "/" + r.model());
        }

        @Override
        public void onError(Throwable error) {
          ctx.out.println("stream failed: " + error);
        }
      });
      ChatResponse json = kiai.chat(ChatRequest.builder().model(LOCAL_ID).addUser("Is the demo working?")
          .maxTokens(60).seed(9L).responseFormat(ResponseFormat.jsonSchema("answer",
              "{\"type\":\"object\",\"properties\":{\"answer\":{\"enum\":[\"yes\",\"no\"]}},"
                  + "\"required\":[\"answer\"],\"additionalProperties\":false}")).build());
      ctx.out.println("JSON Schema as a grammar (valid JSON even from random weights): "
          + json.text().replaceAll("\\s+", " ").strip());
    }
  }

  private static void plan(DemoContext ctx) {
    VramPlanner planner = VramPlanner.bundled();
    ctx.out.println("Llama-3.1-8B, 8,192-token sequences (KV cache 128 KiB per token at 16-bit):");
    ctx.out.printf("  %-12s %-7s %9s %8s %10s %14s%n", "gpu", "quant", "weights", "fits 16", "max seqs",
        "batch-1 bound");
    for (String gpu : List.of("l4", "rtx-4090", "a100-80gb", "h100-80gb", "h200-141gb")) {
      for (Quantization q : List.of(Quantization.BF16, Quantization.Q4_K_M)) {
        VramPlan p = planner.plan("llama-3.1-8b", q, 8192, 16, gpu);
        ctx.out.printf("  %-12s %-7s %6.1f GB %8s %10d %10.0f t/s%n", gpu, q.name().toLowerCase(java.util.Locale.ROOT),
            p.weightsBytes() / 1e9, p.fits() ? "yes" : "no", p.maxSequences(), p.bandwidthBoundTokensPerSecond());
      }
    }
    GpuCostModel h100 = GpuCostModel.perGpuHour(new BigDecimal("2.50"), "USD");
    List<GpuCostModel.BreakEven> lines = h100.breakEven(2500, ctx.prices, 3.0);
    ctx.out.println("H100 at 2.50 USD/h serving 2,500 output tokens/s (3 prompt tokens per output token): "
        + h100.costPerMillionTokens(2500, 1.0).toPlainString() + " USD per 1M output tokens at full load;");
    ctx.out.println("  break-even utilisation against the cheapest and dearest API models in the price table:");
    for (GpuCostModel.BreakEven b : List.of(lines.get(0), lines.get(lines.size() - 1))) {
      ctx.out.printf("  %-22s %10s USD/1M -> %s%n", b.model(), b.apiCostPerMillionOutputTokens().toPlainString(),
          b.gpuCanWin() ? String.format(java.util.Locale.ROOT, "GPU cheaper above %.1f %% utilisation",
              b.breakEvenUtilisation() * 100)
              : String.format(java.util.Locale.ROOT, "API always cheaper (break-even at %.0f %% utilisation)",
                  b.breakEvenUtilisation() * 100));
    }
  }

  /** Random bytes are mostly not printable: show each other character as a middle dot. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().forEach(c -> sb.appendCodePoint(c >= 0x20 && c < 0x7f ? c : 0xb7));
    return "\"" + sb + "\"";
  }
}
