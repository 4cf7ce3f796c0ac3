package dev.kiai.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.chat.Cost;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
  private final PriceTable table = PriceTable.bundled();

  @Test
  void bundledTableIsDatedAndCoversTheMajorProviders() {
    assertThat(table.asOf()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(table.models()).hasSizeGreaterThanOrEqualTo(12);
    assertThat(table.models().get(0).id()).isEqualTo("gpt-5");
    Set<String> providers = table.models().stream().map(ModelInfo::provider).collect(Collectors.toSet());
    assertThat(providers).contains("openai", "anthropic", "google", "mistral", "groq");
  }

  @Test
  void costChargesEachKindOfTokenAtItsOwnPrice() {
    // gpt-4o-mini: input 0.15, cached 0.075, output 0.60 USD per 1M tokens
    Cost cost = table.cost("gpt-4o-mini", new Usage(1_000, 500, 400, 0, 0));
    assertThat(cost.input()).isEqualByComparingTo("0.00009"); // 600 uncached * 0.15 / 1M
    assertThat(cost.cachedInput()).isEqualByComparingTo("0.00003"); // 400 * 0.075 / 1M
    assertThat(cost.output()).isEqualByComparingTo("0.0003"); // 500 * 0.60 / 1M
    assertThat(cost.total()).isEqualByComparingTo("0.00042");
    assertThat(cost.pricedAs()).isEqualTo("gpt-4o-mini@" + table.asOf());
  }

  @Test
  void anthropicCacheWritesAreChargedAtTheWritePrice() {
    // claude-sonnet-4-5: input 3, cache read 0.30, cache write 3.75, output 15
    Cost cost = table.cost("claude-sonnet-4-5-20250929", new Usage(3_000, 100, 1_000, 1_000, 0));
    assertThat(cost.input()).isEqualByComparingTo("0.003");
    assertThat(cost.cachedInput()).isEqualByComparingTo("0.0003");
    assertThat(cost.cacheWrite()).isEqualByComparingTo("0.00375");
    assertThat(cost.output()).isEqualByComparingTo("0.0015");
    assertThat(cost.total()).isEqualByComparingTo("0.00855");
  }

  @Test
  void moneyIsExactForLargeCounts() {
    Cost cost = table.cost("gpt-4o", Usage.of(123_456_789, 0));
    assertThat(cost.total()).isEqualByComparingTo(new BigDecimal("308.6419725"));
  }

  @Test
  void findsDatedSnapshotsAliasesAndProviderPrefixes() {
    assertThat(table.find("gpt-4o-mini-2024-07-18")).map(ModelInfo::id).hasValue("gpt-4o-mini");
    assertThat(table.find("openai/gpt-4o")).map(ModelInfo::id).hasValue("gpt-4o");
    assertThat(table.find("GPT-4O")).map(ModelInfo::id).hasValue("gpt-4o");
    assertThat(table.find("claude-3-5-haiku-latest")).map(ModelInfo::id).hasValue("claude-3-5-haiku");
    assertThat(table.find("gpt-oss-120b")).map(ModelInfo::id).hasValue("openai/gpt-oss-120b");
    assertThat(table.find("no-such-model")).isEmpty();
    assertThat(table.cost("no-such-model", Usage.of(10, 10))).isEqualTo(Cost.UNKNOWN);
  }

  @Test
  void overridesReplaceAndExtendEntries(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, """
        {"as_of": "2099-01-01", "models": [
          {"provider": "openai", "id": "gpt-4o-mini", "context_window": 128000, "input": "1", "output": 2},
          {"provider": "local", "id": "qwen2.5-7b-instruct-q4", "context_window": 32768, "max_output_tokens": 8192,
           "input": 0.02, "output": 0.02, "locality": "local_gpu", "capabilities": ["streaming"]}
        ]}""");
    PriceTable merged = table.overriddenBy(PriceTable.fromFile(file));
    assertThat(merged.asOf()).isEqualTo("2099-01-01");
    assertThat(merged.cost("gpt-4o-mini", Usage.of(1_000_000, 0)).total()).isEqualByComparingTo("1");
    ModelInfo local = merged.find("qwen2.5-7b-instruct-q4").orElseThrow();
    assertThat(local.locality()).isEqualTo(Locality.LOCAL_GPU);
    assertThat(local.supports(Capability.STREAMING)).isTrue();
    assertThat(merged.find("gpt-4o")).isPresent();
    assertThat(merged.models()).hasSize(table.models().size() + 1);
  }

  @Test
  void invalidTablesFailWithTheFieldNamed(@TempDir Path dir) throws IOException {
    Path missingPrice = dir.resolve("a.json");
    Files.writeString(missingPrice, "{\"as_of\":\"2025-01-01\",\"models\":[{\"provider\":\"x\",\"id\":\"m\","
        + "\"context_window\":10}]}");
    assertThatThrownBy(() -> PriceTable.fromFile(missingPrice))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("models[0]").hasMessageContaining("\"input\"");

    Path notJson = dir.resolve("b.json");
    Files.writeString(notJson, "{\"as_of\": ");
    assertThatThrownBy(() -> PriceTable.fromFile(notJson))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("not valid JSON");

    Path negative = dir.resolve("c.json");
    Files.writeString(negative, "{\"as_of\":\"2025-01-01\",\"models\":[{\"provider\":\"x\",\"id\":\"m\","
        + "\"context_window\":10,\"input\":-1,\"output\":1}]}");
    assertThatThrownBy(() -> PriceTable.fromFile(negative))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("input price must be >= 0");

    assertThatThrownBy(() -> PriceTable.fromFile(dir.resolve("missing.json")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("missing.json");
  }
}
