package dev.kiai.gpu;

import dev.kiai.core.pricing.Locality;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.pricing.PriceTable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a generated token costs on a rented or owned GPU, and where that beats an API.
 *
 * <p>Cost per 1M output tokens = price per GPU-hour / (tokens per second × 3600 × utilisation) × 10^6,
 * where tokens per second is the engine's aggregate output rate at the planned load (measured with
 * {@code kiai gpu bench}, or planned) and utilisation the share of paid hours that carry that load.
 * Money is exact {@link BigDecimal}, rounded to 6 decimal places.
 *
 * <pre>{@code
 * GpuCostModel h100 = GpuCostModel.perGpuHour(new BigDecimal("2.50"), "USD");
 * h100.costPerMillionTokens(2500, 0.6);   // 0.462963 USD per 1M output tokens
 * }</pre>
 *
 * @param dollarsPerGpuHour price of one GPU-hour, in {@code currency}
 * @param currency ISO currency code
 */
public record GpuCostModel(BigDecimal dollarsPerGpuHour, String currency) {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
  private static final int SCALE = 6;

  public GpuCostModel {
    Objects.requireNonNull(dollarsPerGpuHour, "dollarsPerGpuHour");
    if (dollarsPerGpuHour.signum() < 0) {
      throw new IllegalArgumentException("dollarsPerGpuHour must be >= 0, was " + dollarsPerGpuHour);
    }
    if (currency == null || currency.isBlank()) {
      throw new IllegalArgumentException("currency must not be blank");
    }
  }

  /**
   * @param price price of one GPU-hour
   * @param currency ISO code, e.g. {@code USD}
   * @return the cost model
   */
  public static GpuCostModel perGpuHour(BigDecimal price, String currency) {
    return new GpuCostModel(price, currency);
  }

  /**
   * @param tokensPerSecond aggregate output tokens per second at the planned load, &gt; 0
   * @param utilisation share of paid GPU hours that carry that load, (0,1]
   * @return cost of one million output tokens
   * @throws IllegalArgumentException when an argument is out of range, naming it
   */
  public BigDecimal costPerMillionTokens(double tokensPerSecond, double utilisation) {
    requireRate(tokensPerSecond);
    if (!(utilisation > 0 && utilisation <= 1)) {
      throw new IllegalArgumentException("utilisation must be within (0,1], was " + utilisation);
    }
    BigDecimal tokensPerHour = BigDecimal.valueOf(tokensPerSecond).multiply(SECONDS_PER_HOUR)
        .multiply(BigDecimal.valueOf(utilisation));
    return dollarsPerGpuHour.multiply(MILLION).divide(tokensPerHour, SCALE, RoundingMode.HALF_UP);
  }

  /**
   * Compares this GPU with every remote API model of a price table, for a workload that sends
   * {@code inputTokensPerOutputToken} prompt tokens per generated token (prefill is assumed to be
   * included in the measured local rate). The API's cost per 1M output tokens is
   * {@code output price + ratio × input price}; the break-even utilisation is the local cost at full
   * utilisation divided by it: above that utilisation the GPU is cheaper.
   *
   * @param tokensPerSecond aggregate local output tokens per second, &gt; 0
   * @param prices the price table; only {@link Locality#REMOTE_API} models in this currency are compared
   * @param inputTokensPerOutputToken prompt tokens per output token, &gt;= 0
   * @return one line per API model, cheapest API first
   */
  public List<BreakEven> breakEven(double tokensPerSecond, PriceTable prices, double inputTokensPerOutputToken) {
    requireRate(tokensPerSecond);
    Objects.requireNonNull(prices, "prices");
    if (!(inputTokensPerOutputToken >= 0) || Double.isInfinite(inputTokensPerOutputToken)) {
      throw new IllegalArgumentException(
          "inputTokensPerOutputToken must be >= 0, was " + inputTokensPerOutputToken);
    }
    BigDecimal localAtFull = costPerMillionTokens(tokensPerSecond, 1.0);
    BigDecimal ratio = BigDecimal.valueOf(inputTokensPerOutputToken);
    List<BreakEven> out = new ArrayList<>();
    for (ModelInfo m : prices.models()) {
      if (m.locality() != Locality.REMOTE_API || !m.price().currency().equals(currency)) {
        continue;
      }
      BigDecimal api = m.price().output().add(ratio.multiply(m.price().input()))
          .setScale(SCALE, RoundingMode.HALF_UP);
      BigDecimal breakEven = api.signum() == 0 ? null
          : localAtFull.divide(api, new MathContext(6, RoundingMode.HALF_UP));
      out.add(new BreakEven(m.provider(), m.id(), api, localAtFull,
          breakEven == null ? Double.POSITIVE_INFINITY : breakEven.doubleValue()));
    }
    out.sort(Comparator.comparing(BreakEven::apiCostPerMillionOutputTokens).thenComparing(BreakEven::model));
    return List.copyOf(out);
  }

  /**
   * Checks a decode rate against the bandwidth bound: at batch 1 every generated token reads all
   * active weights and the sequence's KV cache, so tokens/s cannot exceed bandwidth / those bytes.
   *
   * @param claimedTokensPerSecond a measured or advertised batch-1 decode rate
   * @param plan the plan whose {@link VramPlan#bandwidthBoundTokensPerSecond()} bounds it
   * @return the verdict
   */
  public static BandwidthCheck checkDecodeRate(double claimedTokensPerSecond, VramPlan plan) {
    requireRate(claimedTokensPerSecond);
    double bound = Objects.requireNonNull(plan, "plan").bandwidthBoundTokensPerSecond();
    return new BandwidthCheck(claimedTokensPerSecond, bound, claimedTokensPerSecond / bound,
        claimedTokensPerSecond <= bound);
  }

  private static void requireRate(double tokensPerSecond) {
    if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)) {
      throw new IllegalArgumentException("tokensPerSecond must be > 0, was " + tokensPerSecond);
    }
  }

  /**
   * Local GPU against one API model.
   *
   * @param provider the API's provider
   * @param model the API model id
   * @param apiCostPerMillionOutputTokens what the API charges per 1M output tokens, with their prompts
   * @param localCostPerMillionOutputTokens what the GPU costs per 1M output tokens at full utilisation
   * @param breakEvenUtilisation the utilisation above which the GPU is cheaper; above 1 means never
   */
  public record BreakEven(
      String provider, String model, BigDecimal apiCostPerMillionOutputTokens,
      BigDecimal localCostPerMillionOutputTokens, double breakEvenUtilisation) {
    /** @return whether the GPU can be cheaper at all, i.e. the break-even utilisation is at most 1 */
    public boolean gpuCanWin() {
      return breakEvenUtilisation <= 1.0;
    }
  }

  /**
   * A decode rate held against the bandwidth bound.
   *
   * @param claimedTokensPerSecond the rate checked
   * @param boundTokensPerSecond the bandwidth bound
   * @param fractionOfBound claimed / bound; real engines reach roughly 0.5..0.9
   * @param plausible false when the claim exceeds the bound: the figure is wrong (batching, speculative
   *     decoding or a measuring error)
   */
  public record BandwidthCheck(
      double claimedTokensPerSecond, double boundTokensPerSecond, double fractionOfBound, boolean plausible) {}
}
