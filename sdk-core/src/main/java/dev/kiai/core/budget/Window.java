package dev.kiai.core.budget;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Objects;

/**
 * The period a budget limit counts spend over: a calendar {@link Kind#MINUTE minute}, {@link Kind#HOUR
 * hour}, {@link Kind#DAY day} or {@link Kind#MONTH month} in the ledger's time zone, or a
 * {@link Kind#ROLLING rolling} duration such as the last 15 minutes.
 *
 * <p>A rolling window is kept as {@value #ROLLING_SLOTS} slots of a sixtieth of its length (at least one
 * millisecond): spend leaves the window one slot at a time, so a rolling hour forgets spend in
 * one-minute steps.
 *
 * @param kind calendar unit or rolling
 * @param length the rolling duration; null for calendar windows
 */
public record Window(Kind kind, Duration length) {
  /** Number of slots a rolling window is divided into. */
  public static final int ROLLING_SLOTS = 60;

  /** A calendar minute. */
  public static final Window MINUTE = new Window(Kind.MINUTE, null);
  /** A calendar hour. */
  public static final Window HOUR = new Window(Kind.HOUR, null);
  /** A calendar day. */
  public static final Window DAY = new Window(Kind.DAY, null);
  /** A calendar month. */
  public static final Window MONTH = new Window(Kind.MONTH, null);

  /** Calendar unit or rolling. */
  public enum Kind {
    /** Calendar minute. */
    MINUTE,
    /** Calendar hour. */
    HOUR,
    /** Calendar day in the ledger's time zone. */
    DAY,
    /** Calendar month in the ledger's time zone. */
    MONTH,
    /** The last {@link Window#length()} before now. */
    ROLLING
  }

  /**
   * @throws IllegalArgumentException when a rolling window has no positive length or a calendar window
   *     has one
   */
  public Window {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.ROLLING) {
      if (length == null || length.isZero() || length.isNegative()) {
        throw new IllegalArgumentException("window length must be a positive duration, was " + length);
      }
    } else if (length != null) {
      throw new IllegalArgumentException("window length is only allowed for rolling windows");
    }
  }

  /**
   * @param length how far back the window reaches
   * @return a rolling window
   */
  public static Window rolling(Duration length) {
    return new Window(Kind.ROLLING, length);
  }

  /**
   * Parses {@code minute}, {@code hour}, {@code day}, {@code month} or {@code rolling:PT15M} (an
   * ISO-8601 duration).
   *
   * @param text the window as written in a limits file
   * @return the window
   * @throws IllegalArgumentException when the text is none of these
   */
  public static Window parse(String text) {
    Objects.requireNonNull(text, "window");
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "minute":
        return MINUTE;
      case "hour":
        return HOUR;
      case "day":
        return DAY;
      case "month":
        return MONTH;
      default:
        break;
    }
    if (t.startsWith("rolling:")) {
      try {
        return rolling(Duration.parse(text.trim().substring("rolling:".length()).toUpperCase(Locale.ROOT)));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("window '" + text + "' has no valid ISO-8601 duration after "
            + "'rolling:', e.g. rolling:PT15M");
      }
    }
    throw new IllegalArgumentException("window must be minute, hour, day, month or rolling:<ISO-8601 duration>"
        + " (e.g. rolling:PT15M), was '" + text + "'");
  }

  /** @return the window as written in a limits file: {@code day}, {@code rolling:PT15M} */
  public String label() {
    return kind == Kind.ROLLING ? "rolling:" + length : kind.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return label();
  }

  /**
   * The slot that holds spend made at {@code now}: the calendar window itself, or one of the
   * {@value #ROLLING_SLOTS} slots of a rolling window.
   *
   * @param now the instant
   * @param zone the time zone of calendar windows
   * @return the slot
   */
  public Slot slotAt(Instant now, ZoneId zone) {
    long ms = now.toEpochMilli();
    if (kind == Kind.ROLLING) {
      long slotMs = Math.max(1, length.toMillis() / ROLLING_SLOTS);
      long start = Math.floorDiv(ms, slotMs) * slotMs;
      return new Slot(start, slotMs, ROLLING_SLOTS, start + slotMs);
    }
    ZonedDateTime z = now.atZone(zone);
    ZonedDateTime start;
    ZonedDateTime end;
    switch (kind) {
      case MINUTE:
        start = z.truncatedTo(ChronoUnit.MINUTES);
        end = start.plusMinutes(1);
        break;
      case HOUR:
        start = z.truncatedTo(ChronoUnit.HOURS);
        end = start.plusHours(1);
        break;
      case DAY:
        start = z.truncatedTo(ChronoUnit.DAYS);
        end = start.plusDays(1).truncatedTo(ChronoUnit.DAYS);
        break;
      default:
        start = z.with(TemporalAdjusters.firstDayOfMonth()).truncatedTo(ChronoUnit.DAYS);
        end = start.plusMonths(1).truncatedTo(ChronoUnit.DAYS);
        break;
    }
    long s = start.toInstant().toEpochMilli();
    long e = end.toInstant().toEpochMilli();
    return new Slot(s, e - s, 1, e);
  }

  /**
   * Where spend made at one instant is counted. A window's spend is the sum of its last {@code slots}
   * slots of {@code lengthMs} each, ending with this one.
   *
   * @param startMs epoch millisecond the slot starts
   * @param lengthMs slot length in milliseconds
   * @param slots how many slots, this one included, make up the window (1 for calendar windows)
   * @param resetsAtMs for a calendar window its end; for a rolling window the end of this slot, when the
   *     oldest slot's spend next leaves the window
   */
  public record Slot(long startMs, long lengthMs, int slots, long resetsAtMs) {
    /** @return milliseconds the window's data must be kept after this slot starts */
    public long retentionMs() {
      return lengthMs * slots;
    }
  }
}
