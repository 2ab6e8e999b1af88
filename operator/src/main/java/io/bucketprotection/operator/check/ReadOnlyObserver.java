package io.bucketprotection.operator.check;

import io.bucketprotection.operator.decide.Decider;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.decide.Facts;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.S3Credentials;
import io.bucketprotection.operator.s3.VersionStore.ObjectStamp;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.s3.VersionStore.Presence;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;

/**
 * The operator's observe step without its secrets: the same reads of the same bucket (endpoint,
 * region and expected owner from the bound account or spec), made with the credentials of the
 * environment the check runs in; for a version deletion, the reads of its preview too. The keys an
 * account or a resource names are never read, so the facts describe the bucket as this
 * environment sees it, and no request is signed by root. Requests go only where
 * {@link AllowedEndpoints} lets them: callers ask {@link #refusal} first, and a read anywhere else
 * is a bug that throws before it is sent.
 */
final class ReadOnlyObserver {

  private final BucketReader reader;
  private final String defaultRegion;
  private final AllowedEndpoints allowed;
  private final S3Credentials environmentCredentials;
  private final Clock clock;

  /**
   * @param defaultRegion tells AWS's partition when there is no endpoint
   * @param environmentCredentials keys from the environment, or null for the AWS default chain
   */
  ReadOnlyObserver(BucketReader reader, String defaultRegion, AllowedEndpoints allowed,
      S3Credentials environmentCredentials, Clock clock) {
    this.reader = reader;
    this.defaultRegion = defaultRegion;
    this.allowed = allowed;
    this.environmentCredentials = environmentCredentials;
    this.clock = clock;
  }

  /** Why the bucket of {@code desired} may not be read from here, or null when it may. */
  String refusal(DesiredState desired) {
    return allowed.refusal(desired.endpoint(), defaultRegion);
  }

  /** Why the buckets of {@code account} may not be listed from here, or null when they may. */
  String refusal(Account account) {
    return allowed.refusal(endpoint(account), defaultRegion);
  }

  /** Reads the bucket; {@link #refusal(DesiredState)} must be null. */
  Facts observe(DesiredState desired) {
    requireAllowed(refusal(desired));
    BucketAddress address = new BucketAddress(desired.endpoint(), desired.region(), desired.bucket(),
        environmentCredentials, desired.expectedBucketOwner());
    // The decision depends on the operator's credentials, not this environment's: the kind the
    // operator's would be, as far as it shows without reading them (a session token in an
    // account's Secret would make them TEMPORARY; no Secret is read, no observer assumed).
    Facts.CredentialKind kind = desired.observer() != null ? Facts.CredentialKind.OBSERVER
        : Facts.CredentialKind.ACCESS_KEYS;
    Observation observation;
    try {
      observation = reader.observe(address);
    } catch (BucketStoreException e) {
      return new Facts.BucketUnreadable(address, e);
    }
    // No server time: the clock check is about the operator's node, not this one. matchedBefore
    // false: the check has no status, so a difference is reported as a difference, not as drift.
    Facts.BucketRead read = new Facts.BucketRead(address, kind, observation.state(), null, clock.instant(),
        Facts.Lifecycle.NOT_READ, false, Facts.Writer.SELF);
    if (!Decider.needsLifecycle(desired, observation.state(), kind)) {
      return read;
    }
    try {
      return read.withLifecycle(new Facts.Lifecycle.Read(reader.hasLifecycleRules(address)));
    } catch (BucketStoreException e) {
      return read.withLifecycle(new Facts.Lifecycle.Unreadable(e));
    }
  }

  /**
   * The buckets an account's credentials would list, read with this environment's credentials;
   * {@link #refusal(Account)} must be null.
   */
  BucketLister.Listing list(Account account) throws BucketStoreException {
    requireAllowed(refusal(account));
    return reader.listBuckets(BucketAddress.account(endpoint(account), account.settings().region(),
        environmentCredentials));
  }

  /**
   * A version deletion's bucket, or its manifest's, as this environment reaches it: the account's
   * endpoint, region and expected owner, signed with this environment's credentials (never the
   * account's keys, so never root). {@link #refusal(Account)} must be null.
   */
  BucketAddress bucket(Account account, String bucket) {
    requireAllowed(refusal(account));
    return new BucketAddress(endpoint(account), account.settings().region(), bucket, environmentCredentials,
        account.settings().expectedBucketOwner());
  }

  /** One GetBucketVersioning of a bucket from {@link #bucket(Account, String)}. */
  BucketState versioning(BucketAddress bucket) throws BucketStoreException {
    requireReadable(bucket);
    return reader.observe(bucket).state();
  }

  /** One HeadObject of {@code version} (a read). */
  Presence headVersion(BucketAddress bucket, ObjectVersion version) throws BucketStoreException {
    requireReadable(bucket);
    return reader.headVersion(bucket, version);
  }

  /** One HeadObject of the current version of {@code key}: what a manifest is pinned to. */
  ObjectStamp stat(BucketAddress bucket, String key) throws BucketStoreException {
    requireReadable(bucket);
    return reader.stat(bucket, key);
  }

  /** One GetObject of exactly {@code stamp}; the caller closes the stream. */
  InputStream open(BucketAddress bucket, String key, ObjectStamp stamp) throws BucketStoreException {
    requireReadable(bucket);
    return reader.open(bucket, key, stamp);
  }

  /** Only at an allowed endpoint, and never signed by root: a bug otherwise, thrown before anything is sent. */
  private void requireReadable(BucketAddress bucket) {
    requireAllowed(allowed.refusal(bucket.endpoint(), defaultRegion));
    if (bucket.signer().root()) {
      throw new IllegalStateException("not sent: the check never signs with root keys");
    }
  }

  private URI endpoint(Account account) {
    return account.settings().endpoint();
  }

  private static void requireAllowed(String refusal) {
    if (refusal != null) {
      throw new IllegalStateException("not sent: " + refusal);
    }
  }
}
