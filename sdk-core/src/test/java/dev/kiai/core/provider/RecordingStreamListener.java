package dev.kiai.core.provider;

import dev.kiai.core.StreamListener;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StreamListener} that records every event, for assertions on streamed answers. Thread-safe.
 */
public final class RecordingStreamListener implements StreamListener {
  private final List<String> texts = new ArrayList<>();
  private final List<ToolCallDelta> toolCalls = new ArrayList<>();
  private final List<ChatResponse> completions = new ArrayList<>();
  private final List<Throwable> errors = new ArrayList<>();
  private final List<String> events = new ArrayList<>();

  @Override
  public synchronized void onText(String delta) {
    texts.add(delta);
    events.add("text");
  }

  @Override
  public synchronized void onToolCall(ToolCallDelta delta) {
    toolCalls.add(delta);
    events.add("tool_call");
  }

  @Override
  public synchronized void onComplete(ChatResponse response) {
    completions.add(response);
    events.add("complete");
  }

  @Override
  public synchronized void onError(Throwable error) {
    errors.add(error);
    events.add("error");
  }

  /** @return the text deltas in order */
  public synchronized List<String> texts() {
    return List.copyOf(texts);
  }

  /** @return the text deltas joined */
  public synchronized String text() {
    return String.join("", texts);
  }

  /** @return the tool-call fragments in order */
  public synchronized List<ToolCallDelta> toolCalls() {
    return List.copyOf(toolCalls);
  }

  /** @return the argument fragments of the tool call at {@code index}, joined */
  public synchronized String toolArguments(int index) {
    StringBuilder sb = new StringBuilder();
    toolCalls.stream().filter(d -> d.index() == index).forEach(d -> sb.append(d.argumentsDelta()));
    return sb.toString();
  }

  /** @return every onComplete response */
  public synchronized List<ChatResponse> completions() {
    return List.copyOf(completions);
  }

  /** @return every onError error */
  public synchronized List<Throwable> errors() {
    return List.copyOf(errors);
  }

  /** @return the kinds of events received, in order: text, tool_call, complete, error */
  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** @return the one completion, failing when there were none, several, or an error */
  public synchronized ChatResponse single() {
    if (completions.size() != 1 || !errors.isEmpty()) {
      throw new AssertionError("expected exactly one completion and no error, got " + completions.size()
          + " completions and errors " + errors);
    }
    return completions.get(0);
  }

  /** @return the one error, failing when there were none, several, or a completion */
  public synchronized Throwable singleError() {
    if (errors.size() != 1 || !completions.isEmpty()) {
      throw new AssertionError("expected exactly one error and no completion, got " + errors
          + " and " + completions.size() + " completions");
    }
    return errors.get(0);
  }
}
