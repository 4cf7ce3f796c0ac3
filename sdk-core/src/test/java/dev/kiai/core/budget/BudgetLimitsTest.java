package dev.kiai.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetLimitsTest {
  static final String ISSUE_EXAMPLE = """
      {"timezone": "Europe/Berlin",
       "limits": [
         {"match": {}, "window": "month", "usd": "1000.00", "policy": "reject"},
         {"match": {"tenant": "acme"}, "window": "day", "usd": "50.00", "policy": "downgrade", "downgrade_to": "gpt-4o-mini", "soft": 0.8},
         {"match": {"tenant": "acme", "feature": "summary"}, "window": "hour", "tokens": 2000000, "policy": "shrink"},
         {"match": {"user": "*"}, "window": "day", "usd": "2.00", "policy": "reject"}]}
      """;

  static final String ISSUE_EXAMPLE_YAML = """
      timezone: Europe/Berlin
      limits:
        - {match: {}, window: month, usd: "1000.00", policy: reject}
        - match: {tenant: acme}
          window: day
          usd: "50.00"
          policy: downgrade
          downgrade_to: gpt-4o-mini
          soft: 0.8
        - {match: {tenant: acme, feature: summary}, window: hour, tokens: 2000000, policy: shrink}
        - {match: {user: "*"}, window: day, usd: "2.00", policy: reject}
      """;

  @Test
  void readsTheIssueExampleFromJsonAndYamlAlike(@TempDir Path dir) throws IOException {
    Path json = dir.resolve("limits.json");
    Files.writeString(json, ISSUE_EXAMPLE);
    Path yaml = dir.resolve("limits.yaml");
    Files.writeString(yaml, ISSUE_EXAMPLE_YAML);

    BudgetLimits fromJson = BudgetLimits.fromFile(json);
    BudgetLimits fromYaml = BudgetLimits.fromFile(yaml);

    assertThat(fromYaml).isEqualTo(fromJson);
    assertThat(fromJson.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(fromJson.limits()).hasSize(4);
    BudgetLimit acme = fromJson.limits().get(1);
    assertThat(acme.match()).isEqualTo(Map.of("tenant", "acme"));
    assertThat(acme.window()).isEqualTo(Window.DAY);
    assertThat(acme.usd()).isEqualByComparingTo("50.00");
    assertThat(acme.tokens()).isNull();
    assertThat(acme.policy()).isEqualTo(BudgetPolicy.DOWNGRADE);
    assertThat(acme.downgradeTo()).isEqualTo("gpt-4o-mini");
    assertThat(acme.soft()).isEqualTo(0.8);
    assertThat(fromJson.limits().get(2).tokens()).isEqualTo(2_000_000L);
    assertThat(fromJson.limits().get(2).id()).isEqualTo("tenant=acme,feature=summary|hour");
    assertThat(fromJson.limits().get(3).perValue()).isTrue();
    assertThat(fromJson.limits().get(0).id()).isEqualTo("global|month");
  }

  @Test
  void rejectsBadLimitsNamingTheField() {
    assertBad("{\"limits\":[{\"window\":\"day\",\"usd\":\"-1\"}]}", "limits[0]: usd must be > 0, was -1");
    assertBad("{\"limits\":[{\"window\":\"day\",\"usd\":\"0\"}]}", "limits[0]: usd must be > 0, was 0");
    assertBad("{\"limits\":[{\"window\":\"day\",\"tokens\":0}]}", "limits[0]: tokens must be > 0, was 0");
    assertBad("{\"limits\":[{\"window\":\"day\",\"tokens\":-5}]}", "limits[0]: tokens must be > 0, was -5");
    assertBad("{\"limits\":[{\"window\":\"day\"}]}", "limits[0]: a limit needs usd and/or tokens");
    assertBad("{\"limits\":[{\"match\":{\"team\":\"x\"},\"window\":\"day\",\"usd\":\"1\"}]}",
        "limits[0]: match has unknown scope name 'team'; known: tenant, user, feature, template");
    assertBad("{\"limits\":[{\"window\":\"week\",\"usd\":\"1\"}]}",
        "window must be minute, hour, day, month or rolling:<ISO-8601 duration>");
    assertBad("{\"limits\":[{\"window\":\"rolling:15m\",\"usd\":\"1\"}]}", "no valid ISO-8601 duration");
    assertBad("{\"limits\":[{\"window\":\"day\",\"usd\":\"1\",\"policy\":\"pray\"}]}",
        "\"policy\" must be reject, downgrade or shrink");
    assertBad("{\"limits\":[{\"window\":\"day\",\"usd\":\"1\",\"soft\":1.5}]}", "soft must be within (0, 1)");
    assertBad("{\"limits\":[{\"window\":\"day\",\"usd\":\"ten\"}]}", "\"usd\" must be a decimal string");
    assertBad("{\"limits\":[{\"window\":\"day\",\"usd\":\"1\",\"usdd\":\"2\"}]}", "unknown field \"usdd\"");
    assertBad("{\"limits\":[{\"window\":\"day\",\"usd\":\"1\"},{\"window\":\"day\",\"tokens\":5}]}",
        "two limits have the same match and window: global|day");
    assertBad("{\"timezone\":\"Mars/Olympus\",\"limits\":[]}", "\"timezone\" is not a time zone id");
    assertBad("{\"limits\": {}}", "\"limits\" must be an array");
    assertBad("{\"limits\": [", "is not valid JSON");
    assertThatThrownBy(() -> BudgetLimits.parse("limits: [: :", true, "x.yaml"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("limits x.yaml is not valid YAML");
    assertThatThrownBy(() -> BudgetLimits.fromFile(Path.of("/no/such/limits.json")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("cannot read limits file /no/such/limits.json");
  }

  private static void assertBad(String json, String message) {
    assertThatThrownBy(() -> BudgetLimits.parse(json, false, "test.json"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("limits test.json")
        .hasMessageContaining(message);
  }

  @Test
  void builderValidatesLikeTheFile() {
    assertThatThrownBy(() -> BudgetLimit.builder().window(Window.DAY).usd("-0.01").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("usd must be > 0, was -0.01");
    assertThatThrownBy(() -> BudgetLimit.builder().match("org", "x").window(Window.DAY).tokens(1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("match has unknown scope name 'org'; known: tenant, user, feature, template");
    assertThatThrownBy(() -> BudgetLimit.builder().usd("ten"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("usd must be a decimal number, was 'ten'");
    assertThatThrownBy(() -> Window.rolling(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("window length must be a positive duration, was PT0S");
    BudgetLimit l = BudgetLimit.builder().match("feature", "a|b").match("tenant", "t").window(Window.HOUR)
        .usd(new BigDecimal("1.5")).build();
    assertThat(l.id()).isEqualTo("tenant=t,feature=a%7Cb|hour");
  }

  @Test
  void calendarWindowsFollowTheTimeZoneAndRollingWindowsHaveSixtySlots() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Instant t = Instant.parse("2026-03-29T21:30:00Z"); // 23:30 in Berlin, the day clocks went forward
    Window.Slot day = Window.DAY.slotAt(t, berlin);
    assertThat(Instant.ofEpochMilli(day.startMs())).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
    assertThat(Instant.ofEpochMilli(day.resetsAtMs())).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
    assertThat(day.lengthMs()).isEqualTo(Duration.ofHours(23).toMillis());
    Window.Slot month = Window.MONTH.slotAt(t, berlin);
    assertThat(Instant.ofEpochMilli(month.startMs())).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
    assertThat(Instant.ofEpochMilli(month.resetsAtMs())).isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
    Window.Slot rolling = Window.parse("rolling:PT15M").slotAt(Instant.parse("2026-01-01T00:07:31Z"), berlin);
    assertThat(rolling.lengthMs()).isEqualTo(15_000);
    assertThat(rolling.slots()).isEqualTo(60);
    assertThat(Instant.ofEpochMilli(rolling.startMs())).isEqualTo(Instant.parse("2026-01-01T00:07:30Z"));
    assertThat(Window.parse("rolling:PT15M").label()).isEqualTo("rolling:PT15M");
    assertThat(Window.parse("Hour")).isEqualTo(Window.HOUR);
  }
}
