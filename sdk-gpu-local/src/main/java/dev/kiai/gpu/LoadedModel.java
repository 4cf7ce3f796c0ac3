package dev.kiai.gpu;

/**
 * A model an engine holds in memory, as Ollama's {@code /api/ps} reports it.
 *
 * @param name the model name, e.g. {@code llama3.1:8b}
 * @param sizeBytes memory the model takes in all
 * @param vramBytes the part of it in GPU memory; less than {@code sizeBytes} when partly on the CPU
 */
public record LoadedModel(String name, long sizeBytes, long vramBytes) {}
