package dev.kiai.gpu;

import java.util.Locale;

/**
 * How model weights are stored, with the average bits each weight takes in memory, scales included.
 * The figures are those of the formats' block layouts: GGUF {@code Q4_0} stores 32 weights in 18 bytes
 * (4.5 bits), {@code Q8_0} 32 in 34 bytes (8.5 bits); the K-quant mixes are llama.cpp's reported
 * averages for Llama-class models; AWQ/GPTQ count 4 bits plus a 16-bit scale and zero per group of 128.
 */
public enum Quantization {
  /** bfloat16. */
  BF16(16.0),
  /** float16. */
  FP16(16.0),
  /** 8-bit floating point (E4M3), e.g. vLLM {@code --quantization fp8}. */
  FP8(8.0),
  /** 8-bit integer weights (W8A16 / W8A8). */
  INT8(8.0),
  /** AWQ 4-bit, group size 128. */
  AWQ_4BIT(4.25),
  /** GPTQ 4-bit, group size 128. */
  GPTQ_4BIT(4.25),
  /** GGUF Q4_0: blocks of 32 weights, one fp16 scale. */
  Q4_0(4.5),
  /** GGUF Q4_K_M mix. */
  Q4_K_M(4.85),
  /** GGUF Q5_K_M mix. */
  Q5_K_M(5.69),
  /** GGUF Q8_0: blocks of 32 int8 weights, one fp16 scale. */
  Q8_0(8.5);

  private final double bitsPerWeight;

  Quantization(double bitsPerWeight) {
    this.bitsPerWeight = bitsPerWeight;
  }

  /** @return average bits per weight in memory, scales included */
  public double bitsPerWeight() {
    return bitsPerWeight;
  }

  /**
   * Parses a name case-insensitively, accepting {@code -} for {@code _} and the aliases {@code awq},
   * {@code gptq}, {@code int4} (as AWQ) and {@code f16}.
   *
   * @param name e.g. {@code bf16}, {@code q4_k_m}, {@code Q8_0}, {@code awq}
   * @return the quantization
   * @throws IllegalArgumentException naming the accepted values when unknown
   */
  public static Quantization parse(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("quantization must not be blank");
    }
    String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    switch (n) {
      case "AWQ", "INT4", "W4A16" -> {
        return AWQ_4BIT;
      }
      case "GPTQ" -> {
        return GPTQ_4BIT;
      }
      case "F16" -> {
        return FP16;
      }
      default -> {
        for (Quantization q : values()) {
          if (q.name().equals(n)) {
            return q;
          }
        }
        throw new IllegalArgumentException("quantization must be one of bf16, fp16, fp8, int8, awq, gptq, "
            + "q4_0, q4_k_m, q5_k_m, q8_0; was " + name);
      }
    }
  }
}
