package dev.kiai.gpu;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Plans GPU memory for a model: weights = parameters × bits per weight / 8; KV cache = 2 × layers × KV
 * heads × head dim × bytes per element × tokens; plus a runtime overhead. Tells whether a load fits,
 * how many sequences of a context length fit at most, and the bandwidth bound on batch-1 decode speed.
 *
 * <pre>{@code
 * VramPlan plan = VramPlanner.bundled().plan("llama-3.1-8b", Quantization.BF16, 8192, 16, "h100-80gb");
 * plan.kvBytesPerToken();   // 131072 (128 KiB)
 * plan.maxSequences();      // 50
 * }</pre>
 *
 * <p>Immutable and thread-safe. Bundled GPUs and models come from {@link GpuSpec#bundled()} and
 * {@link ModelConfig#bundled()}; add your own with {@link Builder#addGpu} and {@link Builder#addModel}.
 */
public final class VramPlanner {
  /** Default runtime overhead: 2 GiB for CUDA context, activations and allocator slack. */
  public static final long DEFAULT_OVERHEAD_BYTES = 2L << 30;
  /** Default share of GPU memory the engine may use, as vLLM's {@code --gpu-memory-utilization}. */
  public static final double DEFAULT_MEMORY_UTILIZATION = 0.90;

  private final Map<String, GpuSpec> gpus;
  private final Map<String, ModelConfig> models;
  private final long overheadBytes;
  private final double memoryUtilization;
  private final int kvBytesPerElement;

  private VramPlanner(Builder b) {
    this.gpus = Map.copyOf(b.gpus);
    this.models = Map.copyOf(b.models);
    this.overheadBytes = b.overheadBytes;
    this.memoryUtilization = b.memoryUtilization;
    this.kvBytesPerElement = b.kvBytesPerElement;
  }

  /** @return a planner with the bundled GPUs and models and the default settings */
  public static VramPlanner bundled() {
    return builder().build();
  }

  /** @return a builder prefilled with the bundled GPUs and models */
  public static Builder builder() {
    return new Builder();
  }

  /** @return GPU names this planner knows, sorted */
  public List<String> gpuNames() {
    return gpus.keySet().stream().sorted().toList();
  }

  /** @return model names this planner knows, sorted */
  public List<String> modelNames() {
    return models.keySet().stream().sorted().toList();
  }

  /**
   * @param name a GPU name, any case
   * @return the GPU
   * @throws IllegalArgumentException naming the known GPUs when unknown
   */
  public GpuSpec gpu(String name) {
    GpuSpec g = gpus.get(key(name, "gpu"));
    if (g == null) {
      throw new IllegalArgumentException("gpu must be one of " + gpuNames() + "; was " + name);
    }
    return g;
  }

  /**
   * @param name a model name, any case
   * @return the model
   * @throws IllegalArgumentException naming the known models when unknown
   */
  public ModelConfig model(String name) {
    ModelConfig m = models.get(key(name, "model"));
    if (m == null) {
      throw new IllegalArgumentException("model must be one of " + modelNames() + "; was " + name);
    }
    return m;
  }

  /**
   * Plans by names.
   *
   * @param model a known model name
   * @param quantization how the weights are stored
   * @param contextLength tokens per sequence, 1..the model's maximum context
   * @param concurrency sequences at once, at least 1
   * @param gpu a known GPU name
   * @return the plan
   * @throws IllegalArgumentException for an unknown name or an argument out of range, naming it
   */
  public VramPlan plan(String model, Quantization quantization, int contextLength, int concurrency, String gpu) {
    return plan(model(model), quantization, contextLength, concurrency, gpu(gpu));
  }

  /**
   * Plans for any model and GPU, known to this planner or not.
   *
   * @param model the model
   * @param quantization how the weights are stored
   * @param contextLength tokens per sequence, 1..{@code model.maxContext()}
   * @param concurrency sequences at once, at least 1
   * @param gpu the GPU
   * @return the plan
   * @throws IllegalArgumentException for an argument out of range, naming it
   */
  public VramPlan plan(ModelConfig model, Quantization quantization, int contextLength, int concurrency, GpuSpec gpu) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(quantization, "quantization");
    Objects.requireNonNull(gpu, "gpu");
    if (contextLength < 1 || contextLength > model.maxContext()) {
      throw new IllegalArgumentException("contextLength must be within 1.." + model.maxContext() + " for "
          + model.name() + ", was " + contextLength);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
    }
    long weights = weightsBytes(model.parameters(), quantization);
    long activeWeights = weightsBytes(model.activeParameters(), quantization);
    long kvPerToken = model.kvBytesPerToken(kvBytesPerElement);
    long kvPerSequence = Math.multiplyExact(kvPerToken, (long) contextLength);
    long kv = Math.multiplyExact(kvPerSequence, (long) concurrency);
    long total = weights + kv + overheadBytes;
    long usable = (long) Math.floor(gpu.memoryBytes() * memoryUtilization);
    long free = usable - weights - overheadBytes;
    long maxSequences = free <= 0 ? 0 : free / kvPerSequence;
    double bound = gpu.bandwidthBytesPerSecond() / (double) (activeWeights + kvPerSequence);
    return new VramPlan(model.name(), gpu.name(), quantization, contextLength, concurrency, weights, kvPerToken,
        kv, overheadBytes, total, usable, total <= usable, maxSequences, bound);
  }

  /**
   * @param parameters number of weights
   * @param quantization how they are stored
   * @return bytes they take, computed exactly and rounded up
   */
  public static long weightsBytes(long parameters, Quantization quantization) {
    if (parameters < 0) {
      throw new IllegalArgumentException("parameters must be >= 0, was " + parameters);
    }
    return BigDecimal.valueOf(parameters).multiply(BigDecimal.valueOf(quantization.bitsPerWeight()))
        .divide(BigDecimal.valueOf(8), 0, RoundingMode.CEILING).longValueExact();
  }

  private static String key(String name, String field) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return name.trim().toLowerCase(Locale.ROOT);
  }

  /** Configures a {@link VramPlanner}; starts with the bundled GPUs and models. */
  public static final class Builder {
    private final Map<String, GpuSpec> gpus = new LinkedHashMap<>();
    private final Map<String, ModelConfig> models = new LinkedHashMap<>();
    private long overheadBytes = DEFAULT_OVERHEAD_BYTES;
    private double memoryUtilization = DEFAULT_MEMORY_UTILIZATION;
    private int kvBytesPerElement = 2;

    private Builder() {
      GpuSpec.bundled().forEach(this::addGpu);
      ModelConfig.bundled().forEach(this::addModel);
    }

    /** @param gpu a GPU; replaces a bundled one of the same name @return this */
    public Builder addGpu(GpuSpec gpu) {
      gpus.put(Objects.requireNonNull(gpu, "gpu").name(), gpu);
      return this;
    }

    /** @param model a model; replaces a bundled one of the same name @return this */
    public Builder addModel(ModelConfig model) {
      models.put(Objects.requireNonNull(model, "model").name(), model);
      return this;
    }

    /** @param bytes runtime overhead to reserve, default {@value #DEFAULT_OVERHEAD_BYTES} @return this */
    public Builder overheadBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("overheadBytes must be >= 0, was " + bytes);
      }
      this.overheadBytes = bytes;
      return this;
    }

    /** @param share of GPU memory the engine may use, (0,1], default 0.90 @return this */
    public Builder memoryUtilization(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("memoryUtilization must be within (0,1], was " + share);
      }
      this.memoryUtilization = share;
      return this;
    }

    /** @param bytes bytes per KV-cache element: 2 (16-bit, default) or 1 (fp8 cache) @return this */
    public Builder kvBytesPerElement(int bytes) {
      if (bytes != 1 && bytes != 2 && bytes != 4) {
        throw new IllegalArgumentException("kvBytesPerElement must be 1, 2 or 4, was " + bytes);
      }
      this.kvBytesPerElement = bytes;
      return this;
    }

    /** @return the planner */
    public VramPlanner build() {
      return new VramPlanner(this);
    }
  }
}
