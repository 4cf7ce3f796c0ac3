package dev.kiai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.guardrails.ContentSource;
import dev.kiai.guardrails.InjectionDetector;
import dev.kiai.guardrails.InjectionVerdict;
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
    subcommands = {GuardCommand.Injection.class, GuardCommand.Pii.class, GuardCommand.Json.class})
final class GuardCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a sub-command is required: injection, pii, json");
  }

  /** {@code kiai guard injection}. */
  @Command(name = "injection", description = {
      "Score each text for prompt injection and jailbreaks (normalisation + multilingual rules).",
      "Input JSONL: {\"id\",\"text\",\"source\"?:\"user\"|\"document\"}",
      "Output JSONL: {\"id\",\"flagged\":bool,\"score\":number,\"reasons\":[..]}; bad lines get an \"error\"."})
  static final class Injection implements Callable<Integer> {
    private final Io io;

    @Option(names = "--in", description = "Input JSONL file; stdin when absent or '-'.")
    Path in;

    @Option(names = "--threshold", description = "Flag at or above this score, 0..1 (default ${DEFAULT-VALUE}).",
        defaultValue = "0.5")
    double threshold;

    Injection(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new Cli.UsageError("--threshold must be within 0..1, was " + threshold);
      }
      InjectionDetector detector = InjectionDetector.builder().threshold(threshold).build();
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
