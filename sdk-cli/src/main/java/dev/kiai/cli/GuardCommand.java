package dev.kiai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.ChatModel;
import dev.kiai.embeddings.OnnxMiniLmEmbeddingModel;
import dev.kiai.guardrails.ContentSource;
import dev.kiai.guardrails.EmbeddingInjectionClassifier;
import dev.kiai.guardrails.InjectionClassifier;
import dev.kiai.guardrails.InjectionDetector;
import dev.kiai.guardrails.InjectionVerdict;
import dev.kiai.guardrails.LogisticInjectionClassifier;
import dev.kiai.guardrails.PiiDetector;
import dev.kiai.guardrails.PiiEntity;
import dev.kiai.guardrails.PiiLanguage;
import dev.kiai.guardrails.PiiOperator;
import dev.kiai.guardrails.PiiScrubber;
import dev.kiai.guardrails.StructuredOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiai guard}: injection scanning, PII scrubbing, JSON enforcement. */
@Command(name = "guard", description = "Guardrails: prompt injection, PII, structured output.",
    subcommands = {GuardCommand.Injection.class, GuardCommand.TrainInjection.class, GuardCommand.Pii.class,
        GuardCommand.Json.class})
final class GuardCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a sub-command is required: injection, pii, json");
  }

  /** {@code kiai guard injection}. */
  @Command(name = "injection", description = {
      "Score each text for prompt injection and jailbreaks (normalisation + multilingual rules; with"
          + " --classifier minilm also the MiniLM logistic-regression layer; with --judge-model also an LLM judge,"
          + " one model call per line).",
      "Input JSONL: {\"id\",\"text\",\"source\"?:\"user\"|\"document\"}",
      "Output JSONL: {\"id\",\"flagged\":bool,\"score\":number,\"reasons\":[..]}; bad lines get an \"error\"."})
  static final class Injection implements Callable<Integer> {
    private final Io io;

    @Option(names = "--in", description = "Input JSONL file; stdin when absent or '-'.")
    Path in;

    @Option(names = "--threshold", description = "Flag at or above this score, 0..1 (default ${DEFAULT-VALUE}).",
        defaultValue = "0.5")
    double threshold;

    @Option(names = "--classifier", description = "Embedding layer: none, minilm (logistic regression over"
        + " all-MiniLM-L6-v2 with the shipped weights) or knn (k nearest neighbours over the bundled corpus, embedded"
        + " at start-up) (default ${DEFAULT-VALUE}).", defaultValue = "none")
    String classifier;

    @Option(names = "--weights", description = "With --classifier minilm: weights file written by"
        + " 'kiai guard train-injection' instead of the shipped ones.")
    Path weights;

    @Option(names = "--no-rules", description = "Turn the rule layer off (to measure a classifier alone).")
    boolean noRules;

    @Option(names = "--judge-model", description = "Add the LLM judge layer with this model id (one call per line;"
        + " a failed call or an answer without a probability gives that line an \"error\").")
    String judgeModel;

    @Option(names = "--judge-provider", defaultValue = "openai", converter = ProviderModels.ProviderConverter.class,
        description = "Judge's provider: openai | anthropic | openai-compatible (default: ${DEFAULT-VALUE}).")
    ProviderModels.Provider judgeProvider;

    @Option(names = "--judge-base-url", description = "Judge's server base URL; required for openai-compatible.")
    String judgeBaseUrl;

    @Option(names = "--judge-api-key-env", description = "Environment variable holding the judge's API key"
        + " (default OPENAI_API_KEY / ANTHROPIC_API_KEY; KIAI_API_KEY for openai-compatible).")
    String judgeApiKeyEnv;

    @Option(names = "--judge-band", description = "LOW,HIGH: ask the judge only when the other layers' score lies"
        + " in [LOW, HIGH], and let it decide there (it can clear a false alarm); without it the judge scores every"
        + " line and its score competes in the maximum.")
    String judgeBand;

    Injection(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new Cli.UsageError("--threshold must be within 0..1, was " + threshold);
      }
      if (!classifier.equals("none") && !classifier.equals("minilm") && !classifier.equals("knn")) {
        throw new Cli.UsageError("--classifier must be none, minilm or knn, was " + classifier);
      }
      if (weights != null && !classifier.equals("minilm")) {
        throw new Cli.UsageError("--weights needs --classifier minilm");
      }
      LogisticInjectionClassifier.Weights loaded = null;
      if (weights != null) {
        try {
          loaded = LogisticInjectionClassifier.Weights.fromJson(Files.readString(weights));
        } catch (IOException e) {
          throw new Cli.UsageError("cannot read --weights " + weights + ": " + e.getMessage());
        }
      }
      if (judgeModel == null && (judgeBaseUrl != null || judgeApiKeyEnv != null || judgeBand != null)) {
        throw new Cli.UsageError("--judge-base-url, --judge-api-key-env and --judge-band need --judge-model");
      }
      double[] band = judgeBand == null ? null : band(judgeBand);
      InjectionDetector.Builder detector = InjectionDetector.builder().threshold(threshold).rules(!noRules);
      ChatModel judge = judgeModel == null ? null
          : ProviderModels.create(io, judgeProvider, judgeModel, judgeBaseUrl, judgeApiKeyEnv, "--judge-");
      try {
        if (judge != null && band != null) {
          detector.escalate(InjectionClassifier.llmJudge(judge), band[0], band[1]);
        } else if (judge != null) {
          detector.classifier(InjectionClassifier.llmJudge(judge));
        }
        if (classifier.equals("none")) {
          return scan(detector.build());
        }
        try (OnnxMiniLmEmbeddingModel model = OnnxMiniLmEmbeddingModel.create()) {
          InjectionClassifier layer = switch (classifier) {
            case "knn" -> EmbeddingInjectionClassifier.withBundledCorpus(model);
            default -> loaded == null ? LogisticInjectionClassifier.bundled(model)
                : LogisticInjectionClassifier.of(model, loaded);
          };
          return scan(detector.classifier(layer).build());
        }
      } finally {
        if (judge instanceof AutoCloseable closeable) {
          closeQuietly(closeable);
        }
      }
    }

    private static double[] band(String value) {
      String[] parts = value.split(",");
      try {
        if (parts.length == 2) {
          double low = Double.parseDouble(parts[0].trim());
          double high = Double.parseDouble(parts[1].trim());
          if (low >= 0 && low <= high && high <= 1) {
            return new double[] {low, high};
          }
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new Cli.UsageError("--judge-band must be LOW,HIGH with 0 <= LOW <= HIGH <= 1, was '" + value + "'");
    }

    private static void closeQuietly(AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // the scan's results are written already; a failed close loses nothing
      }
    }

    private int scan(InjectionDetector detector) {
      return Jsonl.run(io, in, "guard injection", line -> {
        String text = Jsonl.text(line, "text");
        JsonNode s = line.get("source");
        ContentSource source;
        try {
          source = s == null || s.isNull() ? ContentSource.USER : ContentSource.parse(s.asText());
        } catch (IllegalArgumentException e) {
          throw new Jsonl.BadLine("\"source\" must be \"user\" or \"document\", was " + s);
        }
        InjectionVerdict v = detector.scan(text, source);
        ObjectNode out = Jsonl.MAPPER.createObjectNode();
        out.put("flagged", v.flagged());
        out.put("score", v.score());
        ArrayNode reasons = out.putArray("reasons");
        v.reasons().forEach(reasons::add);
        return out;
      });
    }
  }

  /** {@code kiai guard train-injection}. */
  @Command(name = "train-injection", description = {
      "Train the MiniLM logistic-regression injection layer on the bundled corpus (or --corpus FILE):",
      "embeds every item, chooses the L2 penalty and threshold by grouped 5-fold cross-validation at a",
      "false-positive budget, fits on everything and writes the weights JSON (the file Kiai ships as",
      "dev/kiai/guardrails/injection-logreg-all-minilm-l6-v2-q.json). Deterministic.",
      "Corpus JSONL: {\"text\",\"label\":0|1,\"class\",\"lang\",\"group\"}"})
  static final class TrainInjection implements Callable<Integer> {
    private final Io io;

    @Option(names = "--out", required = true, description = "Where to write the weights JSON.")
    Path out;

    @Option(names = "--corpus", description = "Corpus JSONL instead of the bundled one.")
    Path corpus;

    @Option(names = "--max-fpr", description = "Cross-validated false-positive budget that sets the threshold"
        + " (default ${DEFAULT-VALUE}).", defaultValue = "0.02")
    double maxFpr;

    @Option(names = "--oof", description = "Also write each corpus item's out-of-fold probability (JSONL).")
    Path oof;

    TrainInjection(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws IOException {
      if (!(maxFpr >= 0 && maxFpr < 1)) {
        throw new Cli.UsageError("--max-fpr must be within [0, 1), was " + maxFpr);
      }
      java.util.List<EmbeddingInjectionClassifier.Example> examples = corpus == null
          ? EmbeddingInjectionClassifier.bundledCorpus()
          : EmbeddingInjectionClassifier.readCorpus(Files.newInputStream(corpus));
      LogisticInjectionClassifier.TrainingOptions d = LogisticInjectionClassifier.TrainingOptions.defaults();
      LogisticInjectionClassifier.TrainingOptions options =
          new LogisticInjectionClassifier.TrainingOptions(d.folds(), maxFpr, d.l2Grid(), d.seed());
      try (OnnxMiniLmEmbeddingModel model = OnnxMiniLmEmbeddingModel.create()) {
        LogisticInjectionClassifier.Training t = LogisticInjectionClassifier.train(model, examples, options);
        Files.writeString(out, t.classifier().weights().toJson() + "\n");
        if (oof != null) {
          double[] p = t.outOfFold();
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < p.length; i++) {
            EmbeddingInjectionClassifier.Example e = examples.get(i);
            ObjectNode n = Jsonl.MAPPER.createObjectNode();
            n.put("i", i);
            n.put("label", e.attack() ? 1 : 0);
            n.put("class", e.category());
            n.put("lang", e.lang());
            n.put("group", e.group());
            n.put("p", p[i]);
            n.put("text", e.text());
            sb.append(Jsonl.MAPPER.writeValueAsString(n)).append('\n');
          }
          Files.writeString(oof, sb.toString());
        }
        LogisticInjectionClassifier.Weights w = t.classifier().weights();
        io.err.println("train-injection: " + examples.size() + " items, l2 " + w.l2() + ", threshold "
            + w.threshold() + ", cross-validation " + new java.util.TreeMap<>(w.crossValidation()));
        io.err.flush();
      }
      return 0;
    }
  }

  /** {@code kiai guard pii}. */
  @Command(name = "pii", description = {
      "Find and scrub personal data (English and German recognizers with checksum validation).",
      "Input JSONL: {\"id\",\"text\"}",
      "Output JSONL: {\"id\",\"entities\":[{\"type\",\"start\",\"end\",\"score\"}],\"text\":\"<scrubbed>\"};"
          + " start/end are character offsets into the input, end exclusive."})
  static final class Pii implements Callable<Integer> {
    private final Io io;

    @Option(names = "--in", description = "Input JSONL file; stdin when absent or '-'.")
    Path in;

    @Option(names = "--lang", description = "en, de or auto (default ${DEFAULT-VALUE}).", defaultValue = "auto")
    String lang;

    @Option(names = "--operator", description = "redact, mask, hash or pseudonymize (default ${DEFAULT-VALUE}).",
        defaultValue = "redact")
    String operator;

    @Option(names = "--hash-key", description = "HMAC key for --operator hash (at least 16 characters); "
        + "default: the KIAI_PII_HASH_KEY environment variable.")
    String hashKey;

    Pii(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      PiiLanguage language;
      try {
        language = PiiLanguage.parse(lang);
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageError("--lang " + e.getMessage());
      }
      PiiOperator op = switch (operator) {
        case "redact" -> PiiOperator.redact();
        case "mask" -> PiiOperator.mask(4);
        case "pseudonymize", "pseudonymise" -> PiiOperator.pseudonymize();
        case "hash" -> {
          String key = hashKey != null ? hashKey : io.env.get("KIAI_PII_HASH_KEY");
          if (key == null || key.length() < 16) {
            throw new Cli.UsageError("--operator hash needs --hash-key or KIAI_PII_HASH_KEY of at least 16 characters");
          }
          yield PiiOperator.hash(key.getBytes(StandardCharsets.UTF_8));
        }
        default -> throw new Cli.UsageError("--operator must be redact, mask, hash or pseudonymize, was " + operator);
      };
      PiiScrubber scrubber = PiiScrubber.builder().detector(PiiDetector.builder().language(language).build())
          .operator(op).build();
      return Jsonl.run(io, in, "guard pii", line -> {
        PiiScrubber.Result r = scrubber.scrub(Jsonl.text(line, "text"));
        ObjectNode out = Jsonl.MAPPER.createObjectNode();
        ArrayNode entities = out.putArray("entities");
        for (PiiEntity e : r.entities()) {
          ObjectNode n = entities.addObject();
          n.put("type", e.type());
          n.put("start", e.start());
          n.put("end", e.end());
          n.put("score", e.score());
        }
        out.put("text", r.text());
        return out;
      });
    }
  }

  /** {@code kiai guard json}. */
  @Command(name = "json", description = {
      "Validate model outputs against a JSON Schema, repairing common defects first.",
      "Input JSONL: {\"id\",\"output\"}",
      "Output JSONL: {\"id\",\"valid\":bool,\"repaired\":bool,\"json\":<value or null>,\"errors\":[..]}."})
  static final class Json implements Callable<Integer> {
    private final Io io;

    @Option(names = "--schema", required = true, description = "JSON Schema file.")
    Path schema;

    @Option(names = "--in", description = "Input JSONL file; stdin when absent or '-'.")
    Path in;

    Json(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      StructuredOutput<JsonNode> so;
      try {
        so = StructuredOutput.ofSchema(Files.readString(schema));
      } catch (IOException e) {
        throw new Cli.UsageError("cannot read --schema " + schema + ": " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageError("--schema " + schema + ": " + e.getMessage());
      }
      return Jsonl.run(io, in, "guard json", line -> {
        StructuredOutput.Validation v = so.validate(Jsonl.text(line, "output"));
        ObjectNode out = Jsonl.MAPPER.createObjectNode();
        out.put("valid", v.valid());
        out.put("repaired", v.repaired());
        out.set("json", v.json() == null ? Jsonl.MAPPER.nullNode() : v.json());
        ArrayNode errors = out.putArray("errors");
        v.errors().forEach(errors::add);
        return out;
      });
    }
  }
}
