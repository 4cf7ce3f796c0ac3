package dev.kiai.examples;

import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.RequestContext;
import dev.kiai.core.Trace;
import dev.kiai.core.budget.BudgetSignal;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.error.AuthenticationException;
import dev.kiai.core.error.KiaiException;
import dev.kiai.core.load.LoadSnapshot;
import dev.kiai.core.pricing.Capability;
import dev.kiai.core.pricing.Locality;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.pricing.ModelPrice;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
import dev.kiai.router.ModelCatalog;
import dev.kiai.router.ResilienceConfig;
import dev.kiai.router.RouterInterceptor;
import dev.kiai.router.RoutingPolicy;
import dev.kiai.router.Rule;
import dev.kiai.router.RulesPolicy;
import dev.kiai.gpu.LlamaCppChatModel;
import dev.kiai.gpu.TinyGguf;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Routes easy requests to a local model and hard ones to a premium model, with budget downgrade, load
 * overflow and fallbacks, and explains every decision from the trace. The local model is the engine at
 * {@code KIAI_BASE_URL} when set, else in-process llama.cpp on the generated random-weight smoke model
 * (real inference, gibberish text); the premium model is OpenAI when {@code OPENAI_API_KEY} is set,
 * else a stand-in that fails with the typed error a keyless call gets, so the fallbacks show.
 */
final class RoutingSection implements DemoSection {
  static final String LOCAL = "local-llama";
  static final String PREMIUM = "gpt-4.1";

  @Override
  public String title() {
    return "Routing: easy requests to the local model, hard ones to premium, fallbacks explained";
  }

  @Override
  public void run(DemoContext ctx) throws Exception {
    String baseUrl = ctx.env.get("KIAI_BASE_URL");
    String key = ctx.env.get("OPENAI_API_KEY");
    boolean localConfigured = baseUrl != null && !baseUrl.isBlank();
    boolean premiumConfigured = key != null && !key.isBlank();
    ChatModel local = localConfigured
        ? OpenAiCompatibleChatModel.builder().baseUrl(baseUrl).apiKey(ctx.env.get("KIAI_API_KEY"))
            .defaultModel(ctx.env.getOrDefault("KIAI_MODEL", "llama3.1")).provider("local").build()
        : LlamaCppChatModel.builder(TinyGguf.builder().build().writeTo(ctx.workDir().resolve("routing-tiny-q8_0.gguf")))
            .modelName(LOCAL).contextSize(512).threads(2).defaultMaxTokens(16).build();
    ChatModel premium = premiumConfigured ? OpenAiCompatibleChatModel.openAi(key, PREMIUM)
        : new NotConfigured("openai", PREMIUM);
    ctx.out.println("local model:   " + LOCAL + (localConfigured ? " at " + baseUrl
        : " = in-process llama.cpp on the random-weight smoke model (gibberish answers; set KIAI_BASE_URL for a"
            + " real engine)"));
    ctx.out.println("premium model: " + PREMIUM + (premiumConfigured ? " (OpenAI)" : " (not configured: set OPENAI_API_KEY)"));

    ModelInfo localInfo = new ModelInfo(local.provider(), LOCAL, List.of(), localConfigured ? 8192 : 512,
        localConfigured ? 2048 : 64,
        new ModelPrice("USD", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO),
        Set.of(Capability.STREAMING, Capability.JSON_OBJECT), Locality.LOCAL_GPU, null);
    ModelCatalog catalog = ModelCatalog.builder().model(LOCAL, localInfo).model(PREMIUM, ctx.prices).build();
    RoutingPolicy policy = RoutingPolicy.firstOf(
        RulesPolicy.of(
            Rule.named("hard-reasoning").promptMatches("(?i)\\b(prove|derive|step by step|contract|diagnos\\w*)\\b")
                .routeTo(PREMIUM, LOCAL),
            Rule.named("structured-output").requires(Capability.JSON_SCHEMA).routeTo(PREMIUM)),
        RoutingPolicy.cheapestEligible());
    List<Trace.Entry> lastRouting = new ArrayList<>();
    boolean[] localSaturated = {false};
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(catalog).policy(policy).prices(ctx.prices)
        .tokenCounter(ctx.tokens)
        .resilience(ResilienceConfig.builder().maxAttempts(2).backoff(Duration.ofMillis(20), 2, 0.5).build())
        .loadSignal(model -> model.equals(LOCAL) && localSaturated[0]
            ? Optional.of(new LoadSnapshot(true, 0.96, 16, 23, Duration.ofMillis(2400), 310, Instant.now()))
            : Optional.empty(), 0.9)
        .listener((request, entries, error) -> {
          lastRouting.clear();
          lastRouting.addAll(entries);
        })
        .build();
        Kiai kiai = Kiai.builder().model(LOCAL, local).model(PREMIUM, premium).prices(ctx.prices)
            .interceptor(router).build()) {
      send(ctx, kiai, lastRouting, "an easy question", ChatRequest.of("What is the capital of France?"));
      send(ctx, kiai, lastRouting, "a hard question",
          ChatRequest.of("Prove step by step that the square root of 2 is irrational."));
      send(ctx, kiai, lastRouting, "structured output (the local model has no JSON Schema mode)",
          ChatRequest.builder().addUser("Extract the city from: 'Flight to Lyon on Monday'.")
              .responseFormat(ResponseFormat.jsonSchema("city",
                  "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"))
              .build());
      send(ctx, kiai, lastRouting, "a hard question while tenant acme's budget asks to downgrade",
          ChatRequest.builder().addUser("Prove step by step that there are infinitely many primes.")
              .context(RequestContext.builder().tenant("acme").attribute(BudgetSignal.ATTRIBUTE,
                  new BudgetSignal(BudgetSignal.Action.DOWNGRADE, "tenant:acme", null, null, new BigDecimal("0.02")))
                  .build()).build());
      localSaturated[0] = true;
      send(ctx, kiai, lastRouting, "an easy question while the local GPU reports 96 % saturation",
          ChatRequest.of("What is the capital of Italy?"));
    } finally {
      for (ChatModel m : List.of(local, premium)) {
        if (m instanceof AutoCloseable c) {
          c.close();
        }
      }
    }
  }

  private static void send(DemoContext ctx, Kiai kiai, List<Trace.Entry> routing, String label, ChatRequest request) {
    ctx.out.println();
    ctx.out.println("-- " + label + ": \"" + request.lastUserText() + "\"");
    try {
      ChatResponse r = kiai.chat(request);
      for (Trace.Entry e : r.trace().entries()) {
        ctx.out.println("   " + e.stage() + ": " + e.decision() + " " + brief(e.attributes()));
      }
      ctx.out.println("   answer from " + r.provider() + "/" + r.model() + ": "
          + LocalGpuSection.printable(r.text().strip()));
    } catch (KiaiException e) {
      for (Trace.Entry entry : routing) {
        ctx.out.println("   " + entry.stage() + ": " + entry.decision() + " " + brief(entry.attributes()));
      }
      ctx.out.println("   no answer: every candidate failed; last error " + e.getClass().getSimpleName()
          + " (" + e.getMessage() + ")");
    }
  }

  private static String brief(Map<String, String> attributes) {
    StringBuilder sb = new StringBuilder();
    for (String k : List.of("policy", "reason", "fallbacks", "error", "from", "to", "saturation", "model",
        "cost_usd")) {
      String v = attributes.get(k);
      if (v != null && !v.isEmpty()) {
        sb.append(sb.length() == 0 ? "[" : ", ").append(k).append('=').append(v);
      }
    }
    return sb.length() == 0 ? "" : sb.append(']').toString();
  }

  /**
   * The premium model when {@code OPENAI_API_KEY} is not set: fails at once with the typed error a real
   * provider raises for a missing key, so the router's fallback can be shown without a network.
   */
  static final class NotConfigured implements ChatModel {
    private final String provider;
    private final String model;

    NotConfigured(String provider, String model) {
      this.provider = provider;
      this.model = model;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      throw new AuthenticationException(provider, model, 0, "missing_api_key",
          "OPENAI_API_KEY is not set; nothing was sent");
    }

    @Override
    public String provider() {
      return provider;
    }

    @Override
    public String defaultModel() {
      return model;
    }
  }
}
