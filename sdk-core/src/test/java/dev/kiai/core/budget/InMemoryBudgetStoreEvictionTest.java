package dev.kiai.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.core.budget.BudgetStore.Commit;
import dev.kiai.core.budget.BudgetStore.CommitStatus;
import dev.kiai.core.budget.BudgetStore.Counter;
import dev.kiai.core.budget.BudgetStore.Reserve;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Counters of scopes that went quiet are forgotten once nothing of them is in a window any more. */
class InMemoryBudgetStoreEvictionTest {
  private static final long HOUR = 3_600_000L;
  private static final long T0 = 1_764_460_800_000L; // 2025-11-30T00:00Z, a slot boundary

  /** A per-user counter: 1,000 tokens per hour, one slot of one hour. */
  private static Counter user(String name, long now) {
    return new Counter("user:" + name, 1_000, -1, now - Math.floorMod(now, HOUR), HOUR, 1);
  }

  private static void spend(InMemoryBudgetStore store, String id, Counter c, long now, long tokens) {
    Reserve r = new Reserve(id, now, now + 60_000, tokens, 0, List.of(c));
    assertThat(store.reserve(r).admitted()).isTrue();
    assertThat(store.commit(new Commit(r, now, List.of(c), tokens, 0, "m", null)).status())
        .isEqualTo(CommitStatus.COMMITTED);
  }

  @Test
  void quietScopesAreForgottenAfterTheirWindowAndActiveOnesKeepTheirSpend() {
    InMemoryBudgetStore store = new InMemoryBudgetStore();
    for (int u = 0; u < 500; u++) {
      spend(store, "r" + u, user("u" + u, T0 + 1_000), T0 + 1_000, 10);
    }
    assertThat(store.size()).isEqualTo(500);

    // still inside the hour: nothing may go, spend must still count
    long later = T0 + HOUR - 1;
    assertThat(store.evictIdle(later)).isZero();
    assertThat(store.read(user("u7", later), later).totals().spent().tokens()).isEqualTo(10);

    // one user keeps calling in the next hour; the other 499 went quiet
    long next = T0 + HOUR + 5 * 60_000;
    spend(store, "again", user("u7", next), next, 900);
    assertThat(store.evictIdle(next)).isEqualTo(499);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.read(user("u7", next), next).totals().spent().tokens()).isEqualTo(900);

    // the cap still holds for the active user: 900 + 200 > 1,000
    Reserve over = new Reserve("over", next, next + 60_000, 200, 0, List.of(user("u7", next)));
    assertThat(store.reserve(over).admitted()).isFalse();
    // a forgotten user starts from zero, exactly as its out-of-window spend would count
    assertThat(store.read(user("u3", next), next).totals().spent().tokens()).isZero();
  }

  @Test
  void evictionRunsAtMostOncePerIntervalAndNeverDropsAHeldReservation() {
    InMemoryBudgetStore store = new InMemoryBudgetStore();
    long now = T0 + 1_000;
    Counter c = user("holder", now);
    Reserve held = new Reserve("held", now, now + 3 * HOUR, 100, 0, List.of(c));
    assertThat(store.reserve(held).admitted()).isTrue();

    long afterWindow = T0 + 2 * HOUR;
    assertThat(store.evictIdle(afterWindow)).isZero(); // 100 tokens still reserved on it
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.release(held, afterWindow)).isTrue();
    assertThat(store.evictIdle(afterWindow + 1)).isZero(); // within EVICT_EVERY_MS of the last run
    assertThat(store.evictIdle(afterWindow + InMemoryBudgetStore.EVICT_EVERY_MS)).isEqualTo(1);
    assertThat(store.size()).isZero();
  }

  @Test
  void aLateCommitAfterItsCounterWasForgottenStillLands() {
    InMemoryBudgetStore store = new InMemoryBudgetStore();
    long now = T0 + 1_000;
    Counter c = user("late", now);
    spend(store, "first", c, now, 1); // the cell exists with an hour window
    Reserve r = new Reserve("slow", now, now + 40 * 60_000, 50, 0, List.of(c));
    assertThat(store.reserve(r).admitted()).isTrue();

    long much = T0 + HOUR + 1_000; // past the hour, and past the hold's 40 minutes but not twice that
    store.sweep(much); // the reservation's hold expired and was released, its id still known
    assertThat(store.evictIdle(much)).isEqualTo(1); // so the cell looked idle and went

    Counter current = user("late", much);
    assertThat(store.commit(new Commit(r, much, List.of(current), 40, 0, "m", null)).status())
        .isEqualTo(CommitStatus.EXPIRED);
    assertThat(store.read(current, much).totals().spent().tokens()).isEqualTo(40);
    assertThat(store.size()).isEqualTo(1);
  }
}
