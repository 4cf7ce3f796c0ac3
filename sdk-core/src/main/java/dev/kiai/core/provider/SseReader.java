package dev.kiai.core.provider;

import java.io.IOException;
import okio.BufferedSource;

/**
 * Reads server-sent events (the {@code text/event-stream} format) one event at a time. Comment lines
 * ({@code :...}) and fields other than {@code event} and {@code data} are skipped; several {@code data}
 * lines of one event are joined with {@code \n}. A complete last event without the closing blank line
 * is still delivered, but a line cut off without its newline is dropped: the stream was truncated
 * mid-event and the caller sees the end of input instead.
 */
final class SseReader {
  /** One event: its {@code event} field (null when absent) and its data. */
  record Event(String name, String data) {}

  private final BufferedSource source;
  private boolean cutOff;

  SseReader(BufferedSource source) {
    this.source = source;
  }

  /**
   * @return the next event, or null at the end of the stream
   * @throws IOException when reading fails (timeouts included)
   */
  Event next() throws IOException {
    String name = null;
    StringBuilder data = null;
    while (true) {
      String line = readLine();
      if (line == null) {
        return data != null && !cutOff ? new Event(name, data.toString()) : null;
      }
      if (line.isEmpty()) {
        if (data != null) {
          return new Event(name, data.toString());
        }
        name = null;
        continue;
      }
      if (line.charAt(0) == ':') {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (field.equals("data")) {
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      } else if (field.equals("event")) {
        name = value;
      }
    }
  }

  /** @return the next complete line without its terminator, or null at the end of input */
  private String readLine() throws IOException {
    long newline = source.indexOf((byte) '\n');
    if (newline < 0) {
      // End of input. Whatever is buffered is a line without its newline: cut off, so dropped.
      long rest = source.getBuffer().size();
      cutOff = rest > 0;
      source.skip(rest);
      return null;
    }
    String line = source.readUtf8(newline);
    source.skip(1);
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
