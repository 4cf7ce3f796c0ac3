package dev.kiai.guardrails;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules on the model's output: blocklists and regex policies, banned claims, required disclaimers, PII
 * and canary leaks; each with an action. Immutable and thread-safe.
 *
 * <pre>{@code
 * OutputPolicy policy = OutputPolicy.builder()
 *     .rule("guaranteed-returns", "(?i)guaranteed (returns|profit)", OutputPolicy.Action.REASK)
 *     .requireDisclaimer("not-advice", "(?i)invest", "This is not financial advice.")
 *     .piiLeak(PiiDetector.defaults(), OutputPolicy.Action.REDACT)
 *     .build();
 * }</pre>
 */
public final class OutputPolicy {

  /** What happens when a rule matches, from the strongest. */
  public enum Action {
    /** Fail the call with a {@link dev.kiai.core.error.GuardrailViolationException}. */
    BLOCK,
    /** Ask the model once more, telling it what was wrong. */
    REASK,
    /** Replace the offending text (for a missing disclaimer: append it). */
    REDACT,
    /** Record the finding only. */
    FLAG
  }

  /**
   * One violated rule.
   *
   * @param rule rule id
   * @param action its action
   * @param detail what was found, never the raw sensitive value
   */
  public record Finding(String rule, Action action, String detail) {
    public Finding {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * The outcome of {@link #evaluate}.
   *
   * @param text the output after redactions and appended disclaimers
   * @param findings violated rules, in rule order
   */
  public record Result(String text, List<Finding> findings) {
    public Result {
      Objects.requireNonNull(text, "text");
      findings = List.copyOf(findings);
    }

    /** @return the strongest action among the findings, or null when there are none */
    public Action action() {
      Action strongest = null;
      for (Finding f : findings) {
        if (strongest == null || f.action().ordinal() < strongest.ordinal()) {
          strongest = f.action();
        }
      }
      return strongest;
    }
  }

  private sealed interface Rule permits Regex, Disclaimer, PiiLeak {}

  private record Regex(String id, Pattern pattern, Action action) implements Rule {}

  private record Disclaimer(String id, Pattern trigger, String text, Action action) implements Rule {}

  private record PiiLeak(PiiDetector detector, Action action) implements Rule {}

  private final List<Rule> rules;
  private final Action canaryAction;

  private OutputPolicy(Builder b) {
    this.rules = List.copyOf(b.rules);
    this.canaryAction = b.canaryAction;
  }

  /** @return a new builder; canary leaks block by default */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param output model output
   * @param canary the request's canary, or null
   * @return the findings and the output after redactions
   */
  public Result evaluate(String output, CanaryToken canary) {
    Objects.requireNonNull(output, "output");
    String text = output;
    List<Finding> findings = new ArrayList<>();
    if (canary != null && canary.leakedIn(text)) {
      findings.add(new Finding("canary-leak", canaryAction, "system prompt canary appeared in the output"));
      if (canaryAction == Action.REDACT) {
        text = text.replace(canary.value(), "<REDACTED>");
      }
    }
    for (Rule rule : rules) {
      if (rule instanceof Regex r) {
        Matcher m = r.pattern().matcher(text);
        if (m.find()) {
          int count = 1;
          while (m.find()) {
            count++;
          }
          findings.add(new Finding(r.id(), r.action(), count + " match(es)"));
          if (r.action() == Action.REDACT) {
            text = r.pattern().matcher(text).replaceAll("<REDACTED>");
          }
        }
      } else if (rule instanceof Disclaimer d) {
        if ((d.trigger() == null || d.trigger().matcher(text).find()) && !text.contains(d.text())) {
          findings.add(new Finding(d.id(), d.action(), "required disclaimer missing"));
          if (d.action() == Action.REDACT) {
            text = text.stripTrailing() + "\n\n" + d.text();
          }
        }
      } else if (rule instanceof PiiLeak p) {
        List<PiiEntity> found = p.detector().detect(text);
        if (!found.isEmpty()) {
          List<String> types = found.stream().map(PiiEntity::type).distinct().toList();
          findings.add(new Finding("pii-leak", p.action(), found.size() + " entities " + types));
          if (p.action() == Action.REDACT) {
            text = PiiScrubber.builder().detector(p.detector()).build().apply(text, found, new PseudonymVault());
          }
        }
      }
    }
    return new Result(text, findings);
  }

  /** Builds an {@link OutputPolicy}. */
  public static final class Builder {
    private final List<Rule> rules = new ArrayList<>();
    private Action canaryAction = Action.BLOCK;

    private Builder() {}

    /**
     * @param id rule id reported in findings
     * @param regex what must not appear
     * @param action what to do when it does
     * @return this
     */
    public Builder rule(String id, String regex, Action action) {
      rules.add(new Regex(Objects.requireNonNull(id, "id"), Pattern.compile(Objects.requireNonNull(regex, "regex")),
          Objects.requireNonNull(action, "action")));
      return this;
    }

    /**
     * @param id rule id
     * @param action what to do
     * @param phrases banned words or claims, matched case-insensitively as whole phrases
     * @return this
     */
    public Builder blocklist(String id, Action action, List<String> phrases) {
      if (phrases.isEmpty()) {
        throw new IllegalArgumentException("phrases must not be empty");
      }
      StringBuilder sb = new StringBuilder("(?iu)\\b(?:");
      for (int i = 0; i < phrases.size(); i++) {
        sb.append(i == 0 ? "" : "|").append(Pattern.quote(phrases.get(i)));
      }
      return rule(id, sb.append(")\\b").toString(), action);
    }

    /**
     * Requires a disclaimer whenever the trigger matches; with {@link Action#REDACT} it is appended.
     *
     * @param id rule id
     * @param triggerRegex when the disclaimer is required; null for always
     * @param disclaimer exact text that must appear
     * @return this
     */
    public Builder requireDisclaimer(String id, String triggerRegex, String disclaimer) {
      return requireDisclaimer(id, triggerRegex, disclaimer, Action.REDACT);
    }

    /**
     * @param id rule id
     * @param triggerRegex when the disclaimer is required; null for always
     * @param disclaimer exact text that must appear
     * @param action what to do when it is missing
     * @return this
     */
    public Builder requireDisclaimer(String id, String triggerRegex, String disclaimer, Action action) {
      rules.add(new Disclaimer(Objects.requireNonNull(id, "id"),
          triggerRegex == null ? null : Pattern.compile(triggerRegex), Objects.requireNonNull(disclaimer, "disclaimer"),
          Objects.requireNonNull(action, "action")));
      return this;
    }

    /**
     * @param detector finds PII in the output (pseudonym placeholders are not PII)
     * @param action what to do when some is found
     * @return this
     */
    public Builder piiLeak(PiiDetector detector, Action action) {
      rules.add(new PiiLeak(Objects.requireNonNull(detector, "detector"), Objects.requireNonNull(action, "action")));
      return this;
    }

    /** @param action what to do when the request's canary appears in the output (default BLOCK) @return this */
    public Builder canaryLeak(Action action) {
      this.canaryAction = Objects.requireNonNull(action, "action");
      return this;
    }

    /** @return the policy */
    public OutputPolicy build() {
      return new OutputPolicy(this);
    }
  }
}
