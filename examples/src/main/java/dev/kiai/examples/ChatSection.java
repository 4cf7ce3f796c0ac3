package dev.kiai.examples;

import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.LlmInterceptor;
import dev.kiai.core.RequestContext;
import dev.kiai.core.Trace;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.prompt.RenderedPrompt;
import dev.kiai.core.prompt.RolloutDecision;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Optional;

/** One request through the interceptor chain, with telemetry, against the configured model. */
final class ChatSection implements DemoSection {
  @Override
  public String title() {
    return "One request through the interceptor chain";
  }

  @Override
  public void run(DemoContext ctx) throws Exception {
    Optional<ChatModel> configured = ctx.remoteModel();
    if (configured.isEmpty()) {
      ctx.out.println("No model is configured, so no request is sent. To send one:");
      ctx.out.println("  OPENAI_API_KEY=sk-...  ./demo                                  (OpenAI, gpt-4o-mini)");
      ctx.out.println("  KIAI_BASE_URL=http://localhost:11434/v1 KIAI_MODEL=llama3.1 ./demo   (Ollama, vLLM, "
          + "llama.cpp server, LM Studio: any OpenAI-compatible server)");
      return;
    }
    ChatModel model = configured.get();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    LlmInterceptor audit = chain -> {
      ChatResponse r = chain.proceed(chain.request());
      chain.record("audited", Map.of("tenant", String.valueOf(chain.context().tenant())));
      return r;
    };
    try (Kiai kiai = Kiai.builder().model(model).meterRegistry(meters).interceptor(audit).build()) {
      RolloutDecision rollout = ctx.prompts.select(PromptsSection.TEMPLATE, "bob");
      RenderedPrompt prompt = rollout.template().render(Map.of("question", PromptsSection.QUESTION));
      ChatRequest request = prompt.toRequestBuilder(RequestContext.builder().tenant("acme").user("bob")
          .feature("support-reply").build()).model(model.defaultModel()).build();
      ctx.out.println("sending " + prompt.ref() + " to " + model.provider() + "/" + model.defaultModel() + " …");
      ChatResponse r = kiai.chat(request);
      ctx.out.println("answer: " + r.text().strip());
      ctx.out.println("model " + r.model() + ", " + r.usage().inputTokens() + " input / " + r.usage().outputTokens()
          + " output tokens, cost " + (r.cost().known() ? r.cost().total().stripTrailingZeros().toPlainString() + " USD"
              : "unknown (model not in the price table)")
          + ", " + r.latency().toMillis() + " ms, template " + r.template());
      ctx.out.println("trace:");
      for (Trace.Entry e : r.trace().entries()) {
        ctx.out.println("  " + e.stage() + ": " + e.decision() + " " + e.attributes());
      }
      ctx.out.println("meters:");
      for (Meter m : meters.getMeters()) {
        ctx.out.println("  " + m.getId().getName() + " " + m.getId().getTags() + " " + m.measure());
      }
    } finally {
      if (model instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }
}
