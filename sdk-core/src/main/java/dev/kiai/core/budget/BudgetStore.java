package dev.kiai.core.budget;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a {@link BudgetLedger} keeps spent and reserved amounts. Kiai ships an in-memory store
 * ({@link #inMemory()}) and a Redis store (module {@code kiai-budget-redis}) that several application
 * replicas share.
 *
 * <p>The ledger decides what to count; a store only has to apply each operation <em>atomically</em> to
 * all counters it names: a reservation is admitted only if every counter has room for it, and then
 * held by all of them. Money is counted in nano-USD (10<sup>-9</sup> USD) and tokens as integers, so
 * sums are exact.
 *
 * <p>A counter's spend is the sum of its last {@link Counter#slots()} slots of {@link Counter#slotMs()}
 * each, ending with the slot starting at {@link Counter#slotStartMs()}; reserved amounts belong to the
 * counter, not to a slot. Reservations the caller never commits nor releases stop holding budget once
 * {@link Reserve#expiresAtMs()} has passed. Implementations must be thread-safe.
 */
public interface BudgetStore extends AutoCloseable {

  /**
   * @return a store that keeps everything in this process; exact under contention, with one lock per
   *     counter and none shared by all requests
   */
  static BudgetStore inMemory() {
    return new InMemoryBudgetStore();
  }

  /**
   * Holds {@code r}'s amounts on all its counters if each has room for them, else holds nothing.
   *
   * @param r the reservation
   * @return whether it was admitted, and every counter's totals (after holding, when admitted)
   * @throws dev.kiai.core.error.BudgetUnavailableException when the store cannot be reached
   */
  ReserveResult reserve(Reserve r);

  /**
   * Ends a reservation: stops holding its amounts (unless expiry already did) and adds the actual spend
   * to the slot of {@link Commit#counters()}.
   *
   * @param c the commit
   * @return the outcome and every counter's totals after it
   * @throws dev.kiai.core.error.BudgetUnavailableException when the store cannot be reached
   */
  CommitResult commit(Commit c);

  /**
   * Ends a reservation without spend.
   *
   * @param r the reservation as reserved
   * @param nowMs the current epoch millisecond
   * @return true when the reservation was known and is now released
   * @throws dev.kiai.core.error.BudgetUnavailableException when the store cannot be reached
   */
  boolean release(Reserve r, long nowMs);

  /**
   * @param counter a counter and the slot to read the window from
   * @param nowMs the current epoch millisecond (expired reservations stop counting)
   * @return its totals and committed spend by model and by feature in the window
   * @throws dev.kiai.core.error.BudgetUnavailableException when the store cannot be reached
   */
  Snapshot read(Counter counter, long nowMs);

  /** Frees connections; the default does nothing. */
  @Override
  default void close() {}

  /**
   * One budget counter as of one instant.
   *
   * @param key stable id of limit and scope, e.g. {@code tenant=acme|day/tenant=acme}
   * @param limitTokens cap in tokens, or -1 for none
   * @param limitNanos cap in nano-USD, or -1 for none
   * @param slotStartMs start of the current slot
   * @param slotMs slot length
   * @param slots number of slots summed into the window, the current one included
   */
  record Counter(String key, long limitTokens, long limitNanos, long slotStartMs, long slotMs, int slots) {
    /** @throws IllegalArgumentException when a field is out of range */
    public Counter {
      Objects.requireNonNull(key, "key");
      if (slotMs < 1 || slots < 1) {
        throw new IllegalArgumentException("slotMs and slots must be >= 1, were " + slotMs + ", " + slots);
      }
    }
  }

  /**
   * A reservation to hold.
   *
   * @param id unique reservation id
   * @param nowMs current epoch millisecond
   * @param expiresAtMs when the reservation stops holding budget
   * @param tokens tokens to hold on every counter
   * @param nanos nano-USD to hold on every counter
   * @param counters the counters, in the ledger's order
   */
  record Reserve(String id, long nowMs, long expiresAtMs, long tokens, long nanos, List<Counter> counters) {
    /** @throws IllegalArgumentException when an amount is negative */
    public Reserve {
      Objects.requireNonNull(id, "id");
      counters = List.copyOf(counters);
      if (tokens < 0 || nanos < 0) {
        throw new IllegalArgumentException("tokens and nanos must be >= 0, were " + tokens + ", " + nanos);
      }
    }
  }

  /**
   * The outcome of {@link #reserve}.
   *
   * @param admitted true when every counter had room
   * @param failedIndex index in {@link Reserve#counters()} of the first counter without room, or -1
   * @param totals every counter's totals, in the reservation's order
   */
  record ReserveResult(boolean admitted, int failedIndex, List<Totals> totals) {
    /** Copies {@code totals}. */
    public ReserveResult {
      totals = List.copyOf(totals);
    }
  }

  /**
   * The end of a reservation with spend.
   *
   * @param reservation the reservation as reserved
   * @param nowMs current epoch millisecond
   * @param counters the same counters, as of now (their slot may have moved on)
   * @param tokens actual tokens spent
   * @param nanos actual nano-USD spent
   * @param model the model that ran, for the breakdown
   * @param feature the feature, for the breakdown, or null
   */
  record Commit(Reserve reservation, long nowMs, List<Counter> counters, long tokens, long nanos, String model,
      String feature) {
    /** @throws IllegalArgumentException when the counters differ from the reservation's */
    public Commit {
      Objects.requireNonNull(reservation, "reservation");
      counters = List.copyOf(counters);
      Objects.requireNonNull(model, "model");
      if (counters.size() != reservation.counters().size()) {
        throw new IllegalArgumentException("counters must be the reservation's counters");
      }
      if (tokens < 0 || nanos < 0) {
        throw new IllegalArgumentException("tokens and nanos must be >= 0, were " + tokens + ", " + nanos);
      }
    }
  }

  /** How a commit ended. */
  enum CommitStatus {
    /** Charged; the reservation's hold is gone. */
    COMMITTED,
    /** Charged, but the reservation had expired and its hold was already gone. */
    EXPIRED,
    /** The store does not know the reservation (already committed or released, or long expired). */
    UNKNOWN
  }

  /**
   * The outcome of {@link #commit}.
   *
   * @param status how it ended
   * @param totals every counter's totals after it; empty when {@link CommitStatus#UNKNOWN}
   */
  record CommitResult(CommitStatus status, List<Totals> totals) {
    /** Copies {@code totals}. */
    public CommitResult {
      Objects.requireNonNull(status, "status");
      totals = List.copyOf(totals);
    }
  }

  /**
   * Tokens and money.
   *
   * @param tokens tokens
   * @param nanos nano-USD
   */
  record Amount(long tokens, long nanos) {
    /** Nothing. */
    public static final Amount ZERO = new Amount(0, 0);
  }

  /**
   * A counter's state in its window.
   *
   * @param spent committed spend in the window
   * @param reserved amounts held by open reservations
   */
  record Totals(Amount spent, Amount reserved) {
    /** @throws NullPointerException when an amount is null */
    public Totals {
      Objects.requireNonNull(spent, "spent");
      Objects.requireNonNull(reserved, "reserved");
    }
  }

  /**
   * A counter's state with its committed spend broken down.
   *
   * @param totals spent and reserved
   * @param byModel committed spend per model that ran
   * @param byFeature committed spend per feature ({@code none} for requests without one)
   */
  record Snapshot(Totals totals, Map<String, Amount> byModel, Map<String, Amount> byFeature) {
    /** Copies the maps. */
    public Snapshot {
      Objects.requireNonNull(totals, "totals");
      byModel = Map.copyOf(byModel);
      byFeature = Map.copyOf(byFeature);
    }
  }
}
