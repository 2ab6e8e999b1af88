package io.bucketprotection.operator.s3;

import java.util.Optional;

/** The STS calls the operator makes about identities; like {@link BucketStore}, in its own types. */
public interface IdentityChecks {

  /**
   * Whether the operator can sign as {@code observer}: for a role, one AssumeRole (the session is
   * then cached for the reads); for the other kinds, nothing to ask.
   */
  void checkObserver(Signer observer) throws BucketStoreException;

  /**
   * sts:GetCallerIdentity signed by {@code address}'s signer, at the address's endpoint (or AWS's
   * regional STS): the caller's ARN, or empty when the endpoint has no such call (RadosGW 16).
   */
  Optional<String> callerArn(BucketAddress address) throws BucketStoreException;

  /** For stores that check nothing (tests' fakes): every observer can be used, no endpoint can prove owners. */
  IdentityChecks NONE = new IdentityChecks() {
    @Override
    public void checkObserver(Signer observer) {
    }

    @Override
    public Optional<String> callerArn(BucketAddress address) {
      return Optional.empty();
    }
  };
}
