package dev.kiai.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.chat.ToolCall;
import dev.kiai.core.chat.ToolCallDelta;
import org.junit.jupiter.api.Test;

class ToolCallAssemblerTest {

  @Test
  void assemblesInterleavedCallsInIndexOrder() {
    ToolCallAssembler a = new ToolCallAssembler();
    assertThat(a.add(1, "call_b", "get_time", "")).isEqualTo(new ToolCallDelta(1, "call_b", "get_time", ""));
    a.add(0, "call_a", "get_weather", "{\"ci");
    a.add(1, null, null, "{}");
    assertThat(a.add(0, "call_a", "get_weather", "ty\":\"Paris\"}"))
        .as("a repeated id or name is not reported again")
        .isEqualTo(new ToolCallDelta(0, null, null, "ty\":\"Paris\"}"));

    assertThat(a.build()).containsExactly(
        new ToolCall("call_a", "get_weather", "{\"city\":\"Paris\"}"),
        new ToolCall("call_b", "get_time", "{}"));
  }

  @Test
  void callWithoutIdGetsOneAndCallWithoutNameIsAnError() {
    ToolCallAssembler a = new ToolCallAssembler();
    a.add(0, null, "f", null);
    assertThat(a.build()).containsExactly(new ToolCall("call_0", "f", "{}"));

    ToolCallAssembler nameless = new ToolCallAssembler();
    nameless.add(0, "call_x", null, "{}");
    assertThatThrownBy(nameless::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("name");
  }
}
