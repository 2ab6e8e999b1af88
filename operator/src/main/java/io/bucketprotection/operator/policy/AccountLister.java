package io.bucketprotection.operator.policy;

import io.bucketprotection.operator.config.Durations;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.reconcile.EndpointSlots;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.spec.Account;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The listing step of a policy: its account's listing, shared with every policy on the account
 * ({@link AccountListings}), made now only when due, and only with a slot of its endpoint (else the
 * policy is told to come back a moment later, holding no thread). A failure is a verdict whose
 * message says what to do.
 */
final class AccountLister {

  private final Signers signers;
  private final BucketLister lister;
  private final EndpointSlots endpointSlots;
  private final AccountListings listings = new AccountListings();

  AccountLister(Signers signers, BucketLister lister, EndpointSlots endpointSlots) {
    this.signers = signers;
    this.lister = lister;
    this.endpointSlots = endpointSlots;
  }

  /** The account's listing for the policy {@code uid}, or busy. */
  AccountListings.Answer listing(String uid, Account account, Duration scanInterval, Instant now) {
    return listings.listing(uid, AccountListings.Key.of(account), scanInterval, now, () -> {
      Optional<EndpointSlots.Slot> slot = endpointSlots.tryTake(account.settings().endpoint());
      if (slot.isEmpty()) {
        return Optional.empty();
      }
      try (EndpointSlots.Slot held = slot.get()) {
        return Optional.of(list(account));
      }
    });
  }

  /** The policy is gone: its account's listing no longer waits for it. */
  void forget(String uid) {
    listings.forget(uid);
  }

  /** One ListBuckets run (all pages) of the account. */
  private AccountListings.Attempt list(Account account) {
    BucketAddress address;
    URI endpoint = account.settings().endpoint();
    try {
      // The observer lists (the root keys only for an account that names none).
      address = BucketAddress.account(endpoint, account.settings().region(), signers.reader(
          account.settings().observer(), account.settings().credentials(), endpoint, account.settings().region(),
          account.id()));
    } catch (SecretProblem e) {
      Verdict failure = FailureVerdicts.fromSecret(e, Signers.purpose(account.settings().observer() == null
          ? Signer.Role.ROOT : Signer.Role.OBSERVER), null);
      return AccountListings.Attempt.failed(failure);
    }
    try {
      return AccountListings.Attempt.listed(lister.listBuckets(address));
    } catch (BucketStoreException e) {
      Verdict mapped = FailureVerdicts.fromS3(e, "ListBuckets", address, null, null);
      String advice = e.kind() == S3ErrorKind.LISTING_TOO_LARGE ? FailureVerdicts.listingTooLargeAdvice()
          : address.signer().describe() + " needs s3:ListAllMyBuckets.";
      Verdict failure = Verdict.problem(mapped.reason(), "ListBuckets on " + address.describe() + " failed: "
          + e.getMessage() + ". " + advice + " The children are unchanged; the account is listed again in "
          + Durations.format(AccountListings.RETRY) + ".", null);
      return AccountListings.Attempt.failed(failure);
    }
  }
}
