package dev.kiai.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.RequestContext;
import dev.kiai.core.StreamListener;
import dev.kiai.core.Trace;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Role;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.BudgetExceededException;
import dev.kiai.core.error.ProviderUnavailableException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BudgetInterceptorTest {

  /** Answers with fixed usage as {@code answeredBy} (a fallback when it differs from the request's model). */
  static final class FakeModel implements ChatModel {
    final List<ChatRequest> seen = new CopyOnWriteArrayList<>();
    final String answeredBy;
    final Usage usage;
    volatile boolean fail;

    FakeModel(String answeredBy, Usage usage) {
      this.answeredBy = answeredBy;
      this.usage = usage;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      seen.add(request);
      if (fail) {
        throw new ProviderUnavailableException("fake", request.model(), 503, "overloaded", "down", null);
      }
      String model = answeredBy == null ? request.model() : answeredBy;
      return new ChatResponse("id", ChatMessage.assistant("ok"), FinishReason.STOP, usage, null, model, "fake",
          null, null, null);
    }

    @Override
    public String provider() {
      return "fake";
    }

    @Override
    public String defaultModel() {
      return "gpt-4o";
    }
  }

  static BudgetLedger ledger(BudgetLimit... limits) {
    return BudgetLedger.builder().limits(BudgetLimits.of(ZoneId.of("UTC"), limits)).build();
  }

  static ChatRequest request(String model, int maxTokens) {
    return ChatRequest.builder().model(model).addSystem("Be brief.").addUser("Summarise the ticket.")
        .maxTokens(maxTokens).context(RequestContext.builder().tenant("acme").feature("summary").build()).build();
  }

  @Test
  void chargesTheModelThatActuallyRanAndTracesReserveAndCommit() {
    BudgetLedger ledger = ledger(BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("1").build());
    FakeModel fellBack = new FakeModel("gpt-4o-mini", new Usage(1000, 200, 400, 0, 0));
    try (Kiai kiai = Kiai.builder().model(fellBack).interceptor(BudgetInterceptor.of(ledger)).build()) {
      ChatResponse r = kiai.chat(request("gpt-4o", 300));

      List<Trace.Entry> budget = r.trace().all(BudgetInterceptor.STAGE);
      assertThat(budget).extracting(Trace.Entry::decision).containsExactly("admit", "commit");
      Map<String, String> admit = budget.get(0).attributes();
      assertThat(admit).containsEntry("model", "gpt-4o").containsEntry("max_tokens", "300")
          .containsEntry("input_tokens", "20").containsEntry("reserved_tokens", "320")
          .containsEntry("reserved_usd", "0.00305") // 20 x 2.50/M + 300 x 10/M
          .containsEntry("remaining tenant:acme day", "0.99695 USD");
      Map<String, String> commit = budget.get(1).attributes();
      assertThat(commit).containsEntry("model", "gpt-4o-mini").containsEntry("charged_usd", "0.00024")
          .containsEntry("charged_tokens", "1200").containsEntry("remaining tenant:acme day", "0.99976 USD");
      assertThat(r.trace().entries()).extracting(Trace.Entry::stage)
          .containsExactly("budget", "model", "budget");
    }
  }

  @Test
  void downgradeSendsTheRequestToTheCheaperModelWithASignal() {
    BudgetLedger ledger = ledger(BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("0.004")
        .policy(BudgetPolicy.DOWNGRADE).downgradeTo("gpt-4o-mini").build());
    FakeModel model = new FakeModel(null, Usage.of(21, 300));
    try (Kiai kiai = Kiai.builder().model(model).interceptor(BudgetInterceptor.of(ledger)).build()) {
      kiai.chat(request("gpt-4o", 300));
      ChatResponse second = kiai.chat(request("gpt-4o", 300));

      ChatRequest sent = model.seen.get(1);
      assertThat(sent.model()).isEqualTo("gpt-4o-mini");
      BudgetSignal signal = BudgetSignal.of(sent.context()).orElseThrow();
      assertThat(signal.action()).isEqualTo(BudgetSignal.Action.DOWNGRADE);
      assertThat(signal.scope()).isEqualTo("tenant:acme");
      assertThat(signal.downgradeTo()).isEqualTo("gpt-4o-mini");
      assertThat(signal.remainingUsd()).isEqualByComparingTo("0.0009475");
      assertThat(second.model()).isEqualTo("gpt-4o-mini");
      assertThat(second.trace().find(BudgetInterceptor.STAGE).orElseThrow().attributes())
          .containsEntry("requested_model", "gpt-4o").containsEntry("trigger", "tenant:acme day");
      assertThat(second.trace().find(BudgetInterceptor.STAGE).orElseThrow().decision()).isEqualTo("downgrade");
    }
  }

  @Test
  void shrinkLowersMaxTokensAndTrimsTheOldestTurnsKeepingSystemAndNewest() {
    BudgetLedger ledger = ledger(BudgetLimit.builder().match("tenant", "acme").window(Window.HOUR).tokens(120)
        .policy(BudgetPolicy.SHRINK).build());
    FakeModel model = new FakeModel(null, Usage.of(50, 16));
    ChatRequest.Builder b = ChatRequest.builder().model("gpt-4o-mini").addSystem("Be brief.").maxTokens(500)
        .context(RequestContext.builder().tenant("acme").build());
    for (int i = 0; i < 6; i++) {
      b.addUser("Earlier question number " + i + " about the invoice and its many line items?");
      b.addMessage(ChatMessage.assistant("Earlier answer number " + i + " with some detail about the items."));
    }
    b.addUser("And the total?");
    try (Kiai kiai = Kiai.builder().model(model).interceptor(BudgetInterceptor.of(ledger)).build()) {
      ChatResponse r = kiai.chat(b.build());

      ChatRequest sent = model.seen.get(0);
      assertThat(sent.maxTokens()).isEqualTo(16);
      assertThat(sent.messages().get(0).content()).isEqualTo("Be brief.");
      assertThat(sent.messages().get(sent.messages().size() - 1).content()).isEqualTo("And the total?");
      assertThat(sent.messages()).hasSizeLessThan(14);
      assertThat(sent.messages().get(1).role()).isEqualTo(Role.USER);
      assertThat(dev.kiai.core.tokens.TokenCounter.create().count(sent).tokens()).isLessThanOrEqualTo(104);
      BudgetSignal signal = BudgetSignal.of(sent.context()).orElseThrow();
      assertThat(signal.action()).isEqualTo(BudgetSignal.Action.SHRINK);
      assertThat(signal.maxTokens()).isEqualTo(16);
      assertThat(r.trace().find(BudgetInterceptor.STAGE).orElseThrow().attributes())
          .containsEntry("requested_max_tokens", "500").containsEntry("input_budget_tokens", "104");
    }
  }

  @Test
  void rejectionSkipsTheCallAndFailuresReleaseTheHold() {
    BudgetLedger ledger = ledger(BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("0.005").build());
    FakeModel model = new FakeModel(null, Usage.of(21, 300));
    try (Kiai kiai = Kiai.builder().model(model).interceptor(BudgetInterceptor.of(ledger)).build()) {
      model.fail = true;
      assertThatThrownBy(() -> kiai.chat(request("gpt-4o", 300))).isInstanceOf(ProviderUnavailableException.class);
      assertThat(ledger.report(Map.of("tenant", "acme"), Window.DAY).state().reservedUsd()).isEqualByComparingTo("0");
      model.fail = false;
      assertThatThrownBy(() -> kiai.chat(request("gpt-4o", 600)))
          .isInstanceOfSatisfying(BudgetExceededException.class, e -> assertThat(e.scope()).isEqualTo("tenant:acme"));
      assertThat(model.seen).hasSize(1);
    }
  }

  @Test
  void aFailedStreamReleasesItsHold() throws Exception {
    BudgetLedger ledger = ledger(BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("1").build());
    FakeModel model = new FakeModel(null, Usage.of(21, 100));
    model.fail = true;
    try (Kiai kiai = Kiai.builder().model(model).interceptor(BudgetInterceptor.of(ledger)).build()) {
      CompletableFuture<ChatResponse> done = kiai.streamAsync(request("gpt-4o-mini", 300), new StreamListener() {
        @Override
        public void onComplete(ChatResponse response) {}

        @Override
        public void onError(Throwable error) {}
      });
      assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ProviderUnavailableException.class);
      assertThat(model.seen).hasSize(1);
      BudgetReport report = ledger.report(Map.of("tenant", "acme"), Window.DAY);
      assertThat(report.state().reservedUsd()).isEqualByComparingTo("0");
      assertThat(report.state().spentUsd()).isEqualByComparingTo("0");
    }
  }

  @Test
  void streamsAreChargedOnCompletion() throws Exception {
    BudgetLedger ledger = ledger(BudgetLimit.builder().match("tenant", "acme").window(Window.DAY).usd("1").build());
    FakeModel model = new FakeModel(null, Usage.of(21, 100));
    try (Kiai kiai = Kiai.builder().model(model).interceptor(BudgetInterceptor.of(ledger)).build()) {
      CompletableFuture<ChatResponse> done = kiai.streamAsync(request("gpt-4o-mini", 300), new StreamListener() {
        @Override
        public void onComplete(ChatResponse response) {}

        @Override
        public void onError(Throwable error) {}
      });
      ChatResponse r = done.get(10, TimeUnit.SECONDS);
      assertThat(r.trace().all(BudgetInterceptor.STAGE)).extracting(Trace.Entry::decision).containsExactly("admit", "commit");
      assertThat(ledger.report(Map.of("tenant", "acme"), Window.DAY).state().spentUsd())
          .isEqualByComparingTo("0.00006315"); // 21 x 0.15/M + 100 x 0.6/M
    }
  }
}
