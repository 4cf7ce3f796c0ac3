package dev.kiai.gpu;

/**
 * The memory plan of one model on one GPU: what the weights and the KV cache take, whether the asked
 * load fits, how many sequences of the asked length fit at most, and the decode-speed ceiling that
 * memory bandwidth sets.
 *
 * @param model the model's name
 * @param gpu the GPU's name
 * @param quantization how the weights are stored
 * @param contextLength tokens per sequence planned for (prompt plus output)
 * @param concurrency sequences planned to run at once
 * @param weightsBytes bytes of the weights
 * @param kvBytesPerToken KV-cache bytes per token
 * @param kvBytes KV-cache bytes for {@code concurrency} sequences of {@code contextLength} tokens
 * @param overheadBytes runtime overhead assumed (CUDA context, activations, allocator slack)
 * @param totalBytes weights + KV cache + overhead
 * @param usableBytes the GPU memory the engine may use (memory × utilisation)
 * @param fits whether {@code totalBytes <= usableBytes}
 * @param maxSequences the most sequences of {@code contextLength} tokens whose KV cache fits beside the
 *     weights and overhead; 0 when not even one does
 * @param bandwidthBoundTokensPerSecond batch-1 decode ceiling: bandwidth / (bytes of active weights +
 *     KV bytes of one sequence at {@code contextLength}); no engine can beat it on this GPU
 */
public record VramPlan(
    String model, String gpu, Quantization quantization, int contextLength, int concurrency, long weightsBytes,
    long kvBytesPerToken, long kvBytes, long overheadBytes, long totalBytes, long usableBytes, boolean fits,
    long maxSequences, double bandwidthBoundTokensPerSecond) {}
