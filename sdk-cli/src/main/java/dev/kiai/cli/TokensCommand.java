package dev.kiai.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.tokens.TokenCount;
import dev.kiai.core.tokens.TokenCounter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiai tokens}: token counting. */
@Command(name = "tokens", description = "Count tokens.", subcommands = TokensCommand.Count.class)
final class TokensCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a sub-command is required: count");
  }

  /** {@code kiai tokens count}. */
  @Command(name = "count", description = {
      "Count the tokens of each text for a model: exact for OpenAI models (jtokkit), a marked estimate otherwise.",
      "Input JSONL: {\"id\",\"text\"}",
      "Output JSONL: {\"id\",\"tokens\",\"exact\":bool}; bad lines get an \"error\"."})
  static final class Count implements Callable<Integer> {
    private final Io io;

    @Option(names = "--model", required = true, description = "Model id, e.g. gpt-4o-mini.")
    String model;

    @Option(names = "--in", description = "Input JSONL file; stdin when absent or '-'.")
    Path in;

    @Option(names = "--prices", description = "JSON price table whose entries override the bundled ones "
        + "(its \"tokenizer\" field names a model's exact encoding).")
    Path prices;

    Count(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      TokenCounter counter = TokenCounter.create(Cli.prices(prices));
      return Jsonl.run(io, in, "tokens count", line -> {
        TokenCount count = counter.count(model, Jsonl.text(line, "text"));
        ObjectNode out = Jsonl.MAPPER.createObjectNode();
        out.put("tokens", count.tokens());
        out.put("exact", count.exact());
        return out;
      });
    }
  }
}
