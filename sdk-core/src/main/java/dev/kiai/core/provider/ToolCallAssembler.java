package dev.kiai.core.provider;

import dev.kiai.core.chat.ToolCall;
import dev.kiai.core.chat.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects streamed tool-call fragments into complete {@link ToolCall}s. Fragments with the same index
 * belong to one call; the id and name come with the first fragment, the arguments in pieces. Used by
 * one stream on one thread.
 */
final class ToolCallAssembler {
  private static final class Partial {
    String id;
    String name;
    final StringBuilder arguments = new StringBuilder();
  }

  private final Map<Integer, Partial> calls = new TreeMap<>();

  /**
   * Adds one fragment.
   *
   * @param index position of the call within the answer
   * @param id call id, or null when this fragment does not carry it
   * @param name function name, or null when this fragment does not carry it
   * @param argumentsDelta next piece of the arguments, or null
   * @return the fragment as the listener should see it: id and name only where they are new
   */
  ToolCallDelta add(int index, String id, String name, String argumentsDelta) {
    Partial p = calls.computeIfAbsent(index, i -> new Partial());
    String newId = null;
    String newName = null;
    if (id != null && !id.isEmpty() && p.id == null) {
      p.id = id;
      newId = id;
    }
    if (name != null && !name.isEmpty() && p.name == null) {
      p.name = name;
      newName = name;
    }
    if (argumentsDelta != null) {
      p.arguments.append(argumentsDelta);
    }
    return new ToolCallDelta(index, newId, newName, argumentsDelta);
  }

  boolean isEmpty() {
    return calls.isEmpty();
  }

  /**
   * @return the complete calls in index order; a call whose id never arrived gets {@code call_<index>}
   * @throws IllegalStateException when a call never received its function name
   */
  List<ToolCall> build() {
    List<ToolCall> out = new ArrayList<>(calls.size());
    for (Map.Entry<Integer, Partial> e : calls.entrySet()) {
      Partial p = e.getValue();
      if (p.name == null) {
        throw new IllegalStateException("tool call " + e.getKey() + " has no function name");
      }
      out.add(new ToolCall(p.id == null ? "call_" + e.getKey() : p.id, p.name, p.arguments.toString()));
    }
    return out;
  }
}
