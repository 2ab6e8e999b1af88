package io.bucketprotection.operator.reconcile.decide;

import io.bucketprotection.operator.s3.VersioningStatus;
import java.time.Duration;

/**
 * A BucketProtection spec that passed validation, before its account is resolved: exactly one of
 * {@code account} and {@code inline} is set.
 *
 * @param mfaDelete null when MFA Delete is not managed
 * @param region null to use the account's region, or to find the bucket's
 * @param account the account named in accountRef, or the default ClusterS3Account
 * @param inline the resource's own credentials, endpoint, owner and MFA device
 */
public record ProtectionSpec(String bucket, VersioningStatus versioning, Boolean mfaDelete, boolean observeOnly,
    String region, Duration checkInterval, AccountId account, AccountSettings inline) {
}
