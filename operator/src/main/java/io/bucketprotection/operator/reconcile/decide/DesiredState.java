package io.bucketprotection.operator.reconcile.decide;

import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.secrets.SecretSource;
import java.net.URI;
import java.time.Duration;

/**
 * A validated spec in the operator's own types.
 *
 * @param mfaDelete the wanted MFA Delete setting, or null when it is not managed
 * @param endpoint spec.endpoint, or null (then the operator's default applies)
 * @param region spec.region, or null (then the operator finds the bucket's region)
 * @param credentials where the access keys are, or null for the operator's default credentials
 * @param expectedBucketOwner the owner's account id, or null
 * @param mfa the MFA device, or null when the spec has no mfa block
 */
public record DesiredState(
    String bucket,
    VersioningStatus versioning,
    Boolean mfaDelete,
    boolean observeOnly,
    URI endpoint,
    String region,
    SecretSource credentials,
    String expectedBucketOwner,
    MfaSettings mfa,
    Duration checkInterval) {

  /** The spec's mfa block. */
  public record MfaSettings(String serialNumber, SecretSource seed, int periodSeconds, int lookAheadSteps) {
  }
}
