package dev.kiai.cli;

import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.pricing.PriceTable;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Option handling shared by several commands. */
final class Cli {
  private Cli() {}

  static PriceTable prices(Path overrides) {
    PriceTable table = PriceTable.bundled();
    return overrides == null ? table : table.overriddenBy(PriceTable.fromFile(overrides));
  }

  /** Resolves {@code --model} or fails as a usage error (exit 2) listing the known models. */
  static ModelInfo model(PriceTable table, String model) {
    return table.find(model).orElseThrow(() -> new UsageError("unknown model '" + model
        + "'; known models: " + table.models().stream().map(ModelInfo::id).collect(Collectors.joining(", "))
        + " (add others with --prices FILE)"));
  }

  /** A usage error found after parsing; reported like picocli's own and exits with 2. */
  static final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }
}
