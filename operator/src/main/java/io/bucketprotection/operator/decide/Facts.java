package io.bucketprotection.operator.decide;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.secrets.SecretProblem;
import java.time.Instant;

/**
 * What observe found, as plain data; the {@link Decider} is the only reader. Observe stops at
 * the first thing it cannot get, so each variant says how far it came.
 */
public sealed interface Facts {

  /**
   * The credentials that would sign the read cannot be used: nothing was asked of S3.
   *
   * @param purpose whose they are, as {@link FailureVerdicts#fromSecret} words it
   */
  record CredentialsUnusable(SecretProblem problem, String purpose) implements Facts {
    public CredentialsUnusable(SecretProblem problem) {
      this(problem, "the S3 credentials");
    }
  }

  /** GetBucketVersioning failed. */
  record BucketUnreadable(BucketAddress address, BucketStoreException error) implements Facts {
  }

  /**
   * The bucket was read.
   *
   * @param credentials what kind of credentials the requests were signed with
   * @param serverTime the server's clock from the response's Date header, or null when absent
   * @param observedAt the operator's clock when the response arrived
   * @param lifecycle read only when the change would switch MFA Delete on ({@link Decider#needsLifecycle})
   * @param matchedBefore the bucket was seen matching this generation of the spec before: a
   *     difference now is drift
   * @param writer whether this resource may write the bucket (several may name it, one writes)
   */
  record BucketRead(BucketAddress address, CredentialKind credentials, BucketState state, Instant serverTime,
      Instant observedAt, Lifecycle lifecycle, boolean matchedBefore, Writer writer) implements Facts {

    public BucketRead withLifecycle(Lifecycle read) {
      return new BucketRead(address, credentials, state, serverTime, observedAt, read, matchedBefore, writer);
    }

    public BucketRead withWriter(Writer decided) {
      return new BucketRead(address, credentials, state, serverTime, observedAt, lifecycle, matchedBefore, decided);
    }
  }

  /**
   * Who writes a bucket that several resources name.
   *
   * @param self this resource may write it
   * @param owner the resource that writes it instead, as this resource may be told of it (named
   *     only when it is in the same namespace), or null
   */
  record Writer(boolean self, String owner) {

    public static final Writer SELF = new Writer(true, null);

    public static Writer other(String owner) {
      return new Writer(false, owner);
    }
  }

  /** What observe learnt of the root keys that would sign a coded write. */
  enum CredentialKind {
    /** The observer signed the read: the root keys are read (and checked) only by act, just in time. */
    OBSERVER,
    /** The root keys signed the read (the account has no observer): long-lived access keys. */
    ACCESS_KEYS,
    /** The root keys signed the read and hold a session token (STS): AWS refuses MFA with them. */
    TEMPORARY
  }

  /** The bucket's lifecycle configuration, as far as it was read. */
  sealed interface Lifecycle {
    /** Not read: the change does not switch MFA Delete on. */
    record NotRead() implements Lifecycle {
    }

    record Read(boolean hasRules) implements Lifecycle {
    }

    record Unreadable(BucketStoreException error) implements Lifecycle {
    }

    Lifecycle NOT_READ = new NotRead();
  }
}
