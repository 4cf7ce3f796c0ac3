package dev.kiai.examples;

import dev.kiai.core.error.KiaiException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The README demo ({@code ./demo}): runs offline with no API key. Each section shows one capability;
 * the request section calls a real model when the environment configures one.
 */
public final class Demo {
  private Demo() {}

  /**
   * Runs the demo.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.exit(run(System.out, System.getenv()));
  }

  /**
   * Runs every section in order.
   *
   * @param out where to print
   * @param env environment variables (API keys, base URL)
   * @return 0 when every section ran, 1 otherwise
   */
  static int run(PrintStream out, Map<String, String> env) {
    try (DemoContext ctx = new DemoContext(out, env)) {
      return run(ctx);
    }
  }

  private static int run(DemoContext ctx) {
    PrintStream out = ctx.out;
    List<DemoSection> sections = List.of(
        new PromptsSection(),
        new TokensAndCostSection(),
        new BudgetSection(),
        new EvalSection(),
        new ChatSection(),
        new RagSection(),
        new CacheSection(),
        new GuardrailsSection(),
        new LocalGpuSection(),
        new RoutingSection());
    int failures = 0;
    for (DemoSection section : sections) {
      out.println();
      out.println("== " + section.title());
      try {
        section.run(ctx);
      } catch (KiaiException e) {
        failures++;
        out.println("FAILED: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      } catch (Exception e) {
        failures++;
        out.println("FAILED: " + e);
      }
    }
    out.println();
    out.println(failures == 0 ? "Demo finished." : "Demo finished with " + failures + " failed section(s).");
    return failures == 0 ? 0 : 1;
  }
}
