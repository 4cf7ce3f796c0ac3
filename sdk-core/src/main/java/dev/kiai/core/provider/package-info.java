/**
 * Chat providers: {@link dev.kiai.core.provider.OpenAiCompatibleChatModel} for OpenAI Chat Completions
 * and every server that speaks it (Azure OpenAI, vLLM, llama.cpp server, Ollama, LM Studio, Mistral,
 * Groq), and {@link dev.kiai.core.provider.AnthropicChatModel} for the Anthropic Messages API.
 *
 * <p>Both send and parse the providers' JSON exactly as documented, stream over server-sent events,
 * honour the request's deadline, and map every failure to the sealed
 * {@link dev.kiai.core.error.ProviderException} hierarchy. Neither prices its answers: {@link
 * dev.kiai.core.Kiai} does, from its {@link dev.kiai.core.pricing.PriceTable}.
 */
package dev.kiai.core.provider;
