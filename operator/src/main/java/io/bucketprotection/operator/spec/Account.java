package io.bucketprotection.operator.spec;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;
import java.util.Set;

/**
 * A ClusterS3Account or S3Account that passed validation, in the operator's own types.
 *
 * @param admission which namespaces may use it; null for an S3Account (only its own namespace)
 * @param weakeningAllowed the account says weakening: Allow
 * @param versionDeletionAllowed the account says versionDeletion: Allow (each request still needs its approval)
 */
public record Account(AccountId id, AccountSettings settings, List<BucketGlob> buckets, boolean weakeningAllowed,
    Admission admission, boolean versionDeletionAllowed) {

  public Account(AccountId id, AccountSettings settings, List<BucketGlob> buckets, boolean weakeningAllowed,
      Admission admission) {
    this(id, settings, buckets, weakeningAllowed, admission, false);
  }

  /**
   * The namespaces a ClusterS3Account admits.
   *
   * @param selector null when only {@code names} count
   */
  public record Admission(Set<String> names, LabelSelector selector) {
  }

  public boolean coversBucket(String bucket) {
    return buckets.stream().anyMatch(glob -> glob.matches(bucket));
  }
}
