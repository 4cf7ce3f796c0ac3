package dev.kiai.core.pricing;

/** Where a model runs. */
public enum Locality {
  /** A provider's API over the internet. */
  REMOTE_API,
  /** A local engine on a GPU (vLLM, llama.cpp, Ollama...). */
  LOCAL_GPU,
  /** A local engine on the CPU. */
  LOCAL_CPU
}
