package dev.kiai.core.error;

import java.util.List;
import java.util.Objects;

/** A guardrail blocked the request or the response. Names the rule and the findings that triggered it. */
public final class GuardrailViolationException extends KiaiException {
  private static final long serialVersionUID = 1L;

  private final String rule;
  private final List<String> findings;

  public GuardrailViolationException(String rule, List<String> findings) {
    super("guardrail " + rule + " blocked the request: " + findings, null);
    this.rule = Objects.requireNonNull(rule, "rule");
    this.findings = List.copyOf(findings);
  }

  /** @return the rule that blocked, e.g. {@code prompt-injection} */
  public String rule() {
    return rule;
  }

  /** @return human-readable findings, never containing the raw sensitive values */
  public List<String> findings() {
    return findings;
  }
}
