package io.bucketprotection.operator.decide;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;

/**
 * What the {@link Decider} concluded: one {@link Write} to carry out, or a {@link Verdict}
 * (nothing to write now: in sync, waiting for a step, or a named problem whose row in the
 * {@link Reason} table says when to look again).
 */
public sealed interface Outcome permits Outcome.Write, Verdict {

  /**
   * One PutBucketVersioning to make.
   *
   * @param change "versioning Suspended -> Enabled", for messages and events
   * @param needsCode S3 asks for an MFA code for this write
   * @param weakens the write suspends versioning or switches MFA Delete off
   * @param drift what drifted and is being put back, or null
   * @param grant the device's grant, once it has given one: {@link DeviceState.Granted} (a step of
   *     the stored seed) or {@link DeviceState.CodeGranted} (a person's code); null before, and for
   *     writes that need no code
   */
  record Write(BucketAddress address, BucketState observed, BucketState target, String change, boolean needsCode,
      boolean weakens, String drift, DeviceState grant) implements Outcome {

    /** The write needs a code and the device has not been asked for a step yet. */
    public boolean awaitsStep() {
      return needsCode && grant == null;
    }
  }
}
