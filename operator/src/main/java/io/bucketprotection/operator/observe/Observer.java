package io.bucketprotection.operator.observe;

import io.bucketprotection.operator.decide.Decider;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.decide.Facts;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.secrets.SecretProblem;
import java.net.URI;
import java.time.Clock;

/**
 * The observe step: gathers facts and decides nothing. It makes one GetBucketVersioning (whose
 * Date header gives the server's clock) and, only when the change would switch MFA Delete on,
 * reads the lifecycle configuration, both signed by the account's observer (the root keys only
 * when the account names no observer). It never reads the MFA seed, and reads the root keys only
 * for an account without an observer: act reads them, just in time, for a coded write.
 */
public final class Observer {

  private final BucketStore store;
  private final Signers signers;
  private final Clock clock;

  public Observer(BucketStore store, Signers signers, Clock clock) {
    this.store = store;
    this.signers = signers;
    this.clock = clock;
  }

  /** The endpoint a desired state's requests go to, resolved when it was bound; null is AWS. */
  public URI endpoint(DesiredState desired) {
    return desired.endpoint();
  }

  /**
   * @param matchedBefore the bucket was seen matching this generation of the spec before
   */
  public Facts observe(DesiredState desired, boolean matchedBefore) {
    URI endpoint = endpoint(desired);
    Signer reader;
    try {
      reader = signers.reader(desired.observer(), desired.credentials(), endpoint, desired.region(),
          desired.account());
    } catch (SecretProblem e) {
      return new Facts.CredentialsUnusable(e, Signers.purpose(desired.observer() == null
          ? Signer.Role.ROOT : Signer.Role.OBSERVER));
    }
    Facts.CredentialKind kind = !reader.root() ? Facts.CredentialKind.OBSERVER
        : ((Signer.Keys) reader).credentials().temporary() ? Facts.CredentialKind.TEMPORARY
        : Facts.CredentialKind.ACCESS_KEYS;
    // No region in the spec: the store finds the bucket's region (region null).
    BucketAddress address = new BucketAddress(endpoint, desired.region(), desired.bucket(), reader,
        desired.expectedBucketOwner());

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
}
