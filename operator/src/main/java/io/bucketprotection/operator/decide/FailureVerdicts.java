package io.bucketprotection.operator.decide;

import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.secrets.SecretLookup;
import io.bucketprotection.operator.secrets.SecretProblem;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Turns failures into verdicts whose messages tell the user what to do next. */
public final class FailureVerdicts {

  private FailureVerdicts() {
  }

  /** The reason each kind of S3 failure becomes: its row in {@link Reason} says what happens next. */
  public static Reason reasonOf(S3ErrorKind kind) {
    return switch (kind) {
      case BUCKET_NOT_FOUND -> Reason.BucketNotFound;
      case ACCESS_DENIED -> Reason.AccessDenied;
      case MFA_REJECTED -> Reason.MfaRejected;
      case NOT_ROOT_CREDENTIALS -> Reason.NotRootCredentials;
      case TEMPORARY_CREDENTIALS -> Reason.TemporaryCredentials;
      case LIFECYCLE_CONFLICT -> Reason.LifecycleConflict;
      case OBJECT_LOCK_CONFLICT -> Reason.ObjectLockConflict;
      case REGION_MISMATCH -> Reason.RegionMismatch;
      case REQUEST_REJECTED -> Reason.RequestRejected;
      case ENDPOINT_UNREACHABLE -> Reason.EndpointUnreachable;
      case THROTTLED -> Reason.Throttled;
      case S3_SERVER_ERROR -> Reason.S3ServerError;
      case OBSERVER_ACCESS_DENIED -> Reason.ObserverAccessDenied;
      case LISTING_TOO_LARGE -> Reason.ListingTooLarge;
      case MANIFEST_CHANGED -> Reason.ManifestChanged;
      case MANIFEST_NOT_FOUND -> Reason.ManifestNotFound;
    };
  }

  /**
   * What to do about a listing past its bounds: the same words wherever a listing is used (a
   * policy's scan, an account check), so they are written once.
   */
  public static String listingTooLargeAdvice() {
    return "The listing was ended unused: the account holds more buckets than one listing may (100,000), or the"
        + " endpoint does not stop paginating or sends more than it was asked for. Split the buckets between"
        + " accounts, or have the endpoint's administrator check its ListBuckets.";
  }

  /**
   * Transient failures, which the S3 store may retry at once inside the same call: exactly the
   * kinds whose reason is rechecked with back-off.
   */
  public static boolean isTransient(S3ErrorKind kind) {
    return reasonOf(kind).recheck() == Reason.Recheck.BACKOFF;
  }

  /**
   * @param operation the S3 operation that failed
   * @param mfaSerial the serial of the code the request carried, or null
   * @param observed the bucket's state if it was observed before the failure, else null
   */
  public static Verdict fromS3(BucketStoreException e, String operation, BucketAddress address,
      String mfaSerial, BucketState observed) {
    String what = operation + " on " + address.describe() + " failed: " + e.getMessage() + ". ";
    String advice = switch (e.kind()) {
      case BUCKET_NOT_FOUND -> "Bucket " + address.bucket() + " does not exist at this endpoint. Create it, or"
          + " correct spec.bucket, spec.endpoint or spec.region.";
      case ACCESS_DENIED -> what + "The request was signed by " + address.signer().describe() + ". "
          + (address.signer().root() ? "Only the bucket owner's root user may send a request that carries an MFA"
              + " code: point the account's spec.credentials at its access keys."
              : "Grant that identity " + iamAction(operation) + " on the bucket (deploy/aws/observer-policy.json"
                  + " lists what the observer needs).");
      case MFA_REJECTED -> what
          + "The server refused the MFA code made for device " + mfaSerial + ". Usual causes: the seed in"
          + " the Secret is not this device's seed, spec.mfa.serialNumber is not the device's ARN or serial,"
          + " the operator's clock is off, or the credentials are not the bucket owner's root user."
          + " The operator tries once more at the device's next time step; a second refusal in a row"
          + " pauses the device (MfaDevicePaused) so it cannot be locked out.";
      case NOT_ROOT_CREDENTIALS -> what
          + "AWS lets only the account root user change MFA Delete (or versioning while it is on), and these"
          + " credentials are an IAM user's. Point spec.credentials at the root user's access keys.";
      case TEMPORARY_CREDENTIALS -> what
          + "AWS refuses MFA with temporary (STS) credentials. Point spec.credentials at the root user's"
          + " long-lived access keys (no session token).";
      case OBJECT_LOCK_CONFLICT -> what
          + "Buckets with Object Lock must stay versioning Enabled: set spec.versioning: Enabled.";
      case REGION_MISMATCH -> what + "The bucket is in another region: set spec.region to the bucket's region.";
      case REQUEST_REJECTED -> what + "The server does not accept this request; check that the endpoint supports"
          + " versioning (and MFA Delete, if requested).";
      case ENDPOINT_UNREACHABLE -> what
          + "Check spec.endpoint and the network path from the operator; retrying with back-off.";
      case THROTTLED -> what + "S3 is throttling requests; retrying with back-off.";
      case LIFECYCLE_CONFLICT -> lifecycleAdvice(address);
      case S3_SERVER_ERROR -> what + "Retrying with back-off.";
      case OBSERVER_ACCESS_DENIED -> what + "Let the operator's own identity assume the role: the role's trust"
          + " policy must name it (and the external id, if spec.observer.assumeRole.externalId is set), and the"
          + " operator's policy must allow sts:AssumeRole on the role (deploy/aws/). The operator never falls back"
          + " to the root keys.";
      case LISTING_TOO_LARGE -> what + listingTooLargeAdvice();
      case MANIFEST_CHANGED -> what + "The object changed since it was read: nothing more is done with it.";
      case MANIFEST_NOT_FOUND -> what + "The object does not exist: check its bucket and key.";
    };
    return Verdict.problem(reasonOf(e.kind()), advice, observed);
  }

  /** The IAM action an S3 operation needs, for messages. */
  static String iamAction(String operation) {
    return switch (operation) {
      case "GetBucketVersioning" -> "s3:GetBucketVersioning";
      case "PutBucketVersioning" -> "s3:PutBucketVersioning";
      case "GetBucketLifecycleConfiguration" -> "s3:GetLifecycleConfiguration";
      case "ListBuckets" -> "s3:ListAllMyBuckets";
      case "GetObject" -> "s3:GetObject";
      case "HeadObject" -> "s3:GetObjectVersion";
      case "DeleteObjects" -> "s3:DeleteObjectVersion";
      default -> "the permission for " + operation;
    };
  }

  static Verdict lifecycleConflict(BucketAddress address, BucketState observed) {
    return Verdict.problem(Reason.LifecycleConflict, lifecycleAdvice(address), observed);
  }

  private static String lifecycleAdvice(BucketAddress address) {
    return "Bucket " + address.bucket() + " has lifecycle rules, and S3 refuses MFA Delete on such buckets"
        + " (lifecycle rules can expire versions without any MFA code). Remove the lifecycle configuration, or"
        + " drop mfaDelete: Enabled. No MFA code was spent.";
  }

  /** The purpose {@link #fromSecret} is told for root keys. */
  public static final String ROOT_KEYS = "the root credentials";

  /** @param purpose what the secret was for: {@link #ROOT_KEYS}, "the observer credentials" or "the MFA seed" */
  public static Verdict fromSecret(SecretProblem e, String purpose, BucketState observed) {
    String what = e.getMessage() + " (needed for " + purpose + "). ";
    return switch (e.kind()) {
      case SECRET_NOT_FOUND -> Verdict.problem(Reason.SecretNotFound, what + "Create it (a Kubernetes Secret in"
          + " the resource's namespace, or the named Secrets Manager secret); a Kubernetes Secret is picked up"
          + " as soon as it appears.", observed);
      case NOT_LABELLED -> Verdict.problem(Reason.SecretNotLabelled, what + (ROOT_KEYS.equals(purpose)
          ? "Label it (kubectl label --overwrite secret ... " + SecretLookup.LABEL + "=" + SecretLookup.ROOT_KEYS
              + "): root keys are read only when a coded request goes, and never cached."
          : "Label it (kubectl label secret ... " + SecretLookup.LABEL + "=): the operator caches only labelled"
              + " Secrets, and picks it up as soon as it is."), observed);
      case KEY_MISSING -> Verdict.problem(Reason.InvalidSecret, what + "Add the key; a Kubernetes Secret is"
          + " picked up as soon as it changes.", observed);
      case INVALID -> Verdict.problem(Reason.InvalidSecret, what + "Correct the secret's content.", observed);
      case ACCESS_DENIED -> Verdict.problem(Reason.SecretAccessDenied, what
          + "See the IAM policy in deploy/aws/operator-iam-policy.json.", observed);
      case UNAVAILABLE -> Verdict.problem(Reason.SecretUnavailable, what, observed);
    };
  }

  /**
   * A secret problem as the resource's user may be told of it: for a ClusterS3Account's secrets
   * (an admin's), the account is named, never the Secret or Secrets Manager id.
   */
  static Verdict fromSecret(DesiredState desired, SecretProblem e, String purpose, BucketState observed) {
    Verdict verdict = fromSecret(e, purpose, observed);
    if (desired.account() == null || desired.account().kind() != AccountId.Kind.ClusterS3Account) {
      return verdict;
    }
    return Verdict.problem(verdict.reason(), purpose.substring(0, 1).toUpperCase() + purpose.substring(1) + " of "
        + desired.account() + " cannot be used (" + verdict.reason() + "). They belong to its admin: ask them to fix"
        + " it. Nothing that needs them is read or written until then.", observed);
  }

  /** A person's code the server refused: nothing pauses, the person sees each refusal. */
  static Verdict personCodeRejected(AccountSettings.MfaSettings mfa, BucketStoreException error, Outcome.Write write) {
    String changeId = write.grant() instanceof DeviceState.CodeGranted granted ? granted.changeId() : null;
    return Verdict.problem(Reason.MfaRejected, "The server refused the code supplied on " + mfa.codes() + " for"
        + " MFA device " + mfa.serialNumber() + " (" + error.getMessage() + "). Usual causes: a code typed late or"
        + " from another device, a wrong serialNumber, or credentials that are not the bucket owner's root user."
        + " RadosGW and AWS lock a device after repeated failures: check before typing the next code, "
        + (changeId != null ? mfa.codes().annotateCommand(changeId) : mfa.codes().annotateCommand()) + ".",
        write.observed()).withMfaChangeId(changeId);
  }

  static Verdict devicePaused(AccountSettings.MfaSettings mfa, Instant until, boolean namespaceOnly,
      BucketState observed) {
    if (namespaceOnly) {
      return Verdict.retryAt(Reason.MfaDevicePaused, "MFA device " + mfa.serialNumber() + " is paused for this"
          + " namespace: the server refused " + MfaCodeLedger.REFUSALS_BEFORE_PAUSE + " codes in a row sent for its"
          + " buckets, while other namespaces' codes were not refused. Usual causes: a bucket the account does not"
          + " own (check spec.bucket and the account's expectedBucketOwner), or a bucket policy that refuses the"
          + " write. Other namespaces keep using the device. Fix the cause or wait until "
          + until.truncatedTo(ChronoUnit.SECONDS) + ".", observed, until);
    }
    return Verdict.retryAt(Reason.MfaDevicePaused, "MFA device " + mfa.serialNumber() + " is paused: the"
        + " server refused " + MfaCodeLedger.REFUSALS_BEFORE_PAUSE + " of its codes in a row, and more"
        + " refusals could lock the device. Usual causes: a wrong seed in " + mfa.seedForMessages()
        + ", a wrong serialNumber, credentials that are not the bucket owner's root user, or another"
        + " operator or person using this device at the same time. Fix the cause (a changed seed lifts"
        + " the pause) or wait until " + until.truncatedTo(ChronoUnit.SECONDS) + ".", observed, until);
  }

  /** @param problem what is wrong with the seed, never the seed itself */
  static Verdict invalidSeed(AccountSettings.MfaSettings mfa, String problem, BucketState observed) {
    return Verdict.problem(Reason.InvalidTotpSeed, mfa.seedForMessages() + ": " + problem
        + ". Store the Base32 secret key shown when the virtual MFA device was created.", observed);
  }


  /** A weakening write without both keys: say what would be weakened and which key is missing. */
  static Verdict weakeningDenied(DesiredState desired, String change, BucketState observed) {
    java.util.List<String> missing = new java.util.ArrayList<>();
    if (!desired.guard().annotated()) {
      missing.add("the annotation " + io.bucketprotection.operator.api.BucketProtection.ALLOW_WEAKENING + ": " + desired.bucket() + " on this resource");
    }
    if (!desired.guard().accountAllows()) {
      missing.add("weakening: Allow on " + desired.account() + " (its owner's key)");
    }
    return Verdict.problem(Reason.WeakeningDenied, "Applying " + change + " would weaken the protection of bucket "
        + desired.bucket() + ", which takes two keys; missing: " + String.join(" and ", missing) + ". Nothing was"
        + " written and no MFA code was spent. If the weakening is wanted, add what is missing; otherwise restore"
        + " the spec.", observed);
  }
}
