package dev.kiai.examples;

import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.tokens.TokenCount;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Exact token counts and the worst-case cost of one request on every priced model. */
final class TokensAndCostSection implements DemoSection {
  @Override
  public String title() {
    return "Tokens and cost: exact counts, worst case across the price table";
  }

  @Override
  public void run(DemoContext ctx) {
    ChatRequest request = ctx.prompts.get(PromptsSection.TEMPLATE + "@prod")
        .render(Map.of("question", PromptsSection.QUESTION)).toRequest();
    int maxTokens = request.maxTokens() == null ? 200 : request.maxTokens();
    ctx.out.println("prices as of " + ctx.prices.asOf() + "; request = system + user message, maxTokens "
        + maxTokens);
    List<ModelInfo> models = ctx.prices.models().stream()
        .sorted(Comparator.comparing((ModelInfo m) -> worstCase(ctx, m, request, maxTokens).total())
            .thenComparing(ModelInfo::id))
        .toList();
    ctx.out.printf("  %-26s %-10s %7s %-9s %14s%n", "model", "provider", "tokens", "count", "worst-case USD");
    for (ModelInfo m : models) {
      TokenCount in = ctx.tokens.count(request.toBuilder().model(m.id()).build());
      ctx.out.printf("  %-26s %-10s %7d %-9s %14s%n", m.id(), m.provider(), in.tokens(),
          in.exact() ? "exact" : "estimate", worstCase(ctx, m, request, maxTokens).total().stripTrailingZeros().toPlainString());
    }
  }

  private static Cost worstCase(DemoContext ctx, ModelInfo m, ChatRequest request, int maxTokens) {
    TokenCount in = ctx.tokens.count(request.toBuilder().model(m.id()).build());
    return ctx.prices.cost(m, Usage.of(in.tokens(), maxTokens));
  }
}
