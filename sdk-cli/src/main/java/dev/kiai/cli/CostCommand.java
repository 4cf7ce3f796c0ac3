package dev.kiai.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.pricing.PriceTable;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiai cost}: prices token counts with the bundled (or overridden) price table. */
@Command(name = "cost", description = {
    "Price token usage exactly.",
    "Input JSONL: {\"id\",\"input_tokens\",\"output_tokens\",\"cached_input_tokens\"?,"
        + "\"cache_write_input_tokens\"?}",
    "Output JSONL: {\"id\",\"usd\"} (decimal string); bad lines get an \"error\"."})
final class CostCommand implements Callable<Integer> {
  private final Io io;

  @Option(names = "--model", required = true, description = "Model id as in the price table (kiai models lists them).")
  String model;

  @Option(names = "--in", description = "Input JSONL file; stdin when absent or '-'.")
  Path in;

  @Option(names = "--prices", description = "JSON price table whose entries override the bundled ones.")
  Path prices;

  CostCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    PriceTable table = Cli.prices(prices);
    ModelInfo info = Cli.model(table, model);
    return Jsonl.run(io, in, "cost", line -> {
      long input = Jsonl.count(line, "input_tokens");
      long output = Jsonl.count(line, "output_tokens");
      long cached = Jsonl.optionalCount(line, "cached_input_tokens");
      long cacheWrite = Jsonl.optionalCount(line, "cache_write_input_tokens");
      if (cached + cacheWrite > input) {
        throw new Jsonl.BadLine("cached_input_tokens + cache_write_input_tokens exceed input_tokens");
      }
      Cost cost = table.cost(info, new Usage(input, output, cached, cacheWrite, 0));
      ObjectNode out = Jsonl.MAPPER.createObjectNode();
      out.put("usd", cost.total().stripTrailingZeros().toPlainString());
      return out;
    });
  }
}
