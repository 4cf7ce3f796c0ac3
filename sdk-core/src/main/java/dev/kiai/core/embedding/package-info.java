/** The {@link dev.kiai.core.embedding.EmbeddingModel} SPI: text to dense vectors. */
package dev.kiai.core.embedding;
