/**
 * In-process sentence embeddings for Kiai's {@link dev.kiai.core.embedding.EmbeddingModel} SPI:
 * {@link dev.kiai.embeddings.OnnxMiniLmEmbeddingModel} runs all-MiniLM-L6-v2 on ONNX Runtime (CPU) with
 * no network access.
 */
package dev.kiai.embeddings;
