package dev.kiai.guardrails;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Restores placeholders in streamed text; see {@link PseudonymVault#streamRestorer}. Holds back at most
 * one possible placeholder prefix. Not thread-safe: one restorer per stream.
 */
public final class StreamRestorer {
  private final PseudonymVault vault;
  private final Consumer<String> downstream;
  private final StringBuilder pending = new StringBuilder();

  StreamRestorer(PseudonymVault vault, Consumer<String> downstream) {
    this.vault = vault;
    this.downstream = Objects.requireNonNull(downstream, "downstream");
  }

  /**
   * Feeds the next delta; passes on what is certain.
   *
   * @param delta the next characters of the stream
   */
  public void accept(String delta) {
    pending.append(delta);
    int hold = holdFrom();
    if (hold > 0) {
      String ready = pending.substring(0, hold);
      pending.delete(0, hold);
      downstream.accept(vault.restore(ready));
    }
  }

  /** Passes on whatever is held back; call at the end of the stream. */
  public void flush() {
    if (pending.length() > 0) {
      String rest = pending.toString();
      pending.setLength(0);
      downstream.accept(vault.restore(rest));
    }
  }

  /** @return index from which pending text might still be an incomplete placeholder */
  private int holdFrom() {
    int lt = pending.lastIndexOf("<");
    if (lt < 0) {
      return pending.length();
    }
    int gt = pending.indexOf(">", lt);
    if (gt >= 0) {
      return pending.length(); // complete: restore everything
    }
    if (pending.length() - lt > PseudonymVault.MAX_PLACEHOLDER) {
      return pending.length();
    }
    for (int i = lt + 1; i < pending.length(); i++) {
      char c = pending.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
      if (!ok) {
        return pending.length(); // cannot be a placeholder
      }
    }
    return lt;
  }
}
