package dev.kiai.core.error;

import java.util.Objects;

/**
 * A budget reservation could not be committed or released as asked: the ledger does not know it (it
 * was already committed or released, or belongs to another ledger), or it had expired.
 */
public final class BudgetReservationException extends KiaiException {
  private static final long serialVersionUID = 1L;

  /** Why the reservation was refused. */
  public enum Reason {
    /** Already committed or released, or never made by this ledger's store. */
    UNKNOWN,
    /**
     * Its lifetime had passed, so it no longer held budget. A commit still charged the actual spend
     * when the store remembered the reservation ({@link #charged()}).
     */
    EXPIRED
  }

  private final String reservationId;
  private final Reason reason;
  private final boolean charged;

  /**
   * @param reservationId the reservation
   * @param reason why it was refused
   * @param charged whether the actual spend was charged anyway
   */
  public BudgetReservationException(String reservationId, Reason reason, boolean charged) {
    super("budget reservation " + reservationId + " is " + (reason == Reason.UNKNOWN
        ? "unknown (already committed or released, or not made by this ledger)"
        : "expired" + (charged ? "; its actual spend was charged anyway" : " and forgotten; not charged")),
        null);
    this.reservationId = Objects.requireNonNull(reservationId, "reservationId");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.charged = charged;
  }

  /** @return the reservation id */
  public String reservationId() {
    return reservationId;
  }

  /** @return why it was refused */
  public Reason reason() {
    return reason;
  }

  /** @return true when a commit charged the actual spend despite the error */
  public boolean charged() {
    return charged;
  }
}
