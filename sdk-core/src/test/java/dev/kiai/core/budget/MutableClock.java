package dev.kiai.core.budget;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand. */
final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;

  MutableClock(String instant) {
    this.now = new AtomicReference<>(Instant.parse(instant));
  }

  void advance(Duration d) {
    now.updateAndGet(i -> i.plus(d));
  }

  void set(String instant) {
    now.set(Instant.parse(instant));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
