package io.bucketprotection.operator.mfa;

import java.time.Duration;
import java.time.Instant;

/** The {@link MfaCodeLedger}'s answer to a request for a code. */
public sealed interface Reservation permits Reservation.Granted, Reservation.Wait, Reservation.Paused,
    Reservation.QueueFull {

  /**
   * The requester's namespace already has {@link MfaCodeLedger#WAITING_PER_NAMESPACE} changes in this device's
   * line: ask again at {@code retryAt}, without a place (so one namespace cannot queue thousands
   * of changes ahead of everyone else).
   */
  public record QueueFull(Instant retryAt, int waiting) implements Reservation {
  }

  /** Use the code of {@code device}'s {@code step}, now; {@code waited} is how long this requester was queued. */
  public record Granted(MfaDevice device, long step, Duration waited) implements Reservation {
  }

  /**
   * Not yet: ask again at {@code retryAt}.
   *
   * @param position 1 for the next in line (namespaces take turns): for the ledger, never shown
   * @param ownPlace the place among the requester's own namespace's changes for this device
   * @param ownWaiting how many changes of the requester's namespace wait for this pool: what a
   *     namespace may be told (other namespaces' counts would tell it of their activity)
   * @param device the device whose step the requester will take, as things stand
   * @param devicePlace its place among its own namespace's changes that will take that device's steps
   */
  public record Wait(Instant retryAt, int position, int ownPlace, int ownWaiting, MfaDevice device, int devicePlace)
      implements Reservation {
  }

  /**
   * The device is paused after refused codes; ask again at {@code until} or once the seed changes.
   *
   * @param namespaceOnly only the asking namespace's changes are paused: its own codes were
   *     refused (a bucket that is not the account's, say), and the other namespaces keep the device
   * @param device the paused device (in a pool: every device is paused, this one comes back first)
   */
  public record Paused(Instant until, boolean namespaceOnly, MfaDevice device) implements Reservation {
    public Paused(Instant until) {
      this(until, false, null);
    }

    public Paused(Instant until, boolean namespaceOnly) {
      this(until, namespaceOnly, null);
    }

    Paused of(MfaDevice pausedDevice) {
      return new Paused(until, namespaceOnly, pausedDevice);
    }
  }
}
