package io.bucketprotection.operator.spec;

import io.bucketprotection.operator.secrets.SecretSource;
import java.net.URI;
import java.util.List;

/**
 * Where S3 is and who signs for it, from an account object or from a resource's inline fields,
 * in the operator's own types.
 *
 * @param endpoint where requests go, resolved by the validator: the object's endpoint, else the operator's
 *     default; null only for AWS's own (the S3 client's, no override)
 * @param region null to find each bucket's region
 * @param credentials the root keys, which sign only coded requests; null when the account has none
 * @param expectedBucketOwner null when not checked
 * @param mfa the first of {@code mfaDevices}; null when no MFA device is named
 * @param observer who signs everything else; null: the root keys do (RootUsedForReads)
 * @param mfaDevices the account's pool of devices (spec.mfaDevices, or spec.mfa alone), in spec order: a
 *     change that needs a code takes one of them
 */
public record AccountSettings(URI endpoint, String region, SecretSource credentials, String expectedBucketOwner,
    MfaSettings mfa, ObserverIdentity observer, List<MfaSettings> mfaDevices) {

  public AccountSettings {
    mfaDevices = mfaDevices == null ? (mfa == null ? List.of() : List.of(mfa)) : List.copyOf(mfaDevices);
    mfa = mfaDevices.isEmpty() ? null : mfaDevices.get(0);
  }

  /** One device at most (spec.mfa, or a resource's inline fields). */
  public AccountSettings(URI endpoint, String region, SecretSource credentials, String expectedBucketOwner,
      MfaSettings mfa, ObserverIdentity observer) {
    this(endpoint, region, credentials, expectedBucketOwner, mfa, observer, null);
  }

  /** Without an observer: the root keys sign reads too (inline credentials, tests). */
  public AccountSettings(URI endpoint, String region, SecretSource credentials, String expectedBucketOwner,
      MfaSettings mfa) {
    this(endpoint, region, credentials, expectedBucketOwner, mfa, null);
  }

  /**
   * An MFA device and where its codes come from: a stored seed, or a person (no seed).
   *
   * @param seed null when nobody stores the seed: a person supplies each code on {@code codes}
   * @param holder the object whose spec names the device ("ClusterS3Account default",
   *     "BucketProtection team/logs"), for messages
   * @param codes the object a person annotates with codes; null when there is a seed
   */
  public record MfaSettings(String serialNumber, SecretSource seed, int periodSeconds, int lookAheadSteps,
      String holder, CodeHolder codes) {

    /** What every other user of the device must also use: where the seed is kept, or {@link #PERSON}. */
    public static final String PERSON = "codes a person supplies";

    /**
     * Where the seed is kept, as a resource's user may be told: an admin's (a ClusterS3Account's)
     * Secret or Secrets Manager id is never named to a tenant, only the account.
     */
    public String seedForMessages() {
      if (holder != null && holder.startsWith(AccountId.Kind.ClusterS3Account + " ")) {
        return "the seed of " + holder;
      }
      return seed == null ? PERSON : seed.describe();
    }

    /** Codes typed by a person, annotated on {@link #codes}. */
    public boolean personCodes() {
      return seed == null;
    }

    /**
     * How users of one device are told apart: by the seed's place, never its value. Codes a
     * person supplies come from the object they are annotated on: an account, or, for inline
     * devices, the namespace (its resources share them, as they would share a seed Secret). So a
     * namespace naming an admin's device without a seed gets DeviceConflict, as with a seed.
     */
    public Object codeSource() {
      if (seed != null) {
        return seed;
      }
      return PERSON + " on " + (codes == null ? "?" : "BucketProtection".equals(codes.kind())
          ? "namespace " + codes.namespace() : codes.key());
    }
  }
}
