package dev.kiai.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

  @Test
  void parsesReleaseAndPreRelease() {
    assertThat(SemVer.parse("1.2.3")).isEqualTo(new SemVer(1, 2, 3, null));
    assertThat(SemVer.parse("1.3.0-draft.1")).isEqualTo(new SemVer(1, 3, 0, "draft.1"));
    assertThat(SemVer.parse("1.3.0-draft.1").isPreRelease()).isTrue();
    assertThat(SemVer.parse("10.20.30").isPreRelease()).isFalse();
    assertThat(SemVer.parse("1.3.0-rc.1").toString()).isEqualTo("1.3.0-rc.1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2", "1", "v1.2.3", "01.2.3", "1.02.3", "1.2.3-", "1.2.3-01", "1.2.3-a..b",
      "1.2.3+build", " 1.2.3", "1.2.3-é", "99999999999.0.0", ""})
  void rejectsInvalidVersions(String version) {
    assertThatThrownBy(() -> SemVer.parse(version))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid version '" + version
            + "': expected major.minor.patch with an optional -pre-release, e.g. 1.2.0 or 1.3.0-draft");
    assertThat(SemVer.isValid(version)).isFalse();
  }

  @Test
  void ordersBySemVerPrecedence() {
    List<String> expected = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
        "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.9.0", "1.10.0", "2.0.0");
    List<SemVer> shuffled = new ArrayList<>(expected.stream().map(SemVer::parse).toList());
    Collections.reverse(shuffled);
    Collections.sort(shuffled);
    assertThat(shuffled).extracting(SemVer::toString).containsExactlyElementsOf(expected);
    assertThat(SemVer.parse("1.0.0").compareTo(SemVer.parse("1.0.0"))).isZero();
  }

  @Test
  void validatesComponents() {
    assertThatThrownBy(() -> new SemVer(1, -1, 0, null)).hasMessageContaining("must be >= 0");
    assertThatThrownBy(() -> new SemVer(1, 0, 0, "a b")).hasMessageContaining("invalid pre-release 'a b'");
  }
}
