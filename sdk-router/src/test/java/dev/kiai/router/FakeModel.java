package dev.kiai.router;

import dev.kiai.core.ChatModel;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A scripted in-test model: answers (or throws) per request and remembers every request it saw. */
final class FakeModel implements ChatModel {
  final String provider;
  final List<ChatRequest> seen = new CopyOnWriteArrayList<>();
  private final Function<ChatRequest, ChatResponse> script;

  FakeModel(String provider, Function<ChatRequest, ChatResponse> script) {
    this.provider = provider;
    this.script = script;
  }

  /** Answers {@code text} as the requested model with 100 input and 10 output tokens. */
  static FakeModel answering(String provider, String text) {
    return new FakeModel(provider, r -> answer(r.model(), provider, text));
  }

  static ChatResponse answer(String model, String provider, String text) {
    return new ChatResponse("id-" + model, ChatMessage.assistant(text), FinishReason.STOP, Usage.of(100, 10), null,
        model, provider, null, null, null);
  }

  int calls() {
    return seen.size();
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    seen.add(request);
    return script.apply(request);
  }

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public String defaultModel() {
    return null;
  }
}
