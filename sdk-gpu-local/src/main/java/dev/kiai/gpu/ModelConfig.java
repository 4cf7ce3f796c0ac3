package dev.kiai.gpu;

import java.util.List;
import java.util.Locale;

/**
 * The shape of a transformer model, as far as memory is concerned. Values are those of the models'
 * published {@code config.json}.
 *
 * @param name short id, e.g. {@code llama-3.1-8b}
 * @param parameters all parameters (all experts of a mixture-of-experts model)
 * @param activeParameters parameters read per generated token (fewer than {@code parameters} for a
 *     mixture of experts)
 * @param layers transformer blocks
 * @param kvHeads key/value heads (grouped-query attention)
 * @param headDim dimension of one attention head
 * @param maxContext longest context the model supports, in tokens
 */
public record ModelConfig(
    String name, long parameters, long activeParameters, int layers, int kvHeads, int headDim, int maxContext) {

  /** Llama 3.1 8B: 32 layers, 8 KV heads of 128. */
  public static final ModelConfig LLAMA_3_1_8B =
      new ModelConfig("llama-3.1-8b", 8_030_261_248L, 8_030_261_248L, 32, 8, 128, 131_072);
  /** Llama 3.1 70B: 80 layers, 8 KV heads of 128. */
  public static final ModelConfig LLAMA_3_1_70B =
      new ModelConfig("llama-3.1-70b", 70_553_706_496L, 70_553_706_496L, 80, 8, 128, 131_072);
  /** Qwen2.5 7B: 28 layers, 4 KV heads of 128. */
  public static final ModelConfig QWEN2_5_7B =
      new ModelConfig("qwen2.5-7b", 7_615_616_512L, 7_615_616_512L, 28, 4, 128, 131_072);
  /** Qwen2.5 14B: 48 layers, 8 KV heads of 128. */
  public static final ModelConfig QWEN2_5_14B =
      new ModelConfig("qwen2.5-14b", 14_770_033_664L, 14_770_033_664L, 48, 8, 128, 131_072);
  /** Qwen2.5 32B: 64 layers, 8 KV heads of 128. */
  public static final ModelConfig QWEN2_5_32B =
      new ModelConfig("qwen2.5-32b", 32_763_876_352L, 32_763_876_352L, 64, 8, 128, 131_072);
  /** Qwen2.5 72B: 80 layers, 8 KV heads of 128. */
  public static final ModelConfig QWEN2_5_72B =
      new ModelConfig("qwen2.5-72b", 72_706_203_648L, 72_706_203_648L, 80, 8, 128, 131_072);
  /** Mistral 7B v0.3: 32 layers, 8 KV heads of 128. */
  public static final ModelConfig MISTRAL_7B =
      new ModelConfig("mistral-7b", 7_248_023_552L, 7_248_023_552L, 32, 8, 128, 32_768);
  /** Mixtral 8x7B: 46.7B parameters, 12.9B active per token; 32 layers, 8 KV heads of 128. */
  public static final ModelConfig MIXTRAL_8X7B =
      new ModelConfig("mixtral-8x7b", 46_702_792_704L, 12_879_921_152L, 32, 8, 128, 32_768);

  public ModelConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    name = name.toLowerCase(Locale.ROOT);
    if (parameters <= 0) {
      throw new IllegalArgumentException("parameters must be > 0, was " + parameters);
    }
    if (activeParameters <= 0 || activeParameters > parameters) {
      throw new IllegalArgumentException(
          "activeParameters must be within 1.." + parameters + ", was " + activeParameters);
    }
    if (layers < 1) {
      throw new IllegalArgumentException("layers must be >= 1, was " + layers);
    }
    if (kvHeads < 1) {
      throw new IllegalArgumentException("kvHeads must be >= 1, was " + kvHeads);
    }
    if (headDim < 1) {
      throw new IllegalArgumentException("headDim must be >= 1, was " + headDim);
    }
    if (maxContext < 1) {
      throw new IllegalArgumentException("maxContext must be >= 1, was " + maxContext);
    }
  }

  /**
   * @return the bundled models: Llama-3.1-8B/70B, Qwen2.5-7B/14B/32B/72B, Mistral-7B, Mixtral-8x7B
   */
  public static List<ModelConfig> bundled() {
    return List.of(LLAMA_3_1_8B, LLAMA_3_1_70B, QWEN2_5_7B, QWEN2_5_14B, QWEN2_5_32B, QWEN2_5_72B, MISTRAL_7B,
        MIXTRAL_8X7B);
  }

  /**
   * KV-cache bytes one token occupies: 2 (K and V) × layers × KV heads × head dim × bytes per element.
   *
   * @param bytesPerElement 2 for a 16-bit cache, 1 for fp8
   * @return bytes per token
   */
  public long kvBytesPerToken(int bytesPerElement) {
    if (bytesPerElement < 1) {
      throw new IllegalArgumentException("bytesPerElement must be >= 1, was " + bytesPerElement);
    }
    return 2L * layers * kvHeads * headDim * bytesPerElement;
  }
}
