package dev.kiai.core;

import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;

/**
 * A model that answers chat requests: the SPI every provider implements (OpenAI-compatible servers,
 * Anthropic, local engines). Implementations are thread-safe and map every failure to a
 * {@link dev.kiai.core.error.KiaiException}. Applications normally call models through {@link Kiai}
 * so that interceptors, pricing and the trace apply.
 */
public interface ChatModel {

  /**
   * Sends the request and blocks until the full answer has arrived.
   *
   * @param request the request; {@code request.model()} null means {@link #defaultModel()}
   * @return the answer with usage; cost may be {@link dev.kiai.core.chat.Cost#UNKNOWN}, Kiai prices it
   * @throws dev.kiai.core.error.KiaiException on any provider failure
   */
  ChatResponse chat(ChatRequest request);

  /** @return provider name used in traces, meters and errors, e.g. {@code openai} */
  String provider();

  /** @return the model used when a request names none, or null when requests must name one */
  String defaultModel();
}
