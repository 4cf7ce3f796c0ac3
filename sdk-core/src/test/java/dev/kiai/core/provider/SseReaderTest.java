package dev.kiai.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  private static List<SseReader.Event> read(String stream) throws IOException {
    SseReader reader = new SseReader(new Buffer().writeUtf8(stream));
    List<SseReader.Event> events = new ArrayList<>();
    for (SseReader.Event e = reader.next(); e != null; e = reader.next()) {
      events.add(e);
    }
    return events;
  }

  @Test
  void readsDataAndEventFieldsSkippingCommentsAndUnknownFields() throws IOException {
    assertThat(read(": keep-alive\n\nevent: message_start\nid: 7\nretry: 1000\ndata: {\"a\":1}\n\ndata:[DONE]\n\n"))
        .containsExactly(new SseReader.Event("message_start", "{\"a\":1}"), new SseReader.Event(null, "[DONE]"));
  }

  @Test
  void joinsMultiLineDataWithNewlines() throws IOException {
    assertThat(read("data: first\ndata:  second\ndata\n\n"))
        .containsExactly(new SseReader.Event(null, "first\n second\n"));
  }

  @Test
  void acceptsCrLfLineEndings() throws IOException {
    assertThat(read("event: ping\r\ndata: {}\r\n\r\ndata: x\r\n\r\n"))
        .containsExactly(new SseReader.Event("ping", "{}"), new SseReader.Event(null, "x"));
  }

  @Test
  void blankLineWithoutDataDispatchesNothingAndForgetsTheEventName() throws IOException {
    assertThat(read("event: lonely\n\ndata: y\n\n")).containsExactly(new SseReader.Event(null, "y"));
  }

  @Test
  void deliversALastCompleteEventWithoutItsBlankLine() throws IOException {
    assertThat(read("data: a\n\ndata: [DONE]\n"))
        .containsExactly(new SseReader.Event(null, "a"), new SseReader.Event(null, "[DONE]"));
  }

  @Test
  void dropsALineCutOffWithoutItsNewline() throws IOException {
    assertThat(read("data: a\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hel")).containsExactly(
        new SseReader.Event(null, "a"));
    assertThat(read("data: a\ndata: b")).isEmpty();
  }

  @Test
  void emptyStreamHasNoEvents() throws IOException {
    assertThat(read("")).isEmpty();
    assertThat(read("\n\n: only comments\n")).isEmpty();
  }

  @Test
  void decodesUtf8SplitAcrossBuffers() throws IOException {
    assertThat(read("data: 18°C ☀\n\n")).containsExactly(new SseReader.Event(null, "18°C ☀"));
  }
}
