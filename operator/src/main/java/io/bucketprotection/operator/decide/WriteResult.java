package io.bucketprotection.operator.decide;

import io.bucketprotection.operator.s3.BucketStoreException;
import java.time.Instant;

/** How a {@link Outcome.Write} went, as act reports it. */
public sealed interface WriteResult {

  /** S3 accepted the write. */
  record Accepted() implements WriteResult {
  }

  /**
   * S3 refused it.
   *
   * @param devicePausedUntil for a refused code: when the pause this refusal caused ends, or null
   * @param nextStep for a refused code: when the device's next step starts, or null
   * @param namespaceOnly the pause holds only this resource's namespace's changes
   */
  record Refused(BucketStoreException error, Instant devicePausedUntil, Instant nextStep, boolean namespaceOnly)
      implements WriteResult {
    public Refused(BucketStoreException error, Instant devicePausedUntil, Instant nextStep) {
      this(error, devicePausedUntil, nextStep, false);
    }
  }
}
