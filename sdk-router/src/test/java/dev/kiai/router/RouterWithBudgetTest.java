package dev.kiai.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.core.Kiai;
import dev.kiai.core.RequestContext;
import dev.kiai.core.Trace;
import dev.kiai.core.budget.BudgetInterceptor;
import dev.kiai.core.budget.BudgetLedger;
import dev.kiai.core.budget.BudgetLimit;
import dev.kiai.core.budget.BudgetLimits;
import dev.kiai.core.budget.BudgetPolicy;
import dev.kiai.core.budget.BudgetReport;
import dev.kiai.core.budget.Window;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.error.ProviderUnavailableException;
import dev.kiai.core.pricing.PriceTable;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The core budget stage in front of the router: charges follow the model that actually answered. */
class RouterWithBudgetTest {
  private static final ModelCatalog CATALOG = ModelCatalog.of(PriceTable.bundled(), "gpt-4o-mini", "gpt-4.1");

  private static ChatRequest acme(String text) {
    return ChatRequest.builder().addUser(text).maxTokens(50)
        .context(RequestContext.builder().tenant("acme").build()).build();
  }

  @Test
  void budgetIsChargedToTheFallbackModelThatRanNotToTheRoutedOne() {
    BudgetLedger ledger = BudgetLedger.builder().limits(BudgetLimits.of(ZoneId.of("UTC"),
        BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("1").build())).build();
    FakeModel mini = new FakeModel("openai", r -> {
      throw new ProviderUnavailableException("openai", "gpt-4o-mini", 503, null, "down", null);
    });
    FakeModel big = FakeModel.answering("openai", "big");
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .resilience(ResilienceConfig.builder().maxAttempts(1).build())
        // the budget stage writes its default model into the request for its reservation: do not pin it
        .pinRequestedModel(false)
        .policy(RoutingPolicy.fixed("gpt-4o-mini", "gpt-4.1")).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big)
            .interceptor(BudgetInterceptor.builder().ledger(ledger).defaultModel("gpt-4.1").build())
            .interceptor(router).build()) {
      ChatResponse r = kiai.chat(acme("summarise"));

      assertThat(r.model()).isEqualTo("gpt-4.1");
      BudgetReport report = ledger.report(Map.of("tenant", "acme"), Window.DAY);
      // gpt-4.1: 100 input x 2 USD/M + 10 output x 8 USD/M
      assertThat(report.state().spentUsd()).isEqualByComparingTo("0.00028");
      assertThat(report.state().reservedUsd()).isEqualByComparingTo("0");
      assertThat(report.byModel()).containsOnlyKeys("gpt-4.1");
      assertThat(r.trace().all("budget")).extracting(Trace.Entry::decision).contains("commit");
      assertThat(r.trace().all("router")).extracting(Trace.Entry::decision)
          .containsExactly("routed to gpt-4o-mini", "failed gpt-4o-mini");
    }
  }

  @Test
  void budgetDowngradeSignalFromTheCoreStageSendsTheRequestToTheCheapModel() {
    BudgetLedger ledger = BudgetLedger.builder().limits(BudgetLimits.of(ZoneId.of("UTC"),
        BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("0.0001")
            .policy(BudgetPolicy.DOWNGRADE).downgradeTo("gpt-4o-mini").build())).build();
    FakeModel mini = FakeModel.answering("openai", "mini");
    FakeModel big = FakeModel.answering("openai", "big");
    try (RouterInterceptor router = RouterInterceptor.builder().catalog(CATALOG)
        .pinRequestedModel(false).policy(RoutingPolicy.fixed("gpt-4.1", "gpt-4o-mini")).build();
        Kiai kiai = Kiai.builder().model("gpt-4o-mini", mini).model("gpt-4.1", big)
            .interceptor(BudgetInterceptor.builder().ledger(ledger).defaultModel("gpt-4.1").build())
            .interceptor(router).build()) {
      ChatResponse r = kiai.chat(acme("summarise"));

      assertThat(r.text()).isEqualTo("mini");
      assertThat(big.calls()).isZero();
      assertThat(r.trace().all("router").get(0).decision()).isEqualTo("budget downgrade");
    }
  }
}
