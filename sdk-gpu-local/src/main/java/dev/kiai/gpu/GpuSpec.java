package dev.kiai.gpu;

import java.util.List;
import java.util.Locale;

/**
 * A GPU as the planner sees it: memory and memory bandwidth (marketing units, decimal: 1 GB = 10^9 bytes).
 *
 * @param name short id, e.g. {@code h100-80gb}
 * @param memoryBytes device memory in bytes
 * @param bandwidthBytesPerSecond peak memory bandwidth in bytes per second
 */
public record GpuSpec(String name, long memoryBytes, double bandwidthBytesPerSecond) {
  private static final double GB = 1e9;

  /** NVIDIA H100 SXM, 80 GB HBM3, 3.35 TB/s. */
  public static final GpuSpec H100_80GB = new GpuSpec("h100-80gb", 80_000_000_000L, 3.35e12);
  /** NVIDIA H200 SXM, 141 GB HBM3e, 4.8 TB/s. */
  public static final GpuSpec H200_141GB = new GpuSpec("h200-141gb", 141_000_000_000L, 4.8e12);
  /** NVIDIA A100 40 GB (SXM), 1.555 TB/s. */
  public static final GpuSpec A100_40GB = new GpuSpec("a100-40gb", 40_000_000_000L, 1.555e12);
  /** NVIDIA A100 80 GB (SXM), 2.039 TB/s. */
  public static final GpuSpec A100_80GB = new GpuSpec("a100-80gb", 80_000_000_000L, 2.039e12);
  /** NVIDIA L4, 24 GB GDDR6, 300 GB/s. */
  public static final GpuSpec L4 = new GpuSpec("l4", 24_000_000_000L, 300 * GB);
  /** NVIDIA A10G (AWS g5), 24 GB GDDR6, 600 GB/s. */
  public static final GpuSpec A10G = new GpuSpec("a10g", 24_000_000_000L, 600 * GB);
  /** NVIDIA GeForce RTX 4090, 24 GB GDDR6X, 1008 GB/s. */
  public static final GpuSpec RTX_4090 = new GpuSpec("rtx-4090", 24_000_000_000L, 1008 * GB);

  public GpuSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    name = name.toLowerCase(Locale.ROOT);
    if (memoryBytes <= 0) {
      throw new IllegalArgumentException("memoryBytes must be > 0, was " + memoryBytes);
    }
    if (!(bandwidthBytesPerSecond > 0) || Double.isInfinite(bandwidthBytesPerSecond)) {
      throw new IllegalArgumentException("bandwidthBytesPerSecond must be > 0, was " + bandwidthBytesPerSecond);
    }
  }

  /** @return the bundled GPUs: H100 80 GB, H200 141 GB, A100 40/80 GB, L4, A10G, RTX 4090 */
  public static List<GpuSpec> bundled() {
    return List.of(H100_80GB, H200_141GB, A100_40GB, A100_80GB, L4, A10G, RTX_4090);
  }

}
