package dev.kiai.core.prompt;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version {@code major.minor.patch} with an optional pre-release tag, e.g. {@code 1.2.0} or
 * {@code 1.3.0-draft.1}, ordered by the precedence rules of <a href="https://semver.org">SemVer 2.0</a>: a
 * pre-release sorts before its release, pre-release identifiers compare numerically when numeric and
 * lexically otherwise. Build metadata ({@code +build}) is not supported.
 *
 * @param major major version, {@code >= 0}
 * @param minor minor version, {@code >= 0}
 * @param patch patch version, {@code >= 0}
 * @param preRelease dot-separated pre-release identifiers without the leading {@code -}, or null for a
 *     release
 */
public record SemVer(int major, int minor, int patch, String preRelease) implements Comparable<SemVer> {
  private static final String NUMBER = "0|[1-9][0-9]*";
  private static final String IDENTIFIER = "0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*";
  private static final Pattern PRE_RELEASE =
      Pattern.compile("(?:" + IDENTIFIER + ")(?:\\.(?:" + IDENTIFIER + "))*");
  private static final Pattern VERSION =
      Pattern.compile("(" + NUMBER + ")\\.(" + NUMBER + ")\\.(" + NUMBER + ")(?:-(.+))?");

  /**
   * Validates the parts.
   *
   * @throws IllegalArgumentException when a number is negative or the pre-release tag is malformed
   */
  public SemVer {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException(
          "version numbers must be >= 0, was " + major + "." + minor + "." + patch);
    }
    if (preRelease != null && !PRE_RELEASE.matcher(preRelease).matches()) {
      throw new IllegalArgumentException("invalid pre-release '" + preRelease
          + "': expected dot-separated identifiers of [0-9A-Za-z-] without leading zeros");
    }
  }

  /**
   * @param version text such as {@code 1.2.0} or {@code 1.3.0-rc.1}
   * @return the parsed version
   * @throws IllegalArgumentException when {@code version} is not a semantic version
   */
  public static SemVer parse(String version) {
    Objects.requireNonNull(version, "version");
    Matcher m = VERSION.matcher(version);
    if (m.matches() && (m.group(4) == null || PRE_RELEASE.matcher(m.group(4)).matches())) {
      try {
        return new SemVer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)), m.group(4));
      } catch (NumberFormatException tooLarge) {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException("invalid version '" + version
        + "': expected major.minor.patch with an optional -pre-release, e.g. 1.2.0 or 1.3.0-draft");
  }

  /**
   * @param version text to test
   * @return true when {@link #parse(String)} would accept it
   */
  public static boolean isValid(String version) {
    try {
      parse(version);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** @return true when this version carries a pre-release tag, i.e. is not a release */
  public boolean isPreRelease() {
    return preRelease != null;
  }

  @Override
  public int compareTo(SemVer other) {
    int c = Integer.compare(major, other.major);
    if (c == 0) {
      c = Integer.compare(minor, other.minor);
    }
    if (c == 0) {
      c = Integer.compare(patch, other.patch);
    }
    if (c != 0) {
      return c;
    }
    if (preRelease == null || other.preRelease == null) {
      return preRelease == null ? (other.preRelease == null ? 0 : 1) : -1;
    }
    String[] a = preRelease.split("\\.");
    String[] b = other.preRelease.split("\\.");
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      c = compareIdentifiers(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  private static int compareIdentifiers(String a, String b) {
    boolean numericA = a.chars().allMatch(Character::isDigit);
    boolean numericB = b.chars().allMatch(Character::isDigit);
    if (numericA && numericB) {
      return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
    if (numericA != numericB) {
      return numericA ? -1 : 1;
    }
    return a.compareTo(b);
  }

  /** @return {@code major.minor.patch} followed by {@code -preRelease} when present */
  @Override
  public String toString() {
    return major + "." + minor + "." + patch + (preRelease == null ? "" : "-" + preRelease);
  }
}
