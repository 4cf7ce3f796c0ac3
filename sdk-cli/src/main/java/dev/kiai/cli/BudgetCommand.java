package dev.kiai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.budget.BudgetLedger;
import dev.kiai.core.budget.BudgetLimits;
import dev.kiai.core.budget.Charge;
import dev.kiai.core.budget.CommitReceipt;
import dev.kiai.core.budget.LimitState;
import dev.kiai.core.budget.Reservation;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.BudgetExceededException;
import dev.kiai.core.error.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiai budget}: token and money budgets. */
@Command(name = "budget", description = "Token and money budgets.", subcommands = {BudgetCommand.Simulate.class})
final class BudgetCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a sub-command is required: simulate");
  }

  /** {@code kiai budget simulate}. */
  @Command(name = "simulate", description = {
      "Replay requests against a limits file (JSON or YAML) with an in-memory ledger, in order:",
      "reserve input_tokens + max_tokens, then commit the actual output tokens (at most the granted max).",
      "Input JSONL: {\"id\",\"time\"?: ISO-8601 instant (default now),\"tenant\"?,\"user\"?,\"feature\"?,"
          + "\"template\"?,\"model\",\"input_tokens\",\"max_tokens\",\"output_tokens\"}",
      "Output JSONL: {\"id\",\"decision\":\"admit|reject|downgrade|shrink\",\"model\",\"max_tokens\",\"usd\","
          + "\"remaining\":{\"<limit index>\":amount}}",
      "usd is the committed cost (0 when rejected); remaining lists the limits that apply, in USD (a decimal",
      "string) for limits with a money cap, else in tokens (a number)."})
  static final class Simulate implements Callable<Integer> {
    private final Io io;

    @Option(names = "--limits", required = true, description = "Limits file, JSON or YAML (.yaml/.yml).")
    Path limits;

    @Option(names = "--in", description = "Input JSONL file; stdin when absent or '-'.")
    Path in;

    @Option(names = "--prices", description = "JSON price table whose entries override the bundled ones.")
    Path prices;

    Simulate(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      if (!Files.isRegularFile(limits)) {
        throw new Cli.UsageError("limits file not found: " + limits);
      }
      BudgetLedger ledger;
      try {
        ledger = BudgetLedger.builder().limits(BudgetLimits.fromFile(limits)).prices(Cli.prices(prices)).build();
      } catch (ConfigurationException e) {
        throw new Cli.UsageError(e.getMessage());
      }
      return Jsonl.run(io, in, "budget simulate", line -> simulate(ledger, line));
    }

    private static ObjectNode simulate(BudgetLedger ledger, JsonNode line) {
      Instant at = Instant.now();
      JsonNode time = line.get("time");
      if (time != null && !time.isNull()) {
        try {
          at = Instant.parse(time.asText());
        } catch (DateTimeParseException e) {
          throw new Jsonl.BadLine("\"time\" must be an ISO-8601 instant such as 2026-05-04T10:15:00Z, was " + time);
        }
      }
      long input = Jsonl.count(line, "input_tokens");
      long max = Jsonl.count(line, "max_tokens");
      long output = Jsonl.count(line, "output_tokens");
      if (max < 1 || max > Integer.MAX_VALUE) {
        throw new Jsonl.BadLine("\"max_tokens\" must be >= 1, was " + max);
      }
      Charge charge = Charge.builder().requestId(line.get("id").asText()).tenant(optional(line, "tenant"))
          .user(optional(line, "user")).feature(optional(line, "feature")).template(optional(line, "template"))
          .model(Jsonl.text(line, "model")).inputTokens(input).maxTokens((int) max).at(at).build();
      ObjectNode out = Jsonl.MAPPER.createObjectNode();
      Reservation r;
      try {
        r = ledger.reserve(charge);
      } catch (BudgetExceededException e) {
        out.put("decision", "reject");
        out.put("model", charge.model());
        out.put("max_tokens", max);
        out.put("usd", "0");
        remaining(out, ledger.status(charge));
        return out;
      } catch (ConfigurationException e) {
        throw new Jsonl.BadLine(e.getMessage());
      }
      CommitReceipt c = ledger.commit(r, r.model(), Usage.of(r.inputTokens(), Math.min(output, r.maxTokens())), null);
      out.put("decision", r.decision().name().toLowerCase(Locale.ROOT));
      out.put("model", r.model());
      out.put("max_tokens", r.maxTokens());
      out.put("usd", c.usd().toPlainString());
      remaining(out, c.limits());
      return out;
    }

    private static void remaining(ObjectNode out, List<LimitState> limits) {
      ObjectNode rem = out.putObject("remaining");
      for (LimitState s : limits) {
        if (s.remainingUsd() != null) {
          rem.put(Integer.toString(s.index()), s.remainingUsd().toPlainString());
        } else {
          rem.put(Integer.toString(s.index()), s.remainingTokens());
        }
      }
    }

    private static String optional(JsonNode line, String field) {
      JsonNode v = line.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isTextual() || v.asText().isBlank()) {
        throw new Jsonl.BadLine("\"" + field + "\" must be a non-empty string, was " + v);
      }
      return v.asText();
    }
  }
}
