package dev.kiai.rag;

import dev.kiai.core.ChatModel;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Answers with scripted replies, in order, and records every request it saw. */
final class ScriptedModel implements ChatModel {
  private final Deque<String> replies;
  final List<ChatRequest> requests = new ArrayList<>();

  ScriptedModel(String... replies) {
    this.replies = new ArrayDeque<>(List.of(replies));
  }

  @Override
  public synchronized ChatResponse chat(ChatRequest request) {
    requests.add(request);
    String reply = replies.size() > 1 ? replies.poll() : replies.peek();
    return new ChatResponse("r" + requests.size(), ChatMessage.assistant(reply), FinishReason.STOP, Usage.of(100, 20),
        null, "scripted-1", "test", null, null, null);
  }

  @Override
  public String provider() {
    return "test";
  }

  @Override
  public String defaultModel() {
    return "scripted-1";
  }
}
