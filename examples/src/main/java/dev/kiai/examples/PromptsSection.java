package dev.kiai.examples;

import dev.kiai.core.prompt.RenderedPrompt;
import dev.kiai.core.prompt.RolloutDecision;
import java.util.List;
import java.util.Map;

/** Versioned templates: labels, sticky canary rollout per user, rendering. */
final class PromptsSection implements DemoSection {
  static final String TEMPLATE = "support-reply";
  static final String QUESTION = "Where is my parcel? I ordered a keyboard last week.";

  @Override
  public String title() {
    return "Prompt templates: versions, labels and a 20 % canary rollout";
  }

  @Override
  public void run(DemoContext ctx) {
    ctx.out.println("versions of " + TEMPLATE + ": "
        + ctx.prompts.versions(TEMPLATE).stream().map(t -> t.version().toString()).toList() + ", labels " + ctx.prompts.labels(TEMPLATE) + ", canary " + ctx.prompts.canaryPercent(TEMPLATE) + " %");
    StringBuilder line = new StringBuilder();
    for (String user : List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")) {
      line.append(user).append("→").append(ctx.prompts.select(TEMPLATE, user).ref().version()).append("  ");
    }
    ctx.out.println("sticky per user: " + line.toString().trim());
    int canary = 0;
    int users = 1_000;
    for (int i = 0; i < users; i++) {
      RolloutDecision d = ctx.prompts.select(TEMPLATE, "user-" + i);
      canary += d.canary() ? 1 : 0;
    }
    ctx.out.println(canary + " of " + users + " users get the canary; a user always gets the same version "
        + "(bucket = hash of template id and user)");
    RenderedPrompt p = ctx.prompts.select(TEMPLATE, "bob").template().render(Map.of("question", QUESTION));
    ctx.out.println("rendered " + p.ref() + " (content sha256 " + p.contentHash().substring(0, 12) + "…):");
    ctx.out.println("  system: " + p.system().strip().replace("\n", "\n          "));
    ctx.out.println("  user:   " + p.user().strip().replace("\n", "\n          "));
  }
}
