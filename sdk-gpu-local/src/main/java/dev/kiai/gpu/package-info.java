/**
 * Local GPU models: connectors for inference engines (vLLM, llama.cpp server, Ollama, any
 * OpenAI-compatible server) with health, model listing and a {@link dev.kiai.core.load.LoadSignal} fed
 * from their Prometheus metrics; adaptive admission control; the in-process llama.cpp engine
 * ({@link dev.kiai.gpu.LlamaCppChatModel}) and a generated smoke model ({@link dev.kiai.gpu.TinyGguf});
 * and the VRAM and cost planner ({@link dev.kiai.gpu.VramPlanner}, {@link dev.kiai.gpu.GpuCostModel}).
 */
package dev.kiai.gpu;
