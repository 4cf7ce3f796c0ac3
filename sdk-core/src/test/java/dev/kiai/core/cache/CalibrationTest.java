package dev.kiai.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CalibrationTest {
  private final double[] scores = {0.99, 0.95, 0.93, 0.90, 0.88, 0.85, 0.80, Double.NEGATIVE_INFINITY};
  private final boolean[] same = {true, true, false, true, true, false, true, true};

  @Test
  void choosesTheLowestThresholdWithinTheFalseHitRate() {
    Calibration strict = Calibration.choose(scores, same, 0.0);
    assertThat(strict.threshold()).isEqualTo(0.95);
    assertThat(strict.truePositives()).isEqualTo(2);
    assertThat(strict.falsePositives()).isZero();
    assertThat(strict.recall()).isCloseTo(2.0 / 6, within(1e-9));
    assertThat(strict.guardRejections()).isEqualTo(1);

    Calibration loose = Calibration.choose(scores, same, 0.25);
    assertThat(loose.threshold()).isEqualTo(0.88);
    assertThat(loose.precision()).isCloseTo(0.8, within(1e-9));
    assertThat(loose.recall()).isCloseTo(4.0 / 6, within(1e-9));
    assertThat(loose.falseHitRate()).isCloseTo(0.2, within(1e-9));
  }

  @Test
  void withNoAcceptableThresholdNothingHits() {
    Calibration c = Calibration.choose(new double[] {0.9, 0.8}, new boolean[] {false, true}, 0.1);
    assertThat(c.threshold()).isGreaterThan(1.0);
    assertThat(c.truePositives() + c.falsePositives()).isZero();
    assertThat(c.precision()).isEqualTo(1.0);
    assertThat(c.recall()).isEqualTo(0.0);
  }

  @Test
  void evaluatesAGivenThreshold() {
    Calibration c = Calibration.at(scores, same, 0.9);
    assertThat(c.truePositives()).isEqualTo(3);
    assertThat(c.falsePositives()).isEqualTo(1);
    assertThat(c.falseNegatives()).isEqualTo(3);
    assertThat(c.trueNegatives()).isEqualTo(1);
  }
}
