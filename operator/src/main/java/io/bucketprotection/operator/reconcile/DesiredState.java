package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.s3.VersioningStatus;
import java.net.URI;
import java.time.Duration;

/**
 * A validated spec in the operator's own types.
 *
 * @param mfaDelete the wanted MFA Delete setting, or null when it is not managed
 * @param endpoint spec.endpoint, or null (then the operator's default applies)
 * @param region spec.region, or null (then the operator's default applies)
 * @param credentialsSecret name of the Secret with access keys, or null for default credentials
 * @param mfa the MFA device, or null when the spec has no mfa block
 */
public record DesiredState(
    String bucket,
    VersioningStatus versioning,
    Boolean mfaDelete,
    boolean observeOnly,
    URI endpoint,
    String region,
    String credentialsSecret,
    MfaSettings mfa,
    Duration checkInterval) {

  /** The spec's mfa block. */
  public record MfaSettings(String serialNumber, String seedSecretName, String seedSecretKey,
      int periodSeconds, int lookAheadSteps) {
  }
}
