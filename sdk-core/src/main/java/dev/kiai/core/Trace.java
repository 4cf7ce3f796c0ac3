package dev.kiai.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What each stage of the request path decided, in order: route and why, cache hit and similarity,
 * guardrail findings, budget state, the model call itself. Read it to answer "why did this request
 * cost that?".
 *
 * @param entries decisions in the order they were recorded
 */
public record Trace(List<Entry> entries) {

  /** A trace with no entries. */
  public static final Trace EMPTY = new Trace(List.of());

  public Trace {
    entries = List.copyOf(entries);
  }

  /**
   * One decision.
   *
   * @param stage who decided, e.g. {@code model}, {@code cache}, {@code router}
   * @param decision what was decided, e.g. {@code hit}, {@code called gpt-4o-mini}
   * @param attributes facts behind the decision, e.g. similarity or remaining budget
   */
  public record Entry(String stage, String decision, Map<String, String> attributes) {
    public Entry {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(decision, "decision");
      attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
  }

  /**
   * @param stage stage name
   * @return the first entry recorded by that stage
   */
  public Optional<Entry> find(String stage) {
    return entries.stream().filter(e -> e.stage().equals(stage)).findFirst();
  }

  /**
   * @param stage stage name
   * @return all entries of that stage
   */
  public List<Entry> all(String stage) {
    return entries.stream().filter(e -> e.stage().equals(stage)).toList();
  }
}
