package dev.kiai.guardrails;

import dev.kiai.core.StreamListener;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-request memory of reversible pseudonymisation: the same value always gets the same
 * placeholder ({@code <PERSON_1>}, {@code <EMAIL_ADDRESS_2>}), and {@link #restore} puts the originals
 * back into the model's answer. Use one vault per request (or conversation) and drop it afterwards.
 * Thread-safe.
 */
public final class PseudonymVault {
  private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Z][A-Z_]*_\\d+)>");
  /** Longest placeholder the stream restorer holds back for; longer runs are passed on as text. */
  static final int MAX_PLACEHOLDER = 48;

  private final Map<String, String> byValue = new HashMap<>();
  private final Map<String, String> byPlaceholder = new HashMap<>();
  private final Map<String, Integer> counters = new HashMap<>();

  /** Creates an empty vault. */
  public PseudonymVault() {}

  /**
   * @param type entity type
   * @param value original value
   * @return the placeholder for this value, creating it on first use
   */
  public synchronized String placeholderFor(String type, String value) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    String key = type + '\u0000' + value;
    String existing = byValue.get(key);
    if (existing != null) {
      return existing;
    }
    int n = counters.merge(type, 1, Integer::sum);
    String placeholder = "<" + type + "_" + n + ">";
    byValue.put(key, placeholder);
    byPlaceholder.put(placeholder.substring(1, placeholder.length() - 1), value);
    return placeholder;
  }

  /** @return how many values the vault holds */
  public synchronized int size() {
    return byPlaceholder.size();
  }

  /**
   * Replaces every placeholder this vault issued with its original value; unknown placeholders stay.
   *
   * @param text text possibly containing placeholders, e.g. the model's answer
   * @return the text with originals restored
   */
  public String restore(String text) {
    Objects.requireNonNull(text, "text");
    if (text.indexOf('<') < 0) {
      return text;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder sb = new StringBuilder(text.length());
    synchronized (this) {
      while (m.find()) {
        String original = byPlaceholder.get(m.group(1));
        m.appendReplacement(sb, Matcher.quoteReplacement(original == null ? m.group() : original));
      }
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * A restorer for streamed text: feed it deltas in order; it passes text on as soon as it cannot be
   * part of a placeholder and holds back a possible placeholder split across chunks ({@code "<PER"},
   * {@code "SON_1> said"}) until it is complete.
   *
   * @param downstream receives restored text
   * @return a new restorer for one stream (not thread-safe; streams deliver deltas in order)
   */
  public StreamRestorer streamRestorer(Consumer<String> downstream) {
    return new StreamRestorer(this, downstream);
  }

  /**
   * Wraps a listener so that the text it receives, and the completed response's text, are restored.
   *
   * @param listener the caller's listener
   * @return the wrapping listener
   */
  public StreamListener restoring(StreamListener listener) {
    Objects.requireNonNull(listener, "listener");
    StreamRestorer restorer = streamRestorer(listener::onText);
    return new StreamListener() {
      @Override
      public void onText(String delta) {
        restorer.accept(delta);
      }

      @Override
      public void onToolCall(dev.kiai.core.chat.ToolCallDelta delta) {
        listener.onToolCall(delta);
      }

      @Override
      public void onComplete(dev.kiai.core.chat.ChatResponse response) {
        restorer.flush();
        listener.onComplete(Guardrails.withText(response, restore(response.text())));
      }

      @Override
      public void onError(Throwable error) {
        restorer.flush();
        listener.onError(error);
      }
    };
  }

  @Override
  public String toString() {
    return "PseudonymVault[" + size() + " values]";
  }
}
