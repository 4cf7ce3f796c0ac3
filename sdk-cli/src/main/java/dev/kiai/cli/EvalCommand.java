package dev.kiai.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.ChatModel;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.prompt.PromptRegistry;
import dev.kiai.core.provider.AnthropicChatModel;
import dev.kiai.core.provider.OpenAiCompatibleChatModel;
import dev.kiai.eval.AssertionResult;
import dev.kiai.eval.Baseline;
import dev.kiai.eval.CaseResult;
import dev.kiai.eval.EvalReport;
import dev.kiai.eval.EvalRunner;
import dev.kiai.eval.GatePolicy;
import dev.kiai.eval.GoldenSuite;
import dev.kiai.eval.ReplayModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiai eval}: runs golden sets. */
@Command(name = "eval", description = "Run golden-set evaluations.", subcommands = EvalCommand.Run.class)
final class EvalCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a sub-command is required: run");
  }

  /** A model named on the command line, with the model id to send. */
  record ModelSpec(ChatModel model, String modelName) {}

  /**
   * Parses {@code replay:FILE}, {@code openai:MODEL}, {@code anthropic:MODEL} or
   * {@code openai-compatible:URL#MODEL}; keys come from OPENAI_API_KEY, ANTHROPIC_API_KEY and (optional)
   * KIAI_API_KEY.
   */
  static ModelSpec parseModel(String spec, Map<String, String> env, boolean allowReplay) {
    int colon = spec.indexOf(':');
    if (colon <= 0 || colon == spec.length() - 1) {
      throw new Cli.UsageError("model must be replay:FILE, openai:MODEL, anthropic:MODEL or "
          + "openai-compatible:URL#MODEL, was '" + spec + "'");
    }
    String kind = spec.substring(0, colon);
    String rest = spec.substring(colon + 1);
    switch (kind) {
      case "replay" -> {
        if (!allowReplay) {
          throw new Cli.UsageError("a judge cannot be a replay model: judge requests are not golden cases");
        }
        Path file = Path.of(rest);
        if (!Files.isRegularFile(file)) {
          throw new Cli.UsageError("replay file not found: " + file);
        }
        try {
          return new ModelSpec(ReplayModel.fromFile(file), null);
        } catch (ConfigurationException e) {
          throw new Cli.UsageError(e.getMessage());
        }
      }
      case "openai" -> {
        return new ModelSpec(OpenAiCompatibleChatModel.openAi(requireKey(env, "OPENAI_API_KEY", spec), rest), rest);
      }
      case "anthropic" -> {
        return new ModelSpec(AnthropicChatModel.of(requireKey(env, "ANTHROPIC_API_KEY", spec), rest), rest);
      }
      case "openai-compatible" -> {
        int hash = rest.lastIndexOf('#');
        if (hash <= 0 || hash == rest.length() - 1) {
          throw new Cli.UsageError("openai-compatible needs URL#MODEL, e.g. "
              + "openai-compatible:http://localhost:11434/v1#llama3.1, was '" + spec + "'");
        }
        String model = rest.substring(hash + 1);
        return new ModelSpec(OpenAiCompatibleChatModel.builder().baseUrl(rest.substring(0, hash))
            .apiKey(env.get("KIAI_API_KEY")).defaultModel(model).provider("openai-compatible").build(), model);
      }
      default -> throw new Cli.UsageError("unknown model kind '" + kind
          + "'; use replay:FILE, openai:MODEL, anthropic:MODEL or openai-compatible:URL#MODEL");
    }
  }

  private static String requireKey(Map<String, String> env, String var, String spec) {
    String key = env.get(var);
    if (key == null || key.isBlank()) {
      throw new Cli.UsageError(spec + " needs the environment variable " + var);
    }
    return key;
  }

  /** {@code kiai eval run}. */
  @Command(name = "run", description = {
      "Run a golden set (JSONL or YAML) against a model and check every answer.",
      "Output JSONL, one line per case in file order:",
      "  {\"id\",\"pass\",\"status\",\"score\",\"assertions\":[{\"type\",\"pass\",\"score\"?,\"reason\"?}],"
          + "\"cost_usd\"?,\"error\"?}",
      "A summary goes to stderr; reports (JSON, Markdown, HTML, JUnit XML) to --report-dir.",
      "Exit 0 when the gate passes, 1 when it fails, 2 on usage errors."})
  static final class Run implements Callable<Integer> {
    private final Io io;

    @Option(names = "--golden", required = true, description = "Golden set file (.jsonl, .yaml).")
    Path golden;

    @Option(names = "--model", required = true,
        description = "replay:FILE | openai:MODEL | anthropic:MODEL | openai-compatible:URL#MODEL")
    String model;

    @Option(names = "--judge", description = "Judge for model-graded assertions (same syntax, no replay).")
    String judge;

    @Option(names = "--baseline", description = "report.json of an earlier run to compare with.")
    Path baseline;

    @Option(names = "--report-dir", description = "Write report.json, report.md, report.html and junit.xml here.")
    Path reportDir;

    @Option(names = "--prompts", description = "Prompt folder for cases that name a template.")
    Path prompts;

    @Option(names = "--prices", description = "JSON price table whose entries override the bundled ones.")
    Path prices;

    @Option(names = "--concurrency", defaultValue = "4", description = "Cases run at once (default 4).")
    int concurrency;

    @Option(names = "--timeout-seconds", defaultValue = "60", description = "Per model call (default 60).")
    long timeoutSeconds;

    @Option(names = "--retries", defaultValue = "2", description = "Retries of retryable failures (default 2).")
    int retries;

    @Option(names = "--cache-dir", description = "Answer cache: unchanged cases are not sent again.")
    Path cacheDir;

    @Option(names = "--record", description = "Write the answers as replay JSONL to this file.")
    Path record;

    @Option(names = "--max-drop", defaultValue = "5",
        description = "Fail when the pass rate drops more than this many points (and the drop is significant).")
    double maxDrop;

    @Option(names = "--max-cost-increase", defaultValue = "20",
        description = "Fail when cost rises more than this many percent; negative disables (default 20).")
    double maxCostIncrease;

    @Option(names = "--min-pass-rate", defaultValue = "0", description = "Fail below this pass rate, 0..1.")
    double minPassRate;

    Run(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws IOException {
      GoldenSuite suite;
      EvalReport base = null;
      GatePolicy policy;
      EvalRunner runner;
      try {
        if (!Files.isRegularFile(golden)) {
          throw new Cli.UsageError("golden set not found: " + golden);
        }
        suite = GoldenSuite.fromFile(golden);
        if (baseline != null) {
          if (!Files.isRegularFile(baseline)) {
            throw new Cli.UsageError("baseline report not found: " + baseline);
          }
          base = EvalReport.readJson(baseline);
        }
        policy = GatePolicy.defaults().withMaxPassRateDrop(maxDrop).withMaxCostIncrease(maxCostIncrease)
            .withMinPassRate(minPassRate);
        ModelSpec m = parseModel(model, io.env, true);
        EvalRunner.Builder b = EvalRunner.builder().model(m.model()).modelName(m.modelName())
            .prices(Cli.prices(prices)).concurrency(concurrency).timeout(Duration.ofSeconds(timeoutSeconds))
            .retries(retries).cacheDirectory(cacheDir).recordTo(record);
        if (judge != null) {
          ModelSpec j = parseModel(judge, io.env, false);
          b.judge(j.model()).judgeModelName(j.modelName());
        }
        if (prompts != null) {
          b.prompts(PromptRegistry.fromDirectory(PromptsCommand.requireDir(prompts)));
        }
        runner = b.build();
      } catch (ConfigurationException | IllegalArgumentException e) {
        throw new Cli.UsageError(e.getMessage());
      }
      EvalReport report;
      try {
        report = runner.run(suite);
      } catch (UncheckedIOException e) {
        io.err.println("kiai eval run: " + e.getMessage());
        return 1;
      }
      for (CaseResult c : report.cases()) {
        io.out.println(Jsonl.MAPPER.writeValueAsString(line(c)));
      }
      io.out.flush();
      Baseline.GateResult gate = Baseline.gate(report, base, policy);
      if (reportDir != null) {
        dev.kiai.eval.Reports.writeAll(report, gate, reportDir);
      }
      io.err.println(String.format(Locale.ROOT,
          "kiai eval run: %s on %s: %d cases, %d passed, %d failed, %d errored, pass rate %.1f %%, cost %s USD, "
              + "%d cached", report.suite(), report.model(), report.total(), report.passed(), report.failed(),
          report.errored(), 100 * report.passRate(), report.costUsd().toPlainString(), report.cachedCases()));
      if (gate.passRateDelta() != null) {
        io.err.println(String.format(Locale.ROOT, "kiai eval run: vs baseline %+.1f points (95 %% CI %+.1f..%+.1f)",
            100 * gate.passRateDelta().delta(), 100 * gate.passRateDelta().low(), 100 * gate.passRateDelta().high()));
      }
      gate.violations().forEach(v -> io.err.println("kiai eval run: gate failed: " + v));
      io.err.println("kiai eval run: gate " + (gate.passed() ? "passed" : "FAILED"));
      io.err.flush();
      return gate.passed() ? 0 : 1;
    }

    static ObjectNode line(CaseResult c) {
      ObjectNode n = Jsonl.MAPPER.createObjectNode();
      n.put("id", c.id());
      n.put("pass", c.passed());
      n.put("status", c.status().name().toLowerCase(Locale.ROOT));
      n.put("score", c.score());
      ArrayNode as = n.putArray("assertions");
      for (AssertionResult a : c.assertions()) {
        ObjectNode o = as.addObject();
        o.put("type", a.type());
        o.put("pass", a.pass());
        if (a.score() != null) {
          o.put("score", a.score());
        }
        if (!a.reason().isEmpty()) {
          o.put("reason", a.reason());
        }
        if (a.errored()) {
          o.put("errored", true);
        }
      }
      if (c.output() != null && c.output().costUsd() != null) {
        n.put("cost_usd", c.output().costUsd().stripTrailingZeros().toPlainString());
      }
      if (c.error() != null) {
        n.put("error", c.error());
      }
      return n;
    }
  }
}
