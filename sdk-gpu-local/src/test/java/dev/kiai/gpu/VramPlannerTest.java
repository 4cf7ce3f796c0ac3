package dev.kiai.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VramPlannerTest {
  private final VramPlanner planner = VramPlanner.bundled();

  @Test
  void llama31_8bKvCacheIs128KibPerTokenAt16Bit() {
    // 2 (K,V) x 32 layers x 8 KV heads x 128 head dim x 2 bytes = 131072 bytes = 128 KiB
    assertThat(ModelConfig.LLAMA_3_1_8B.kvBytesPerToken(2)).isEqualTo(131_072L);
    assertThat(ModelConfig.LLAMA_3_1_8B.kvBytesPerToken(1)).isEqualTo(65_536L);
    assertThat(ModelConfig.LLAMA_3_1_70B.kvBytesPerToken(2)).isEqualTo(327_680L);
    assertThat(ModelConfig.QWEN2_5_7B.kvBytesPerToken(2)).isEqualTo(57_344L);
  }

  @Test
  void llama31_8bBf16OnH100HandComputed() {
    VramPlan p = planner.plan("llama-3.1-8b", Quantization.BF16, 8192, 16, "H100-80GB");

    assertThat(p.weightsBytes()).isEqualTo(16_060_522_496L); // 8,030,261,248 x 2
    assertThat(p.kvBytesPerToken()).isEqualTo(131_072L);
    assertThat(p.kvBytes()).isEqualTo(17_179_869_184L); // 128 KiB x 8192 x 16 = 16 GiB
    assertThat(p.overheadBytes()).isEqualTo(2_147_483_648L);
    assertThat(p.totalBytes()).isEqualTo(35_387_875_328L);
    assertThat(p.usableBytes()).isEqualTo(72_000_000_000L);
    assertThat(p.fits()).isTrue();
    // (72e9 - 16,060,522,496 - 2 GiB) / 1 GiB per sequence = 50.09
    assertThat(p.maxSequences()).isEqualTo(50);
    // 3.35e12 / (16,060,522,496 + 1,073,741,824)
    assertThat(p.bandwidthBoundTokensPerSecond()).isCloseTo(195.514, within(0.001));
  }

  @Test
  void seventyBillionBf16DoesNotFitOnOneH100() {
    VramPlan p = planner.plan("llama-3.1-70b", Quantization.BF16, 4096, 1, "h100-80gb");

    assertThat(p.weightsBytes()).isEqualTo(141_107_412_992L);
    assertThat(p.fits()).isFalse();
    assertThat(p.maxSequences()).isZero();
  }

  @Test
  void ggufQuantsUseTheirBlockSizes() {
    assertThat(VramPlanner.weightsBytes(32, Quantization.Q4_0)).isEqualTo(18); // one block: fp16 scale + 16 bytes
    assertThat(VramPlanner.weightsBytes(32, Quantization.Q8_0)).isEqualTo(34);
    VramPlan p = planner.plan("llama-3.1-8b", Quantization.Q4_K_M, 4096, 4, "rtx-4090");
    assertThat(p.weightsBytes()).isEqualTo(4_868_345_882L); // ceil(8,030,261,248 x 4.85 / 8 = 4,868,345,881.6)
    assertThat(p.fits()).isTrue();
  }

  @Test
  void mixtureOfExpertsReadsOnlyActiveWeightsPerToken() {
    VramPlan p = planner.plan("mixtral-8x7b", Quantization.FP8, 1024, 1, "h200-141gb");

    assertThat(p.weightsBytes()).isEqualTo(46_702_792_704L);
    // 4.8e12 / (12,879,921,152 + 131072 x 1024)
    assertThat(p.bandwidthBoundTokensPerSecond()).isCloseTo(4.8e12 / 13_014_138_880.0, within(1e-9));
  }

  @Test
  void userModelsAndGpusExtendTheBundledOnes() {
    VramPlanner custom = VramPlanner.builder()
        .addGpu(new GpuSpec("my-gpu", 48_000_000_000L, 864e9))
        .addModel(new ModelConfig("tiny", 1_000_000_000L, 1_000_000_000L, 16, 4, 64, 8192))
        .overheadBytes(0).memoryUtilization(1.0).kvBytesPerElement(1)
        .build();

    VramPlan p = custom.plan("tiny", Quantization.INT8, 8192, 1, "my-gpu");

    assertThat(p.kvBytesPerToken()).isEqualTo(2L * 16 * 4 * 64);
    assertThat(p.totalBytes()).isEqualTo(1_000_000_000L + 8192L * 8192);
    assertThat(p.maxSequences()).isEqualTo((48_000_000_000L - 1_000_000_000L) / (8192L * 8192));
    assertThat(custom.gpuNames()).contains("my-gpu", "h100-80gb");
  }

  @Test
  void badArgumentsNameTheField() {
    assertThatThrownBy(() -> planner.plan("llama-3.1-8b", Quantization.BF16, 200_000, 1, "h100-80gb"))
        .hasMessageContaining("contextLength must be within 1..131072");
    assertThatThrownBy(() -> planner.plan("llama-3.1-8b", Quantization.BF16, 1024, 0, "h100-80gb"))
        .hasMessageContaining("concurrency must be >= 1");
    assertThatThrownBy(() -> planner.plan("gpt-9", Quantization.BF16, 1024, 1, "h100-80gb"))
        .hasMessageStartingWith("model must be one of [");
    assertThatThrownBy(() -> planner.plan("llama-3.1-8b", Quantization.BF16, 1024, 1, "tpu"))
        .hasMessageStartingWith("gpu must be one of [a100-40gb, a100-80gb, a10g, h100-80gb, h200-141gb, l4, rtx-4090]");
    assertThatThrownBy(() -> Quantization.parse("q3")).hasMessageStartingWith("quantization must be one of");
  }

  @Test
  void quantizationNamesParseLeniently() {
    assertThat(Quantization.parse("q4_k_m")).isEqualTo(Quantization.Q4_K_M);
    assertThat(Quantization.parse("Q8-0")).isEqualTo(Quantization.Q8_0);
    assertThat(Quantization.parse("awq")).isEqualTo(Quantization.AWQ_4BIT);
    assertThat(Quantization.parse("f16")).isEqualTo(Quantization.FP16);
  }
}
