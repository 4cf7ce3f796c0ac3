package dev.kiai.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.cache.CacheLookup;
import dev.kiai.core.cache.Calibration;
import dev.kiai.core.cache.LabelledPair;
import dev.kiai.core.cache.SemanticCache;
import dev.kiai.core.cache.StoreResult;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import dev.kiai.embeddings.OnnxMiniLmEmbeddingModel;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiai cache}: measure the semantic cache on prompt pairs. */
@Command(name = "cache", description = "Measure the semantic cache (all-MiniLM-L6-v2, in-process) on prompt pairs.",
    subcommands = {CacheCommand.Pairs.class, CacheCommand.Calibrate.class})
final class CacheCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a sub-command is required: pairs, calibrate");
  }

  static SemanticCache cache(OnnxMiniLmEmbeddingModel model, Double threshold, boolean noGuard, int entries) {
    SemanticCache.Builder b = SemanticCache.builder().embeddingModel(model).guard(!noGuard)
        .maxEntries(Math.max(1, entries));
    if (threshold != null) {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new Cli.UsageError("--threshold must be within (0, 1], was " + threshold);
      }
      b.threshold(threshold);
    }
    return b.build();
  }

  /** Reads all non-blank lines; a missing file is a usage error. */
  static List<String> readLines(Io io, Path in, String command) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = io.open(in)) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (NoSuchFileException e) {
      throw new Cli.UsageError("input file not found: " + e.getFile());
    } catch (IOException e) {
      throw new Cli.UsageError("cannot read input: " + e.getMessage());
    }
    return lines;
  }

  static ChatRequest prompt(String text) {
    return ChatRequest.builder().addUser(text).build();
  }

  /** {@code kiai cache pairs}. */
  @Command(name = "pairs", description = {
      "Store every \"a\" as a cached prompt (with its own answer), then look up every \"b\".",
      "Input JSONL: {\"id\",\"a\",\"b\"}",
      "Output JSONL: {\"id\",\"hit\":bool,\"matched\":\"<id of the a it returned>\"|null,\"similarity\":number|null,"
          + "\"reason\":\"<why it missed>\"}; bad lines get an \"error\"."})
  static final class Pairs implements Callable<Integer> {
    private final Io io;

    @Option(names = "--in", description = "Input JSONL file; stdin when absent or '-'.")
    Path in;

    @Option(names = "--threshold", description = "Similarity threshold of the semantic tier; default ${DEFAULT-VALUE}.",
        defaultValue = "0.9")
    Double threshold;

    @Option(names = "--no-guard", description = "Turn the negation/number/date/code guard off.")
    boolean noGuard;

    Pairs(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      List<String> lines = readLines(io, in, "cache pairs");
      try (OnnxMiniLmEmbeddingModel model = OnnxMiniLmEmbeddingModel.create()) {
        SemanticCache cache = cache(model, threshold, noGuard, lines.size());
        Map<String, String> idByEntry = new HashMap<>();
        for (String line : lines) {
          JsonNode node = parse(line);
          if (node == null || !node.hasNonNull("id") || !node.path("a").isTextual() || !node.path("b").isTextual()) {
            continue;
          }
          String id = node.get("id").asText();
          String a = node.get("a").asText();
          ChatResponse answer = new ChatResponse("pair-" + id, ChatMessage.assistant("answer for " + id),
              FinishReason.STOP, Usage.ZERO, null, "pairs", "kiai-cli", null, null, null);
          StoreResult stored = cache.store(prompt(a), answer, List.of());
          stored.entry().ifPresent(e -> idByEntry.put(e, id));
        }
        Io replay = new Io(new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)),
            io.out, io.err, io.env);
        return Jsonl.run(replay, null, "cache pairs", line -> {
          Jsonl.text(line, "a");
          CacheLookup l = cache.lookup(prompt(Jsonl.text(line, "b")));
          ObjectNode out = Jsonl.MAPPER.createObjectNode();
          out.put("hit", l.hit());
          if (l.hit()) {
            out.put("matched", idByEntry.get(l.entryId().orElseThrow()));
          } else {
            out.putNull("matched");
          }
          if (Double.isNaN(l.similarity())) {
            out.putNull("similarity");
          } else {
            out.put("similarity", round(l.similarity()));
          }
          l.reason().ifPresent(r -> out.put("reason", r));
          return out;
        });
      }
    }
  }

  /** {@code kiai cache calibrate}. */
  @Command(name = "calibrate", description = {
      "Choose the similarity threshold for a maximum false-hit rate from labelled pairs, or measure a given threshold.",
      "Input JSONL: {\"id\",\"a\",\"b\",\"label\":0|1} (1: a's answer serves b)",
      "Output: one JSON object {\"threshold\",\"precision\",\"recall\",\"true_positives\",\"false_positives\","
          + "\"false_negatives\",\"true_negatives\",\"guard_rejections\",\"pairs\",\"errors\"}; bad lines are "
          + "listed on stderr."})
  static final class Calibrate implements Callable<Integer> {
    private final Io io;

    @Option(names = "--in", description = "Input JSONL file; stdin when absent or '-'.")
    Path in;

    @Option(names = "--max-false-hit-rate", description = "Largest acceptable share of wrong hits, 0..1.")
    Double maxFalseHitRate;

    @Option(names = "--threshold", description = "Measure this threshold instead of choosing one.")
    Double threshold;

    @Option(names = "--no-guard", description = "Turn the negation/number/date/code guard off.")
    boolean noGuard;

    Calibrate(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      if ((maxFalseHitRate == null) == (threshold == null)) {
        throw new Cli.UsageError("give exactly one of --max-false-hit-rate and --threshold");
      }
      if (maxFalseHitRate != null && !(maxFalseHitRate >= 0 && maxFalseHitRate <= 1)) {
        throw new Cli.UsageError("--max-false-hit-rate must be within 0..1, was " + maxFalseHitRate);
      }
      List<String> lines = readLines(io, in, "cache calibrate");
      List<LabelledPair> pairs = new ArrayList<>();
      int errors = 0;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isBlank()) {
          continue;
        }
        String problem = null;
        JsonNode node = parse(line);
        if (node == null || !node.isObject()) {
          problem = "malformed JSON object";
        } else if (!node.hasNonNull("id")) {
          problem = "missing \"id\"";
        } else if (!node.path("a").isTextual() || !node.path("b").isTextual()) {
          problem = "missing \"a\" or \"b\" (strings)";
        } else if (!node.path("label").isInt() || node.get("label").asInt() < 0 || node.get("label").asInt() > 1) {
          problem = "\"label\" must be 0 or 1";
        }
        if (problem != null) {
          errors++;
          io.err.println("kiai cache calibrate: line " + (i + 1) + ": " + problem);
          continue;
        }
        pairs.add(new LabelledPair(node.get("a").asText(), node.get("b").asText(), node.get("label").asInt() == 1));
      }
      try (OnnxMiniLmEmbeddingModel model = OnnxMiniLmEmbeddingModel.create()) {
        SemanticCache cache = cache(model, null, noGuard, 1);
        Calibration c = threshold != null ? cache.evaluate(pairs, threshold)
            : cache.calibrate(pairs, maxFalseHitRate);
        ObjectNode out = Jsonl.MAPPER.createObjectNode();
        if (c.threshold() > 1.0) {
          out.putNull("threshold");
        } else {
          out.put("threshold", round(c.threshold()));
        }
        out.put("precision", round(c.precision()));
        out.put("recall", round(c.recall()));
        out.put("true_positives", c.truePositives());
        out.put("false_positives", c.falsePositives());
        out.put("false_negatives", c.falseNegatives());
        out.put("true_negatives", c.trueNegatives());
        out.put("guard_rejections", c.guardRejections());
        out.put("pairs", pairs.size());
        out.put("errors", errors);
        try {
          io.out.println(Jsonl.MAPPER.writeValueAsString(out));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
        io.err.println("kiai cache calibrate: " + pairs.size() + " pairs, " + errors + " errors; "
            + (threshold != null ? "at threshold " : "chose threshold ")
            + (c.threshold() > 1.0 ? "none (no threshold meets the rate)" : String.format(Locale.ROOT, "%.4f", c.threshold()))
            + String.format(Locale.ROOT, ": precision %.4f, recall %.4f", c.precision(), c.recall()));
        return 0;
      }
    }
  }

  static JsonNode parse(String line) {
    if (line.isBlank()) {
      return null;
    }
    try {
      return Jsonl.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
