package dev.kiai.gpu;

/** The inference servers Kiai knows how to probe, scrape and talk to. */
public enum EngineKind {
  /**
   * vLLM's OpenAI-compatible server: {@code /health} 200 or 503, {@code /v1/models} (LoRA adapters listed
   * as models), {@code /tokenize}, {@code /metrics} with {@code vllm:*} series; structured output as
   * {@code response_format} json_schema.
   */
  VLLM("vllm"),
  /**
   * llama.cpp's {@code llama-server}: {@code /health} 503 while loading, {@code /tokenize},
   * {@code /metrics} with {@code llamacpp:*} series when started with {@code --metrics}, {@code /slots};
   * structured output as a top-level {@code json_schema} field.
   */
  LLAMA_CPP("llama.cpp"),
  /** Ollama: {@code /v1} OpenAI API, {@code /api/ps} for loaded models and their VRAM; no metrics. */
  OLLAMA("ollama"),
  /** Any other OpenAI-compatible server (SGLang, TGI, LM Studio): health from {@code /v1/models}. */
  OPENAI_COMPATIBLE("openai-compatible");

  private final String providerName;

  EngineKind(String providerName) {
    this.providerName = providerName;
  }

  /** @return the provider name chat models of this engine report, e.g. {@code vllm} */
  public String providerName() {
    return providerName;
  }
}
