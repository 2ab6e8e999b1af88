package io.bucketprotection.operator.spec;

import io.bucketprotection.operator.secrets.SecretSource;
import io.bucketprotection.operator.s3.VersioningStatus;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What one bucket must look like and how to reach it: a validated spec bound to its account
 * (by tenancy.Tenancy), in the operator's own types.
 *
 * @param mfaDelete the wanted MFA Delete setting, or null when it is not managed
 * @param endpoint where requests go, resolved at validation: the account's (or inline) endpoint, else the
 *     operator's default; null only for AWS's own (the S3 client's, no override)
 * @param region the spec's region, else the account's, else null (the operator finds it)
 * @param credentials where the root keys are (they sign coded requests only), or null when there are none
 * @param expectedBucketOwner the owner's account id, or null
 * @param mfa the MFA device, or null when none is named
 * @param account the account used, or null for a resource with inline credentials
 * @param guard the keys that let a write weaken the bucket
 * @param unsupportedFields spec fields this operator version does not know: observed, never written
 * @param observer who signs reads and writes that need no code; null: the root keys do
 * @param soleNamespace the device's users are one namespace (inline, an S3Account, or a
 *     ClusterS3Account that admits one namespace by name): its refused codes pause the device
 * @param mfaDevices every device a change may take a code from (the account's pool), {@code mfa} first;
 *     once the act step has chosen one, {@link #withDevice} narrows {@code mfa} to it
 */
public record DesiredState(
    String bucket,
    VersioningStatus versioning,
    Boolean mfaDelete,
    boolean observeOnly,
    URI endpoint,
    String region,
    SecretSource credentials,
    String expectedBucketOwner,
    AccountSettings.MfaSettings mfa,
    Duration checkInterval,
    AccountId account,
    WeakeningGuard guard,
    List<String> unsupportedFields,
    ObserverIdentity observer,
    boolean soleNamespace,
    List<AccountSettings.MfaSettings> mfaDevices) {

  public DesiredState {
    unsupportedFields = List.copyOf(unsupportedFields);
    mfaDevices = mfaDevices == null ? (mfa == null ? List.of() : List.of(mfa)) : List.copyOf(mfaDevices);
  }

  /** With one device at most (inline fields, tests). */
  public DesiredState(String bucket, VersioningStatus versioning, Boolean mfaDelete, boolean observeOnly, URI endpoint,
      String region, SecretSource credentials, String expectedBucketOwner, AccountSettings.MfaSettings mfa,
      Duration checkInterval, AccountId account, WeakeningGuard guard, List<String> unsupportedFields,
      ObserverIdentity observer, boolean soleNamespace) {
    this(bucket, versioning, mfaDelete, observeOnly, endpoint, region, credentials, expectedBucketOwner, mfa,
        checkInterval, account, guard, unsupportedFields, observer, soleNamespace, null);
  }

  /** The same, with the code taken from {@code device}, one of {@link #mfaDevices}. */
  public DesiredState withDevice(AccountSettings.MfaSettings device) {
    return new DesiredState(bucket, versioning, mfaDelete, observeOnly, endpoint, region, credentials,
        expectedBucketOwner, device, checkInterval, account, guard, unsupportedFields, observer, soleNamespace,
        mfaDevices);
  }

  /** The account names more than one device. */
  public boolean pooled() {
    return mfaDevices.size() > 1;
  }

  public DesiredState(String bucket, VersioningStatus versioning, Boolean mfaDelete, boolean observeOnly, URI endpoint,
      String region, SecretSource credentials, String expectedBucketOwner, AccountSettings.MfaSettings mfa,
      Duration checkInterval, AccountId account, WeakeningGuard guard, List<String> unsupportedFields,
      ObserverIdentity observer) {
    this(bucket, versioning, mfaDelete, observeOnly, endpoint, region, credentials, expectedBucketOwner, mfa,
        checkInterval, account, guard, unsupportedFields, observer, account == null
            || account.kind() == AccountId.Kind.S3Account);
  }

  /** Without an observer: the root keys sign reads too. */
  public DesiredState(String bucket, VersioningStatus versioning, Boolean mfaDelete, boolean observeOnly, URI endpoint,
      String region, SecretSource credentials, String expectedBucketOwner, AccountSettings.MfaSettings mfa,
      Duration checkInterval, AccountId account, WeakeningGuard guard, List<String> unsupportedFields) {
    this(bucket, versioning, mfaDelete, observeOnly, endpoint, region, credentials, expectedBucketOwner, mfa,
        checkInterval, account, guard, unsupportedFields, null);
  }

  /** Whether the operator may write to the bucket for this resource at all (Enforce, fully understood). */
  public boolean writes() {
    return !observeOnly && unsupportedFields.isEmpty();
  }

  /**
   * The two keys a weakening write needs.
   *
   * @param annotated the resource carries bucketprotection.io/allow-weakening with its bucket's name
   * @param accountAllows the account says weakening: Allow; always true without an account (the
   *     namespace owns the inline credentials, the annotation guards against accidents)
   */
  public record WeakeningGuard(boolean annotated, boolean accountAllows) {

    public static final WeakeningGuard NONE = new WeakeningGuard(false, false);

    public boolean allows() {
      return annotated && accountAllows;
    }
  }
}
