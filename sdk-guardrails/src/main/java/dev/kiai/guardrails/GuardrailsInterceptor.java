package dev.kiai.guardrails;

import dev.kiai.core.LlmInterceptor;
import dev.kiai.core.StreamListener;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.Role;
import dev.kiai.core.chat.ToolCallDelta;
import dev.kiai.core.error.GuardrailViolationException;
import dev.kiai.core.telemetry.TelemetryNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Input and output guardrails as one interceptor. On the way in: scans the last user message (source
 * user) and tool outputs (source document) for injection and blocks or flags; marks tool outputs with
 * {@link Spotlight} and says so in the system prompt; adds a {@link CanaryToken}; pseudonymises PII in
 * user and tool messages. On the way out: applies the {@link OutputPolicy} (canary and PII leaks
 * included) to the raw answer, re-asks once when the policy says so, then restores pseudonyms, also in
 * streamed answers where a placeholder is split across chunks. Every decision is recorded in the trace
 * (stage {@code GuardrailsInterceptor}) and counted in {@value TelemetryNames#KIAI_GUARDRAILS_FINDINGS}.
 * Immutable and thread-safe.
 */
public final class GuardrailsInterceptor implements LlmInterceptor {
  private final InjectionDetector injection;
  private final boolean blockInjection;
  private final PiiScrubber pii;
  private final Spotlight.Mode spotlight;
  private final boolean canary;
  private final OutputPolicy policy;
  private final MeterRegistry meters;

  private GuardrailsInterceptor(Builder b) {
    this.injection = b.injection;
    this.blockInjection = b.blockInjection;
    this.pii = b.pii;
    this.spotlight = b.spotlight;
    this.canary = b.canary;
    this.policy = b.policy;
    this.meters = b.meters;
  }

  /** @return a new builder; every guardrail is off until configured */
  public static Builder builder() {
    return new Builder();
  }

  /** What the input side decided for one request. */
  private record Prepared(ChatRequest request, PseudonymVault vault, CanaryToken canary) {}

  private interface Recorder {
    void record(String decision, Map<String, String> attributes);
  }

  private Prepared prepare(ChatRequest request, Recorder rec) {
    if (injection != null) {
      List<String> reasons = new ArrayList<>();
      double max = 0;
      boolean flagged = false;
      List<ChatMessage> msgs = request.messages();
      int lastUser = -1;
      for (int i = msgs.size() - 1; i >= 0; i--) {
        if (msgs.get(i).role() == Role.USER) {
          lastUser = i;
          break;
        }
      }
      for (int i = 0; i < msgs.size(); i++) {
        ChatMessage m = msgs.get(i);
        ContentSource source = m.role() == Role.TOOL ? ContentSource.DOCUMENT : ContentSource.USER;
        if (i != lastUser && m.role() != Role.TOOL) {
          continue;
        }
        InjectionVerdict v = injection.scan(m.content(), source);
        max = Math.max(max, v.score());
        if (v.flagged()) {
          flagged = true;
          for (String r : v.reasons()) {
            reasons.add(source.name().toLowerCase(Locale.ROOT) + ":" + r);
          }
        }
      }
      if (flagged) {
        String action = blockInjection ? "block" : "flag";
        count("injection", reasons.isEmpty() ? "classifier" : category(reasons.get(0)), action);
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("score", String.valueOf(max));
        attrs.put("reasons", String.join(",", reasons));
        rec.record("injection " + (blockInjection ? "blocked" : "flagged"), attrs);
        if (blockInjection) {
          throw new GuardrailViolationException("prompt-injection", reasons);
        }
      }
    }
    List<ChatMessage> out = new ArrayList<>(request.messages().size() + 1);
    StringBuilder system = new StringBuilder();
    Spotlight spot = spotlight == null ? null : Spotlight.random(spotlight);
    CanaryToken token = canary ? CanaryToken.random() : null;
    PseudonymVault vault = new PseudonymVault();
    Map<String, Integer> piiCounts = new TreeMap<>();
    boolean anyTool = false;
    for (ChatMessage m : request.messages()) {
      String content = m.content();
      if (pii != null && (m.role() == Role.USER || m.role() == Role.TOOL)) {
        PiiScrubber.Result r = pii.scrub(content, vault);
        content = r.text();
        for (PiiEntity e : r.entities()) {
          piiCounts.merge(e.type(), 1, Integer::sum);
        }
      }
      if (m.role() == Role.TOOL && spot != null) {
        content = spot.mark(content);
        anyTool = true;
      }
      out.add(new ChatMessage(m.role(), content, m.toolCalls(), m.toolCallId()));
    }
    if (spot != null && anyTool) {
      system.append(spot.instruction());
      rec.record("spotlighted tool output", Map.of("mode", spotlight.name().toLowerCase(Locale.ROOT)));
    }
    if (token != null) {
      system.append(system.length() > 0 ? "\n" : "").append(token.instruction());
      rec.record("canary added", Map.of());
    }
    if (!piiCounts.isEmpty()) {
      Map<String, String> attrs = new LinkedHashMap<>();
      piiCounts.forEach((k, v) -> {
        attrs.put(k, String.valueOf(v));
        for (int i = 0; i < v; i++) {
          count("pii", k, "pseudonymize");
        }
      });
      rec.record("pii pseudonymised", attrs);
    }
    if (system.length() > 0) {
      out.add(0, ChatMessage.system(system.toString()));
    }
    return new Prepared(request.toBuilder().messages(out).build(), vault, token);
  }

  private static String category(String reason) {
    String r = reason.substring(reason.indexOf(':') + 1);
    int gt = r.lastIndexOf('>');
    r = gt >= 0 ? r.substring(gt + 1) : r;
    int colon = r.indexOf(':');
    return colon >= 0 ? r.substring(0, colon) : r;
  }

  private void count(String guardrail, String finding, String action) {
    if (meters == null) {
      return;
    }
    Counter.builder(TelemetryNames.KIAI_GUARDRAILS_FINDINGS)
        .description("Guardrail findings")
        .tag(TelemetryNames.KIAI_GUARDRAIL, guardrail)
        .tag(TelemetryNames.KIAI_GUARDRAIL_FINDING, finding)
        .tag(TelemetryNames.KIAI_GUARDRAIL_ACTION, action)
        .register(meters).increment();
  }

  /** @return the policy result, after recording it; throws for BLOCK */
  private OutputPolicy.Result check(String text, CanaryToken token, Recorder rec) {
    if (policy == null) {
      if (token != null && token.leakedIn(text)) {
        count("canary", "canary-leak", "block");
        rec.record("output blocked", Map.of("rule", "canary-leak"));
        throw new GuardrailViolationException("canary-leak", List.of("system prompt canary appeared in the output"));
      }
      return new OutputPolicy.Result(text, List.of());
    }
    OutputPolicy.Result r = policy.evaluate(text, token);
    for (OutputPolicy.Finding f : r.findings()) {
      count("output-policy", f.rule(), f.action().name().toLowerCase(Locale.ROOT));
    }
    if (!r.findings().isEmpty()) {
      Map<String, String> attrs = new LinkedHashMap<>();
      for (OutputPolicy.Finding f : r.findings()) {
        attrs.put(f.rule(), f.action().name().toLowerCase(Locale.ROOT) + ": " + f.detail());
      }
      rec.record("output " + r.action().name().toLowerCase(Locale.ROOT), attrs);
    }
    if (r.action() == OutputPolicy.Action.BLOCK) {
      List<String> details = r.findings().stream()
          .filter(f -> f.action() == OutputPolicy.Action.BLOCK).map(f -> f.rule() + ": " + f.detail()).toList();
      throw new GuardrailViolationException("output-policy", details);
    }
    return r;
  }

  @Override
  public ChatResponse intercept(Chain chain) {
    Prepared p = prepare(chain.request(), chain::record);
    ChatResponse response = chain.proceed(p.request());
    OutputPolicy.Result r = check(response.text(), p.canary(), chain::record);
    if (r.action() == OutputPolicy.Action.REASK) {
      String why = String.join("; ", r.findings().stream().map(f -> f.rule() + " (" + f.detail() + ")").toList());
      ChatRequest again = p.request().toBuilder()
          .addMessage(ChatMessage.assistant(response.text()))
          .addUser("Your previous answer violated the output policy: " + why + ". Answer again without that.")
          .build();
      response = chain.proceed(again);
      r = check(response.text(), p.canary(), chain::record);
      if (r.action() == OutputPolicy.Action.REASK) {
        throw new GuardrailViolationException("output-policy", List.of("still violated after re-ask: " + why));
      }
    }
    return Guardrails.withText(response, p.vault().restore(r.text()));
  }

  @Override
  public void interceptStream(StreamChain chain) {
    Prepared p;
    try {
      p = prepare(chain.request(), chain::record);
    } catch (GuardrailViolationException e) {
      chain.listener().onError(e);
      return;
    }
    StreamListener downstream = chain.listener();
    StreamRestorer restorer = p.vault().streamRestorer(downstream::onText);
    chain.proceed(p.request(), new StreamListener() {
      @Override
      public void onText(String delta) {
        restorer.accept(delta);
      }

      @Override
      public void onToolCall(ToolCallDelta delta) {
        downstream.onToolCall(delta);
      }

      @Override
      public void onComplete(ChatResponse response) {
        restorer.flush();
        OutputPolicy.Result r;
        try {
          r = check(response.text(), p.canary(), chain::record);
        } catch (GuardrailViolationException e) {
          downstream.onError(e);
          return;
        }
        // text already streamed cannot be re-asked; REASK findings are recorded like FLAG
        downstream.onComplete(Guardrails.withText(response, p.vault().restore(r.text())));
      }

      @Override
      public void onError(Throwable error) {
        restorer.flush();
        downstream.onError(error);
      }
    });
  }

  /** Builds a {@link GuardrailsInterceptor}. */
  public static final class Builder {
    private InjectionDetector injection;
    private boolean blockInjection = true;
    private PiiScrubber pii;
    private Spotlight.Mode spotlight;
    private boolean canary;
    private OutputPolicy policy;
    private MeterRegistry meters;

    private Builder() {}

    /**
     * @param detector scans the last user message and tool outputs
     * @param block true to fail the request with a {@link GuardrailViolationException}, false to only record
     * @return this
     */
    public Builder injection(InjectionDetector detector, boolean block) {
      this.injection = Objects.requireNonNull(detector, "detector");
      this.blockInjection = block;
      return this;
    }

    /**
     * Pseudonymises PII in user and tool messages and restores it in the answer.
     *
     * @param detector finds the PII
     * @return this
     */
    public Builder pseudonymize(PiiDetector detector) {
      this.pii = PiiScrubber.builder().detector(Objects.requireNonNull(detector, "detector"))
          .operator(PiiOperator.pseudonymize()).build();
      return this;
    }

    /** @param mode how tool outputs are marked as untrusted data @return this */
    public Builder spotlight(Spotlight.Mode mode) {
      this.spotlight = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** @param enabled add a per-request canary to the system prompt and check the output for it @return this */
    public Builder canary(boolean enabled) {
      this.canary = enabled;
      return this;
    }

    /** @param policy applied to every answer @return this */
    public Builder outputPolicy(OutputPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** @param registry where {@value TelemetryNames#KIAI_GUARDRAILS_FINDINGS} is counted @return this */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meters = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** @return the interceptor */
    public GuardrailsInterceptor build() {
      return new GuardrailsInterceptor(this);
    }
  }
}
