package dev.kiai.core.budget;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link BudgetStore} in this process. Each counter has its own lock; an operation locks the counters it
 * names in one global order (so two requests never deadlock) and applies all-or-nothing. There is no
 * lock all requests share: requests of different tenants contend only on the limits they have in
 * common (the global limit, when there is one).
 *
 * <p>Expired reservations are released lazily: every {@value #SWEEP_EVERY} reservations and before
 * any reservation is refused. A released expired reservation is remembered for as long again as its
 * lifetime, so a late commit is still charged and reported as expired.
 */
final class InMemoryBudgetStore implements BudgetStore {
  static final int SWEEP_EVERY = 1024;
  static final long EVICT_EVERY_MS = 60_000;

  private final ConcurrentHashMap<String, Cell> cells = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
  private final AtomicLong order = new AtomicLong();
  private final AtomicLong ops = new AtomicLong();
  private final ReentrantLock sweeping = new ReentrantLock();
  private final AtomicLong lastEvictMs = new AtomicLong(Long.MIN_VALUE / 2);

  @Override
  public ReserveResult reserve(Reserve r) {
    if ((ops.incrementAndGet() & (SWEEP_EVERY - 1)) == 0) {
      sweep(r.nowMs());
      evictIdle(r.nowMs());
    }
    ReserveResult first = tryReserve(r);
    if (first.admitted() || !sweep(r.nowMs())) {
      return first;
    }
    return tryReserve(r);
  }

  private ReserveResult tryReserve(Reserve r) {
    List<Counter> counters = r.counters();
    Cell[] cs = cells(counters);
    Cell[] locked = lockLive(counters, cs);
    try {
      List<Totals> totals = new ArrayList<>(cs.length);
      int failed = -1;
      for (int i = 0; i < cs.length; i++) {
        Counter c = counters.get(i);
        Totals t = cs[i].totals(c);
        totals.add(t);
        if (failed < 0 && (over(c.limitTokens(), t.spent().tokens(), t.reserved().tokens(), r.tokens())
            || over(c.limitNanos(), t.spent().nanos(), t.reserved().nanos(), r.nanos()))) {
          failed = i;
        }
      }
      if (failed >= 0) {
        return new ReserveResult(false, failed, totals);
      }
      for (int i = 0; i < cs.length; i++) {
        cs[i].touch(counters.get(i));
      }
      if (held.putIfAbsent(r.id(), new Held(r, cs)) != null) {
        throw new IllegalArgumentException("reservation id " + r.id() + " is already in use");
      }
      for (int i = 0; i < cs.length; i++) {
        cs[i].reservedTokens += r.tokens();
        cs[i].reservedNanos += r.nanos();
        Totals t = totals.get(i);
        totals.set(i, new Totals(t.spent(), new Amount(cs[i].reservedTokens, cs[i].reservedNanos)));
      }
      return new ReserveResult(true, -1, totals);
    } finally {
      unlockAll(locked);
    }
  }

  private static boolean over(long limit, long spent, long reserved, long amount) {
    return limit >= 0 && spent + reserved + amount > limit;
  }

  @Override
  public CommitResult commit(Commit c) {
    Reserve r = c.reservation();
    Held h = held.remove(r.id());
    if (h == null) {
      return new CommitResult(CommitStatus.UNKNOWN, List.of());
    }
    Cell[] locked = lockLive(c.counters(), h.cells); // a late commit may find an idle cell retired
    try {
      boolean wasHolding = h.holding;
      if (wasHolding) {
        unhold(h);
      }
      List<Totals> totals = new ArrayList<>(h.cells.length);
      for (int i = 0; i < h.cells.length; i++) {
        Counter counter = c.counters().get(i);
        h.cells[i].add(counter, c.tokens(), c.nanos(), c.model(), c.feature());
        totals.add(h.cells[i].totals(counter));
      }
      boolean expired = !wasHolding || c.nowMs() > r.expiresAtMs();
      return new CommitResult(expired ? CommitStatus.EXPIRED : CommitStatus.COMMITTED, totals);
    } finally {
      unlockAll(locked);
    }
  }

  @Override
  public boolean release(Reserve r, long nowMs) {
    Held h = held.remove(r.id());
    if (h == null) {
      return false;
    }
    Cell[] locked = lockAll(h.cells);
    try {
      if (h.holding) {
        unhold(h);
      }
      return true;
    } finally {
      unlockAll(locked);
    }
  }

  @Override
  public Snapshot read(Counter counter, long nowMs) {
    sweep(nowMs);
    Cell cell = cells.get(counter.key());
    if (cell == null) {
      return new Snapshot(new Totals(Amount.ZERO, Amount.ZERO), Map.of(), Map.of());
    }
    cell.lock.lock();
    try {
      Map<String, Amount> byModel = new HashMap<>();
      Map<String, Amount> byFeature = new HashMap<>();
      for (Slot s : cell.ring(counter)) {
        if (s != null && inWindow(s.start, counter)) {
          merge(byModel, s.byModel);
          merge(byFeature, s.byFeature);
        }
      }
      return new Snapshot(cell.totals(counter), byModel, byFeature);
    } finally {
      cell.lock.unlock();
    }
  }

  private static void merge(Map<String, Amount> into, Map<String, long[]> from) {
    if (from != null) {
      from.forEach((k, v) -> into.merge(k, new Amount(v[0], v[1]),
          (a, b) -> new Amount(a.tokens() + b.tokens(), a.nanos() + b.nanos())));
    }
  }

  /**
   * Forgets counters that can no longer matter: nothing reserved on them and every slot they hold out of
   * their window (for example the per-user counters of users who stopped calling). Runs at most once
   * per {@link #EVICT_EVERY_MS} of request time, so a store with many scopes stays bounded without a
   * scan on every call.
   *
   * @return how many counters were forgotten
   */
  int evictIdle(long nowMs) {
    long last = lastEvictMs.get();
    if (nowMs - last < EVICT_EVERY_MS || !lastEvictMs.compareAndSet(last, nowMs)) {
      return 0;
    }
    int evicted = 0;
    for (Map.Entry<String, Cell> e : cells.entrySet()) {
      Cell c = e.getValue();
      if (nowMs < c.activeUntilMs || !c.lock.tryLock()) {
        continue;
      }
      try {
        if (!c.retired && c.reservedTokens == 0 && c.reservedNanos == 0 && nowMs >= c.activeUntilMs) {
          c.retired = true; // a thread that already holds this cell re-resolves its key (lockLive)
          cells.remove(e.getKey(), c);
          evicted++;
        }
      } finally {
        c.lock.unlock();
      }
    }
    return evicted;
  }

  /** @return how many counters the store holds */
  int size() {
    return cells.size();
  }

  /**
   * Locks the cells of {@code counters}; when one of {@code cs} was retired by {@link #evictIdle} between
   * lookup and lock, looks the cells up again (into {@code cs}) and retries.
   */
  private Cell[] lockLive(List<Counter> counters, Cell[] cs) {
    while (true) {
      Cell[] locked = lockAll(cs);
      boolean live = true;
      for (Cell c : cs) {
        live &= !c.retired;
      }
      if (live) {
        return locked;
      }
      unlockAll(locked);
      Cell[] fresh = cells(counters);
      System.arraycopy(fresh, 0, cs, 0, cs.length);
    }
  }

  /**
   * Releases the holds of expired reservations and forgets those expired for as long again.
   *
   * @return true when anything was released
   */
  boolean sweep(long nowMs) {
    if (held.isEmpty() || !sweeping.tryLock()) {
      return false;
    }
    boolean released = false;
    try {
      for (Held h : held.values()) {
        Reserve r = h.reserve;
        if (nowMs <= r.expiresAtMs()) {
          continue;
        }
        Cell[] locked = lockAll(h.cells);
        try {
          if (h.holding) {
            unhold(h);
            released = true;
          }
        } finally {
          unlockAll(locked);
        }
        long lifetime = Math.max(0, r.expiresAtMs() - r.nowMs());
        if (nowMs > r.expiresAtMs() + lifetime) {
          held.remove(r.id(), h);
        }
      }
    } finally {
      sweeping.unlock();
    }
    return released;
  }

  /** Caller holds every cell's lock. */
  private static void unhold(Held h) {
    h.holding = false;
    for (Cell c : h.cells) {
      c.reservedTokens -= h.reserve.tokens();
      c.reservedNanos -= h.reserve.nanos();
    }
  }

  private Cell[] cells(List<Counter> counters) {
    Cell[] cs = new Cell[counters.size()];
    for (int i = 0; i < cs.length; i++) {
      String key = counters.get(i).key();
      Cell c = cells.get(key);
      cs[i] = c != null ? c : cells.computeIfAbsent(key, k -> new Cell(order.incrementAndGet()));
    }
    return cs;
  }

  private static Cell[] lockAll(Cell[] cs) {
    Cell[] sorted = cs;
    if (!ordered(cs)) {
      sorted = cs.clone();
      Arrays.sort(sorted, (a, b) -> Long.compare(a.order, b.order));
    }
    int n = 0;
    try {
      for (Cell c : sorted) {
        c.lock.lock();
        n++;
      }
    } catch (RuntimeException | Error e) {
      for (int i = n - 1; i >= 0; i--) {
        sorted[i].lock.unlock();
      }
      throw e;
    }
    return sorted;
  }

  private static boolean ordered(Cell[] cs) {
    for (int i = 1; i < cs.length; i++) {
      if (cs[i - 1].order > cs[i].order) {
        return false;
      }
    }
    return true;
  }

  private static void unlockAll(Cell[] locked) {
    for (int i = locked.length - 1; i >= 0; i--) {
      locked[i].lock.unlock();
    }
  }

  static boolean inWindow(long slotStart, Counter c) {
    return slotStart <= c.slotStartMs() && slotStart > c.slotStartMs() - c.slotMs() * c.slots();
  }

  /** A reservation in flight; {@code holding} is guarded by the locks of all its cells. */
  private static final class Held {
    final Reserve reserve;
    final Cell[] cells;
    boolean holding = true;

    Held(Reserve reserve, Cell[] cells) {
      this.reserve = reserve;
      this.cells = cells;
    }
  }

  /** One counter; every field is guarded by {@code lock}. */
  private static final class Cell {
    final long order;
    final ReentrantLock lock = new ReentrantLock();
    long reservedTokens;
    long reservedNanos;
    Slot[] ring;
    /** After this instant no slot of this cell is inside its window any more. */
    long activeUntilMs = Long.MIN_VALUE;
    /** Forgotten by {@link #evictIdle}; a holder of a stale reference must look the key up again. */
    boolean retired;

    Cell(long order) {
      this.order = order;
    }

    void touch(Counter c) {
      activeUntilMs = Math.max(activeUntilMs, c.slotStartMs() + c.slotMs() * c.slots());
    }

    Slot[] ring(Counter c) {
      if (ring == null || ring.length != c.slots()) {
        ring = new Slot[c.slots()];
      }
      return ring;
    }

    Totals totals(Counter c) {
      long t = 0;
      long n = 0;
      for (Slot s : ring(c)) {
        if (s != null && inWindow(s.start, c)) {
          t += s.tokens;
          n += s.nanos;
        }
      }
      return new Totals(new Amount(t, n), new Amount(reservedTokens, reservedNanos));
    }

    void add(Counter c, long tokens, long nanos, String model, String feature) {
      touch(c);
      Slot[] r = ring(c);
      int i = (int) Math.floorMod(Math.floorDiv(c.slotStartMs(), c.slotMs()), (long) r.length);
      Slot s = r[i];
      if (s == null || s.start < c.slotStartMs()) {
        s = new Slot(c.slotStartMs());
        r[i] = s;
      }
      s.tokens += tokens;
      s.nanos += nanos;
      if (s.byModel == null) {
        s.byModel = new HashMap<>();
        s.byFeature = new HashMap<>();
      }
      add(s.byModel, model, tokens, nanos);
      add(s.byFeature, feature == null ? "none" : feature, tokens, nanos);
    }

    private static void add(Map<String, long[]> m, String key, long tokens, long nanos) {
      long[] v = m.get(key);
      if (v == null) {
        v = new long[2];
        m.put(key, v);
      }
      v[0] += tokens;
      v[1] += nanos;
    }
  }

  /** Spend in one slot; guarded by its cell's lock. */
  private static final class Slot {
    final long start;
    long tokens;
    long nanos;
    Map<String, long[]> byModel;
    Map<String, long[]> byFeature;

    Slot(long start) {
      this.start = start;
    }
  }
}
