package io.bucketprotection.operator.reconcile.decide;

import io.bucketprotection.operator.secrets.SecretSource;
import java.net.URI;

/**
 * Where S3 is and who signs for it, from an account object or from a resource's inline fields,
 * in the operator's own types.
 *
 * @param endpoint null for the operator's default endpoint
 * @param region null to find each bucket's region
 * @param credentials null for the operator's own AWS identity (only a ClusterS3Account may lend it)
 * @param expectedBucketOwner null when not checked
 * @param mfa null when no MFA device is named
 */
public record AccountSettings(URI endpoint, String region, SecretSource credentials, String expectedBucketOwner,
    MfaSettings mfa) {

  /**
   * An MFA device and where its seed is.
   *
   * @param holder the object whose spec names the device ("ClusterS3Account default",
   *     "BucketProtection team/logs"), for messages
   */
  public record MfaSettings(String serialNumber, SecretSource seed, int periodSeconds, int lookAheadSteps,
      String holder) {
  }
}
