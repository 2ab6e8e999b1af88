package io.bucketprotection.operator.reconcile.observe;

import io.bucketprotection.operator.reconcile.decide.Decider;
import io.bucketprotection.operator.reconcile.decide.DesiredState;
import io.bucketprotection.operator.reconcile.decide.Facts;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.S3Credentials;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretResolver;
import io.bucketprotection.operator.secrets.SecretSource;
import java.net.URI;
import java.time.Clock;

/**
 * The observe step: gathers facts and decides nothing. It resolves the credentials (or the
 * problem with them), makes one GetBucketVersioning (whose Date header gives the server's clock)
 * and, only when the change would switch MFA Delete on, reads the lifecycle configuration. It
 * never reads the MFA seed: only act does, and only when a code is needed.
 */
public final class Observer {

  public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";

  private final BucketStore store;
  private final SecretResolver secrets;
  private final URI defaultEndpoint;
  private final Clock clock;

  /** @param defaultEndpoint S3 endpoint for specs that name none; null means AWS */
  public Observer(BucketStore store, SecretResolver secrets, URI defaultEndpoint, Clock clock) {
    this.store = store;
    this.secrets = secrets;
    this.defaultEndpoint = defaultEndpoint;
    this.clock = clock;
  }

  /**
   * @param matchedBefore the bucket was seen matching this generation of the spec before
   */
  public Facts observe(DesiredState desired, boolean matchedBefore) {
    BucketAddress address;
    Facts.CredentialKind kind;
    try {
      S3Credentials credentials = credentials(desired.credentials());
      kind = credentials == null ? Facts.CredentialKind.OPERATOR_IDENTITY
          : credentials.sessionToken() != null ? Facts.CredentialKind.TEMPORARY : Facts.CredentialKind.ACCESS_KEYS;
      URI endpoint = desired.endpoint() != null ? desired.endpoint() : defaultEndpoint;
      // No region in the spec: the store finds the bucket's region (region null).
      address = new BucketAddress(endpoint, desired.region(), desired.bucket(), credentials,
          desired.expectedBucketOwner());
    } catch (SecretProblem e) {
      return new Facts.CredentialsUnusable(e);
    }

    Observation observation;
    try {
      observation = store.observe(address);
    } catch (BucketStoreException e) {
      return new Facts.BucketUnreadable(address, e);
    }
    Facts.BucketRead read = new Facts.BucketRead(address, kind, observation.state(), observation.serverTime(),
        clock.instant(), Facts.Lifecycle.NOT_READ, matchedBefore, Facts.Writer.SELF);
    if (!Decider.needsLifecycle(desired, observation.state(), kind)) {
      return read;
    }
    try {
      return read.withLifecycle(new Facts.Lifecycle.Read(store.hasLifecycleRules(address)));
    } catch (BucketStoreException e) {
      return read.withLifecycle(new Facts.Lifecycle.Unreadable(e));
    }
  }

  private S3Credentials credentials(SecretSource source) throws SecretProblem {
    return credentials(secrets, source);
  }

  /** The keys {@code source} holds; null: the operator's own identity (only a ClusterS3Account lends it). */
  public static S3Credentials credentials(SecretResolver secrets, SecretSource source) throws SecretProblem {
    if (source == null) {
      return null;
    }
    return new S3Credentials(secrets.read(source, ACCESS_KEY_ID), secrets.read(source, SECRET_ACCESS_KEY),
        secrets.readOptional(source, SESSION_TOKEN));
  }
}
