package dev.kiai.examples;

import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.RequestContext;
import dev.kiai.core.Trace;
import dev.kiai.core.budget.BudgetEvent;
import dev.kiai.core.budget.BudgetInterceptor;
import dev.kiai.core.budget.BudgetLedger;
import dev.kiai.core.budget.BudgetLimits;
import dev.kiai.core.budget.BudgetReport;
import dev.kiai.core.budget.OutcomeCost;
import dev.kiai.core.budget.Window;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.BudgetExceededException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tenant's day: requests on gpt-4o until the tenant crosses its soft threshold (an event), then its
 * hard cap downgrades requests to gpt-4o-mini, until the user's own cap rejects them. The model is
 * simulated (fixed 800-token answers, no network) and the output says so.
 */
final class BudgetSection implements DemoSection {
  static final String LIMITS = """
      timezone: Europe/Berlin
      limits:
        - {match: {tenant: acme}, window: day, usd: "0.04", policy: downgrade, downgrade_to: gpt-4o-mini, soft: 0.5}
        - {match: {user: "*"}, window: day, usd: "0.035", policy: reject}
      """;
  static final int SIMULATED_OUTPUT_TOKENS = 800;

  @Override
  public String title() {
    return "Budgets: soft threshold, downgrade at the cap, then rejection (SIMULATED usage, no model is called)";
  }

  @Override
  public void run(DemoContext ctx) {
    List<BudgetEvent> events = new CopyOnWriteArrayList<>();
    ctx.out.println("limits (YAML):");
    LIMITS.lines().forEach(l -> ctx.out.println("  " + l));
    BudgetLedger ledger = BudgetLedger.builder()
        .limits(BudgetLimits.parse(LIMITS, true, "demo"))
        .prices(ctx.prices)
        .clock(Clock.fixed(Instant.parse("2026-05-04T08:00:00Z"), ZoneOffset.UTC))
        .listener(events::add)
        .build();
    ChatModel simulated = new SimulatedModel(ctx);
    ctx.out.println("model: SIMULATED — answers " + SIMULATED_OUTPUT_TOKENS + " output tokens, input counted "
        + "exactly; prices from the bundled table (" + ctx.prices.asOf() + ")");
    ctx.out.printf("  %-3s %-12s %-12s %-10s %11s %16s %14s%n", "#", "asked", "ran", "decision", "charged USD",
        "tenant left USD", "user left USD");
    try (Kiai kiai = Kiai.builder().model(simulated).interceptor(BudgetInterceptor.of(ledger)).build()) {
      for (int i = 1; i <= 20; i++) {
        ChatRequest request = ChatRequest.builder().model("gpt-4o")
            .addSystem("You summarise support tickets in three bullet points.")
            .addUser("Ticket " + i + ": the customer cannot export invoices to PDF since the last update.")
            .maxTokens(1000)
            .context(RequestContext.builder().requestId("req-" + i).tenant("acme").user("alice")
                .feature("ticket-summary").build())
            .build();
        try {
          ChatResponse r = kiai.chat(request);
          Trace.Entry admit = r.trace().find(BudgetInterceptor.STAGE).orElseThrow();
          Map<String, String> commit = r.trace().all(BudgetInterceptor.STAGE).get(1).attributes();
          ctx.out.printf("  %-3d %-12s %-12s %-10s %11s %16s %14s%n", i, "gpt-4o", r.model(), admit.decision(),
              commit.get("charged_usd"), strip(commit.get("remaining tenant:acme day")),
              strip(commit.get("remaining user:alice day")));
          for (BudgetEvent e : events) {
            ctx.out.printf("      >> soft threshold (event): %s has spent %s of its %s %s cap for the %s%n",
                e.scope(), e.spent().toPlainString(), e.cap().toPlainString(), e.unit(), e.limit().window());
          }
          events.clear();
          if (i % 3 == 0) {
            ledger.recordOutcome("req-" + i, "resolved");
          }
        } catch (BudgetExceededException e) {
          ctx.out.printf("  %-3d %-12s %-12s %-10s%n", i, "gpt-4o", "-", "reject");
          ctx.out.println("  BudgetExceededException: " + e.getMessage());
          break;
        }
      }
    }
    BudgetReport report = ledger.report(Map.of("tenant", "acme"), Window.DAY);
    ctx.out.println("report tenant:acme day: spent " + report.state().spentUsd().toPlainString() + " USD, reserved "
        + report.state().reservedUsd().toPlainString() + ", remaining " + report.state().remainingUsd().toPlainString()
        + ", resets " + report.resetsAt());
    report.byModel().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> ctx.out.println(
        "  by model " + e.getKey() + ": " + e.getValue().usd().toPlainString() + " USD, " + e.getValue().tokens()
            + " tokens"));
    OutcomeCost resolved = ledger.costPerOutcome("ticket-summary").get("resolved");
    ctx.out.println("cost per outcome (ticket-summary): " + resolved.count() + " resolved, "
        + resolved.usdPerOutcome().toPlainString() + " USD per resolved ticket (all feature spend "
        + resolved.featureUsd().toPlainString() + " / " + resolved.count() + ")");
  }

  private static String strip(String v) {
    return v == null ? "-" : v.replace(" USD", "");
  }

  /** Offline stand-in for a provider: exact input count, fixed output, labelled simulated. */
  private static final class SimulatedModel implements ChatModel {
    private final DemoContext ctx;

    SimulatedModel(DemoContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      long input = ctx.tokens.count(request).tokens();
      int output = Math.min(SIMULATED_OUTPUT_TOKENS, request.maxTokens() == null ? SIMULATED_OUTPUT_TOKENS
          : request.maxTokens());
      return new ChatResponse("simulated", ChatMessage.assistant("(simulated summary)"), FinishReason.STOP,
          Usage.of(input, output), null, request.model(), "simulated", null, null, null);
    }

    @Override
    public String provider() {
      return "simulated";
    }

    @Override
    public String defaultModel() {
      return "gpt-4o";
    }
  }
}
