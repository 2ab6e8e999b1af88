package io.bucketprotection.operator.spec;

import io.bucketprotection.operator.s3.VersioningStatus;
import java.time.Duration;
import java.util.List;

/**
 * A BucketProtection spec that passed validation, before its account is resolved: exactly one of
 * {@code account} and {@code inline} is set.
 *
 * @param mfaDelete null when MFA Delete is not managed
 * @param region null to use the account's region, or to find the bucket's
 * @param account the account named in accountRef, or the default ClusterS3Account
 * @param inline the resource's own credentials, endpoint, owner and MFA device
 * @param unsupportedFields fields this operator version does not know ("spec.mfa.newField"): the
 *     bucket is observed, never written
 */
public record ProtectionSpec(String bucket, VersioningStatus versioning, Boolean mfaDelete, boolean observeOnly,
    String region, Duration checkInterval, AccountId account, AccountSettings inline,
    List<String> unsupportedFields) {

  public ProtectionSpec {
    unsupportedFields = List.copyOf(unsupportedFields);
  }
}
