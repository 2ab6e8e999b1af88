package io.bucketprotection.operator.mfa;

import java.time.Instant;

/**
 * What one device of a pool is doing, for its account's status.
 *
 * @param paused it serves no one until {@code pausedUntil}
 * @param known the ledger holds state for the device (it was used lately)
 * @param nextFreeStep the first step it may hand out, as the ledger holds it (it may lie in the past)
 * @param waiting changes that will take its steps, as things stand
 */
public record DeviceReport(MfaDevice device, boolean known, boolean paused, Instant pausedUntil, long nextFreeStep,
    int waiting) {
}
