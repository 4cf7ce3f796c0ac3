package dev.kiai.examples;

import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.Trace;
import dev.kiai.core.cache.CacheInterceptor;
import dev.kiai.core.cache.SemanticCache;
import dev.kiai.core.cache.StoreResult;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.telemetry.TelemetryNames;
import dev.kiai.embeddings.OnnxMiniLmEmbeddingModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;

/**
 * The semantic cache: a paraphrased question served from the cache with the cost it saved, and the
 * negated question refused by the guard. Embeddings run in-process (all-MiniLM-L6-v2), offline.
 */
final class CacheSection implements DemoSection {
  static final String SYSTEM = "Answer support questions in one sentence.";
  static final String QUESTION = "How do I reset my account password?";
  static final String PARAPHRASE = "How can I reset the password of my account?";
  static final String NEGATED = "How do I not reset my account password?";
  static final String EXAMPLE_ANSWER =
      "Open Settings > Security, choose \"Reset password\" and follow the link we e-mail you.";
  static final String MODEL = "gpt-4o-mini";

  @Override
  public String title() {
    return "Semantic cache: a paraphrase served from the cache, the negation sent on";
  }

  @Override
  public void run(DemoContext ctx) throws Exception {
    Optional<ChatModel> remote = ctx.remoteModel();
    ChatModel model = remote.orElseGet(NoModel::new);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (OnnxMiniLmEmbeddingModel embeddings = OnnxMiniLmEmbeddingModel.create()) {
      SemanticCache cache = SemanticCache.builder().embeddingModel(embeddings).threshold(0.84).build();
      try (Kiai kiai = Kiai.builder().model(model).prices(ctx.prices)
          .interceptor(CacheInterceptor.of(cache, meters)).build()) {
        String modelId = remote.isPresent() ? model.defaultModel() : MODEL;
        if (remote.isPresent()) {
          ChatResponse first = kiai.chat(ask(QUESTION, modelId));
          ctx.out.println("1. asked " + model.provider() + "/" + first.model() + ": \"" + QUESTION + "\"");
          ctx.out.println("   answer: " + first.text().strip());
          ctx.out.println("   cost " + costText(first.cost()) + "; cached: "
              + first.trace().find(CacheInterceptor.STAGE).map(e -> e.attributes().get("stored")).orElse("?"));
        } else {
          Usage usage = Usage.of(ctx.tokens.count(ask(QUESTION, MODEL)).tokens(),
              ctx.tokens.count(MODEL, EXAMPLE_ANSWER).tokens());
          Cost cost = ctx.prices.cost(MODEL, usage);
          ChatResponse example = new ChatResponse("demo-example", ChatMessage.assistant(EXAMPLE_ANSWER),
              FinishReason.STOP, usage, cost, MODEL, "demo", null, null, null);
          StoreResult stored = cache.store(ask(QUESTION, MODEL), example, List.of("demo"));
          ctx.out.println("1. No model is configured, so the demo stored an example answer itself "
              + "(written by the demo, NOT produced by a model):");
          ctx.out.println("   \"" + QUESTION + "\" -> \"" + EXAMPLE_ANSWER + "\"");
          ctx.out.println("   priced as if " + MODEL + " had answered: " + usage.inputTokens() + " input + "
              + usage.outputTokens() + " output tokens = " + costText(cost) + " (stored: " + stored.stored() + ")");
        }

        ChatResponse hit = kiai.chat(ask(PARAPHRASE, modelId));
        Trace.Entry h = hit.trace().find(CacheInterceptor.STAGE).orElseThrow();
        ctx.out.println("2. paraphrase \"" + PARAPHRASE + "\"");
        ctx.out.println("   " + h.decision() + " (" + h.attributes().get("tier") + ", similarity "
            + h.attributes().get("similarity") + ") from " + hit.provider() + " in " + hit.latency().toMillis()
            + " ms (embedding included), saved " + h.attributes().get("saved_cost") + " " + h.attributes().get("saved_cost_currency")
            + "; answer: " + hit.text().strip());

        ctx.out.println("3. negated \"" + NEGATED + "\"");
        try {
          ChatResponse negated = kiai.chat(ask(NEGATED, modelId));
          Trace.Entry n = negated.trace().find(CacheInterceptor.STAGE).orElseThrow();
          ctx.out.println("   " + n.decision() + " (" + n.attributes().get("reason") + ", similarity "
              + n.attributes().get("best_similarity") + "): answered by " + negated.provider() + "/"
              + negated.model() + ", cost " + costText(negated.cost()));
        } catch (ConfigurationException e) {
          Trace.Entry n = kiaiTraceOfMiss(cache, ask(NEGATED, modelId));
          ctx.out.println("   miss (" + n.attributes().get("reason") + ", similarity "
              + n.attributes().get("best_similarity") + "): it would go to the model; none is configured, "
              + "so it stops here");
        }
        ctx.out.println("meters: " + TelemetryNames.KIAI_CACHE_LOOKUPS + " hit="
            + meters.counter(TelemetryNames.KIAI_CACHE_LOOKUPS, TelemetryNames.KIAI_CACHE_RESULT, "hit",
                TelemetryNames.KIAI_CACHE_TIER, "semantic").count()
            + ", " + TelemetryNames.KIAI_CACHE_SAVED_COST + "=" + Optional.ofNullable(
                meters.find(TelemetryNames.KIAI_CACHE_SAVED_COST).counter()).map(c -> String.format(java.util.Locale.ROOT, "%.7f", c.count()))
                .orElse("0") + " USD");
      }
    } finally {
      if (model instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  /** The lookup the interceptor made, repeated without the model: its reason and similarity. */
  private static Trace.Entry kiaiTraceOfMiss(SemanticCache cache, ChatRequest request) {
    dev.kiai.core.cache.CacheLookup l = cache.lookup(request);
    return new Trace.Entry(CacheInterceptor.STAGE, "miss", java.util.Map.of("reason", l.reason().orElse(""),
        "best_similarity", String.format(java.util.Locale.ROOT, "%.4f", l.similarity())));
  }

  private static ChatRequest ask(String question, String model) {
    return ChatRequest.builder().model(model).addSystem(SYSTEM).addUser(question).maxTokens(100).build();
  }

  private static String costText(Cost cost) {
    return cost.known() ? cost.total().toPlainString() + " USD" : "unknown (model not in the price table)";
  }

  /** Stands in for a model when none is configured: every call fails, so nothing is faked. */
  private static final class NoModel implements ChatModel {
    @Override
    public ChatResponse chat(ChatRequest request) {
      throw new ConfigurationException("no model is configured for the demo");
    }

    @Override
    public String provider() {
      return "none";
    }

    @Override
    public String defaultModel() {
      return MODEL;
    }
  }
}
