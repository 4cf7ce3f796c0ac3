package dev.kiai.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiai.core.pricing.Capability;
import dev.kiai.core.pricing.Locality;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.pricing.ModelPrice;
import dev.kiai.core.pricing.PriceTable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GpuCostModelTest {
  private final GpuCostModel h100 = GpuCostModel.perGpuHour(new BigDecimal("2.50"), "USD");

  @Test
  void costPerMillionTokensFromRateAndUtilisation() {
    // 2.50 x 1e6 / (2500 x 3600 x 0.6) = 0.4629629...
    assertThat(h100.costPerMillionTokens(2500, 0.6)).isEqualByComparingTo("0.462963");
    assertThat(h100.costPerMillionTokens(1000, 1.0)).isEqualByComparingTo("0.694444");
  }

  @Test
  void breakEvenAgainstApiModels() {
    PriceTable prices = PriceTable.of(List.of(
        api("cheap", "0.10", "0.40"), api("premium", "2.00", "8.00"),
        new ModelInfo("local", "my-llama", List.of(), 8192, 4096,
            new ModelPrice("USD", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO),
            Set.of(Capability.STREAMING), Locality.LOCAL_GPU, null)), "2025-10-15");

    List<GpuCostModel.BreakEven> lines = h100.breakEven(1000, prices, 3.0);

    assertThat(lines).extracting(GpuCostModel.BreakEven::model).containsExactly("cheap", "premium");
    GpuCostModel.BreakEven cheap = lines.get(0);
    assertThat(cheap.apiCostPerMillionOutputTokens()).isEqualByComparingTo("0.70"); // 0.40 + 3 x 0.10
    assertThat(cheap.localCostPerMillionOutputTokens()).isEqualByComparingTo("0.694444");
    assertThat(cheap.breakEvenUtilisation()).isCloseTo(0.992063, within(1e-6));
    assertThat(cheap.gpuCanWin()).isTrue();
    GpuCostModel.BreakEven premium = lines.get(1);
    assertThat(premium.apiCostPerMillionOutputTokens()).isEqualByComparingTo("14.00");
    assertThat(premium.breakEvenUtilisation()).isCloseTo(0.0496032, within(1e-7));
  }

  @Test
  void bundledPriceTableGivesOneLinePerRemoteModel() {
    PriceTable bundled = PriceTable.bundled();
    long remote = bundled.models().stream().filter(m -> m.locality() == Locality.REMOTE_API
        && m.price().currency().equals("USD")).count();

    assertThat(h100.breakEven(800, bundled, 2.0)).hasSize((int) remote);
  }

  @Test
  void claimsAboveTheBandwidthBoundAreFlagged() {
    VramPlan plan = VramPlanner.bundled().plan("llama-3.1-8b", Quantization.BF16, 8192, 1, "h100-80gb");

    GpuCostModel.BandwidthCheck honest = GpuCostModel.checkDecodeRate(150, plan);
    GpuCostModel.BandwidthCheck impossible = GpuCostModel.checkDecodeRate(400, plan);

    assertThat(honest.plausible()).isTrue();
    assertThat(honest.fractionOfBound()).isCloseTo(150 / 195.514, within(1e-3));
    assertThat(impossible.plausible()).isFalse();
    assertThat(impossible.boundTokensPerSecond()).isCloseTo(195.514, within(0.001));
  }

  @Test
  void argumentsAreChecked() {
    assertThatThrownBy(() -> h100.costPerMillionTokens(0, 0.5)).hasMessageContaining("tokensPerSecond must be > 0");
    assertThatThrownBy(() -> h100.costPerMillionTokens(10, 1.5)).hasMessageContaining("utilisation must be within");
    assertThatThrownBy(() -> GpuCostModel.perGpuHour(new BigDecimal("-1"), "USD"))
        .hasMessageContaining("dollarsPerGpuHour must be >= 0");
  }

  private static ModelInfo api(String id, String in, String out) {
    return new ModelInfo("acme", id, List.of(), 128_000, 16_000,
        new ModelPrice("USD", new BigDecimal(in), BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal(out)),
        Set.of(Capability.STREAMING), Locality.REMOTE_API, null);
  }
}
