package dev.kiai.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.ToolCall;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.KiaiException;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.prompt.TemplateRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KiaiChainTest {

  /** Echoes the last user message and records which model id was asked for. */
  static class EchoModel implements ChatModel {
    final List<ChatRequest> seen = new CopyOnWriteArrayList<>();
    final String model;

    EchoModel(String model) {
      this.model = model;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      seen.add(request);
      return new ChatResponse("r1", ChatMessage.assistant("echo: " + request.lastUserText()), FinishReason.STOP,
          Usage.of(1_000, 500), null, request.model() == null ? model : request.model(), "fake", null, null, null);
    }

    @Override
    public String provider() {
      return "fake";
    }

    @Override
    public String defaultModel() {
      return model;
    }
  }

  static LlmInterceptor tagging(String name, List<String> log) {
    return new LlmInterceptor() {
      @Override
      public ChatResponse intercept(Chain chain) {
        log.add(name + ">");
        ChatRequest changed = chain.request().toBuilder().addUser(name).build();
        ChatResponse r = chain.proceed(changed);
        log.add("<" + name);
        chain.record("saw " + r.text(), Map.of("by", name));
        return r;
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  @Test
  void interceptorsRunInOrderAndTheirDecisionsAreTraced() {
    List<String> log = new ArrayList<>();
    EchoModel model = new EchoModel("gpt-4o-mini");
    try (Kiai kiai = Kiai.builder().model(model)
        .interceptor(tagging("first", log)).interceptor(tagging("second", log)).build()) {
      ChatResponse r = kiai.chat("hi");

      assertThat(log).containsExactly("first>", "second>", "<second", "<first");
      assertThat(model.seen.get(0).messages()).extracting(ChatMessage::content)
          .containsExactly("hi", "first", "second");
      assertThat(r.text()).isEqualTo("echo: second");
      assertThat(r.trace().entries()).extracting(Trace.Entry::stage).containsExactly("model", "second", "first");
      assertThat(r.trace().find("first").orElseThrow().attributes()).containsEntry("by", "first");
      Trace.Entry call = r.trace().find(Kiai.MODEL_STAGE).orElseThrow();
      assertThat(call.decision()).isEqualTo("called fake/gpt-4o-mini");
      assertThat(call.attributes()).containsEntry("input_tokens", "1000").containsEntry("cost_usd", "0.00045");
    }
  }

  @Test
  void responsesArePricedForTheModelThatRan() {
    try (Kiai kiai = Kiai.builder().model(new EchoModel("gpt-4o-mini")).build()) {
      ChatResponse r = kiai.chat("hi");
      assertThat(r.cost().total()).isEqualByComparingTo("0.00045");
      assertThat(r.cost().known()).isTrue();
      assertThat(r.latency()).isPositive();
    }
    try (Kiai kiai = Kiai.builder().model(new EchoModel("my-local-model")).build()) {
      ChatResponse r = kiai.chat("hi");
      assertThat(r.cost().known()).isFalse();
      assertThat(r.trace().find("model").orElseThrow().attributes()).containsEntry("priced_as", "unknown");
    }
  }

  @Test
  void requestsAreSentToTheModelRegisteredForTheirId() {
    EchoModel cheap = new EchoModel("gpt-4o-mini");
    EchoModel premium = new EchoModel("gpt-4o");
    try (Kiai kiai = Kiai.builder().model("gpt-4o-mini", cheap).model("gpt-4o", premium).build()) {
      kiai.chat(ChatRequest.builder().model("gpt-4o").addUser("x").build());
      assertThat(premium.seen).hasSize(1);
      assertThat(cheap.seen).isEmpty();
      assertThatThrownBy(() -> kiai.chat(ChatRequest.builder().model("claude-x").addUser("x").build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("model 'claude-x'").hasMessageContaining("gpt-4o-mini");
    }
    assertThatThrownBy(() -> Kiai.builder().build()).isInstanceOf(ConfigurationException.class);
  }

  @Test
  void anInterceptorMayAnswerWithoutCallingTheModel() {
    EchoModel model = new EchoModel("gpt-4o-mini");
    LlmInterceptor cache = chain -> {
      chain.record("hit", Map.of("similarity", "1.0"));
      return new ChatResponse("cached", ChatMessage.assistant("from cache"), FinishReason.STOP, null, null,
          "gpt-4o-mini", "cache", null, null, null);
    };
    try (Kiai kiai = Kiai.builder().model(model).interceptor(cache).build()) {
      ChatResponse r = kiai.chat("hi");
      assertThat(r.text()).isEqualTo("from cache");
      assertThat(model.seen).isEmpty();
      assertThat(r.trace().entries()).hasSize(1);
      assertThat(r.trace().entries().get(0).decision()).isEqualTo("hit");
    }
  }

  @Test
  void theTemplateReferenceOfTheContextIsRecordedOnTheResponse() {
    TemplateRef ref = TemplateRef.parse("summarize@1.2.0");
    try (Kiai kiai = Kiai.builder().model(new EchoModel("gpt-4o-mini")).build()) {
      ChatResponse r = kiai.chat(ChatRequest.builder().addUser("x")
          .context(RequestContext.builder().template(ref).tenant("acme").build()).build());
      assertThat(r.template()).isEqualTo(ref);
    }
  }

  @Test
  void providerErrorsReachTheCallerUnwrapped() throws Exception {
    ProviderUnavailableException boom = new ProviderUnavailableException("fake", "m", 503, null, "down", null);
    ChatModel failing = new EchoModel("m") {
      @Override
      public ChatResponse chat(ChatRequest request) {
        throw boom;
      }
    };
    try (Kiai kiai = Kiai.builder().model(failing).build()) {
      assertThatThrownBy(() -> kiai.chat("x")).isSameAs(boom);
      assertThatThrownBy(() -> kiai.chatAsync(ChatRequest.of("x")).get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasCause(boom);
      List<Throwable> errors = new ArrayList<>();
      kiai.stream(ChatRequest.of("x"), new StreamListener() {
        @Override
        public void onComplete(ChatResponse response) {
          throw new AssertionError("must not complete");
        }

        @Override
        public void onError(Throwable error) {
          errors.add(error);
        }
      });
      assertThat(errors).containsExactly(boom);
      assertThat(boom).isInstanceOf(KiaiException.class);
      assertThat(boom.retryable()).isTrue();
    }
  }

  @Test
  void aModelThatCannotStreamAnswersInOnePieceThroughTheStreamingChain() throws Exception {
    ChatModel tools = new EchoModel("gpt-4o-mini") {
      @Override
      public ChatResponse chat(ChatRequest request) {
        return new ChatResponse("t", ChatMessage.assistant("calling", List.of(new ToolCall("c1", "lookup",
            "{\"q\":1}"))), FinishReason.TOOL_CALLS, Usage.of(10, 5), null, "gpt-4o-mini", "fake", null, null,
            null);
      }
    };
    List<String> events = new ArrayList<>();
    LlmInterceptor observing = new LlmInterceptor() {
      @Override
      public ChatResponse intercept(Chain chain) {
        return chain.proceed(chain.request());
      }

      @Override
      public void interceptStream(StreamChain chain) {
        chain.proceed(chain.request(), new StreamListener() {
          @Override
          public void onText(String delta) {
            chain.listener().onText(delta.toUpperCase());
          }

          @Override
          public void onToolCall(dev.kiai.core.chat.ToolCallDelta delta) {
            chain.listener().onToolCall(delta);
          }

          @Override
          public void onComplete(ChatResponse response) {
            chain.record("streamed", Map.of());
            chain.listener().onComplete(response);
          }

          @Override
          public void onError(Throwable error) {
            chain.listener().onError(error);
          }
        });
      }

      @Override
      public String name() {
        return "observer";
      }
    };
    try (Kiai kiai = Kiai.builder().model(tools).interceptor(observing).build()) {
      ChatResponse r = kiai.streamAsync(ChatRequest.of("x"), new StreamListener() {
        @Override
        public void onText(String delta) {
          events.add("text:" + delta);
        }

        @Override
        public void onToolCall(dev.kiai.core.chat.ToolCallDelta delta) {
          events.add("tool:" + delta.name() + delta.argumentsDelta());
        }

        @Override
        public void onComplete(ChatResponse response) {
          events.add("complete");
        }

        @Override
        public void onError(Throwable error) {
          events.add("error");
        }
      }).get(5, TimeUnit.SECONDS);
      assertThat(events).containsExactly("text:CALLING", "tool:lookup{\"q\":1}", "complete");
      assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
      assertThat(r.trace().entries()).extracting(Trace.Entry::stage).containsExactly("model", "observer");
      assertThat(r.cost().total()).isEqualByComparingTo("0.0000045");
    }
  }
}
