package dev.kiai.router;

import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.pricing.ModelInfo;
import dev.kiai.core.pricing.PriceTable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The models a router may choose from, with what it needs to know about each: context window, output
 * limit, capabilities, locality and prices ({@link ModelInfo}). Models come from a {@link PriceTable} by
 * id, or are given explicitly (e.g. a local model the table does not list). Immutable.
 */
public final class ModelCatalog {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private final Map<String, ModelInfo> models;
  private final List<String> order;

  private ModelCatalog(Map<String, ModelInfo> models) {
    this.models = Map.copyOf(models);
    this.order = List.copyOf(models.keySet());
  }

  /**
   * @param prices the table the models are looked up in
   * @param ids model ids as requests name them
   * @return the catalog
   * @throws ConfigurationException when the table does not know an id
   */
  public static ModelCatalog of(PriceTable prices, String... ids) {
    Builder b = builder();
    for (String id : ids) {
      b.model(id, prices);
    }
    return b.build();
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the model ids, in the order they were added */
  public List<String> ids() {
    return order;
  }

  /**
   * @param id a model id
   * @return what the catalog knows about it
   */
  public Optional<ModelInfo> find(String id) {
    return Optional.ofNullable(id == null ? null : models.get(id));
  }

  /**
   * @param id a model id
   * @return whether the catalog lists it
   */
  public boolean contains(String id) {
    return id != null && models.containsKey(id);
  }

  /**
   * Estimates what a call would cost, from the model's list prices.
   *
   * @param id a catalog model id
   * @param inputTokens prompt tokens
   * @param outputTokens expected output tokens
   * @return the estimate in the price's currency
   * @throws IllegalArgumentException when the catalog does not list {@code id}
   */
  public BigDecimal estimateCost(String id, long inputTokens, long outputTokens) {
    ModelInfo info = models.get(id);
    if (info == null) {
      throw new IllegalArgumentException("id: unknown model '" + id + "'; catalog: " + order);
    }
    return info.price().input().multiply(BigDecimal.valueOf(inputTokens))
        .add(info.price().output().multiply(BigDecimal.valueOf(outputTokens)))
        .divide(MILLION, MathContext.DECIMAL64);
  }

  /** Builds a {@link ModelCatalog}. */
  public static final class Builder {
    private final Map<String, ModelInfo> models = new LinkedHashMap<>();

    private Builder() {}

    /**
     * @param id the id requests name the model by
     * @param prices the table that describes it
     * @return this
     * @throws ConfigurationException when the table does not know the id
     */
    public Builder model(String id, PriceTable prices) {
      Objects.requireNonNull(id, "id");
      ModelInfo info = prices.find(id).orElseThrow(() -> new ConfigurationException(
          "router model '" + id + "' is not in the price table (as of " + prices.asOf()
              + "); describe it with ModelCatalog.builder().model(id, ModelInfo)"));
      models.put(id, info);
      return this;
    }

    /**
     * @param id the id requests name the model by (may differ from {@code info.id()})
     * @param info what the router needs to know about it
     * @return this
     */
    public Builder model(String id, ModelInfo info) {
      models.put(Objects.requireNonNull(id, "id"), Objects.requireNonNull(info, "info"));
      return this;
    }

    /**
     * @return the catalog
     * @throws ConfigurationException when no model was added
     */
    public ModelCatalog build() {
      if (models.isEmpty()) {
        throw new ConfigurationException("a router needs at least one model in its catalog");
      }
      return new ModelCatalog(models);
    }
  }
}
