package dev.kiai.router;

import dev.kiai.core.pricing.Capability;
import dev.kiai.core.pricing.Locality;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.pricing.ModelPrice;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/** A local GPU model with a small context window and no structured output, for eligibility tests. */
final class ModelInfoFixture {
  static final ModelInfo LOCAL = new ModelInfo("local", "local-llama", List.of(), 4096, 1024,
      new ModelPrice("USD", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO),
      Set.of(Capability.STREAMING), Locality.LOCAL_GPU, null);

  private ModelInfoFixture() {}
}
