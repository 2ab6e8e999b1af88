package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * What ClusterS3Account and S3Account share: where S3 is, whose keys and MFA device sign for it,
 * which buckets it may touch, and whether it may weaken them.
 */
public class AccountSpec extends UnknownFields {

  @JsonPropertyDescription("S3-compatible endpoint, http(s)://host[:port], at most with a trailing / (no user"
      + " info, path, query or fragment); path-style addressing. Left out: the operator's default (AWS, or"
      + " AWS_ENDPOINT_URL_S3). A ClusterS3Account may name any endpoint; an S3Account only the default or one on the"
      + " operator's BPO_ALLOWED_ENDPOINTS, else InvalidSpec. The device's MFA codes are only ever sent here.")
  @Pattern("^https?://[^\\s/?#@]+/?$")
  @Size(max = Limits.ENDPOINT)
  private String endpoint;

  @JsonPropertyDescription("Default AWS region of the account's buckets, such as eu-west-1; a resource's own"
      + " spec.region wins. Left out: the operator finds each bucket's region from S3.")
  @Size(max = Limits.REGION)
  private String region;

  @JsonPropertyDescription("12-digit AWS account id of the buckets' owner, sent as x-amz-expected-bucket-owner:"
      + " S3 refuses calls on a bucket anyone else owns.")
  @Pattern("^[0-9]{12}$")
  @Size(max = Limits.ACCOUNT_ID)
  private String expectedBucketOwner;

  @JsonPropertyDescription("The account root user's access keys, exactly one of secretRef or secretsManager. They"
      + " sign only what S3 demands of root: a PutBucketVersioning that carries an MFA code. They are read just"
      + " in time for that request and never cached. Left out: the account serves reads and writes that need no"
      + " code, and a change that needs one is MfaRequired. An S3Account may only use secretRef.")
  private AccountCredentials credentials;

  @JsonPropertyDescription("The ordinary identity that signs everything else: GetBucketVersioning, lifecycle reads,"
      + " region lookups, ListBuckets and versioning changes that need no code. Exactly one of operatorIdentity,"
      + " assumeRole (both ClusterS3Account only) or secretRef. Left out: the root keys sign those too, and the"
      + " account's RootUsedForReads condition says so.")
  private ObserverSpec observer;

  @JsonPropertyDescription("The MFA device whose codes the operator makes when a change needs one (switching MFA"
      + " Delete, or changing versioning while MFA Delete is on). Left out: such a change of a resource using this"
      + " account is MfaRequired.")
  private MfaSpec mfa;

  @JsonPropertyDescription("A pool of 1 to 8 MFA devices of the account's root user, each with the fields of spec.mfa"
      + " and its own serialNumber: one device gives one code per time step (120 changes an hour at 30 s), so a pool"
      + " of N gives N. A change goes to the device with the earliest free step; a paused device drops out and the"
      + " rest serve. A device without totpSeed gets a change only when every seeded device is paused (or there is"
      + " none), and then waits for a person's code. Not together with spec.mfa (InvalidSpec); serials must differ."
      + " Use devices dedicated to the operator, never one a person signs in with.")
  @Size(min = 1, max = Limits.MFA_DEVICES)
  private List<MfaSpec> mfaDevices;

  @JsonPropertyDescription("Bucket-name globs (1 to 100) this account may be used for: * is any run of characters"
      + " (dots included), ? one character; [\"*\"] means every bucket. A resource whose bucket matches none is"
      + " BucketNotAllowed.")
  @Required
  @Size(min = 1, max = Limits.BUCKET_GLOBS)
  private List<String> buckets;

  @JsonPropertyDescription("Deny (default): no resource using this account may suspend versioning or switch MFA"
      + " Delete off (WeakeningDenied). Allow: such a write is made when the resource also carries the annotation"
      + " bucketprotection.io/allow-weakening: <its bucket>.")
  @Default("Deny")
  @SchemaFrom(type = Weakening.class)
  @Size(max = Limits.ENUM)
  private String weakening;

  @JsonPropertyDescription("Deny (default): an ObjectVersionDeletion using this account is refused"
      + " (VersionDeletionDenied). Allow: a request waits until this account carries the annotation"
      + " approve-deletion.bucketprotection.io/<the request's uid>: <its namespace>/<its name>, which only whoever may"
      + " edit this account can add; then its listed versions are deleted permanently, with this account's root keys"
      + " and MFA devices.")
  @Default("Deny")
  @SchemaFrom(type = Weakening.class)
  @Size(max = Limits.ENUM)
  private String versionDeletion;

  public String getVersionDeletion() {
    return versionDeletion;
  }

  public void setVersionDeletion(String versionDeletion) {
    this.versionDeletion = versionDeletion;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getExpectedBucketOwner() {
    return expectedBucketOwner;
  }

  public void setExpectedBucketOwner(String expectedBucketOwner) {
    this.expectedBucketOwner = expectedBucketOwner;
  }

  public AccountCredentials getCredentials() {
    return credentials;
  }

  public void setCredentials(AccountCredentials credentials) {
    this.credentials = credentials;
  }

  public ObserverSpec getObserver() {
    return observer;
  }

  public void setObserver(ObserverSpec observer) {
    this.observer = observer;
  }

  public MfaSpec getMfa() {
    return mfa;
  }

  public void setMfa(MfaSpec mfa) {
    this.mfa = mfa;
  }

  public List<MfaSpec> getMfaDevices() {
    return mfaDevices;
  }

  public void setMfaDevices(List<MfaSpec> mfaDevices) {
    this.mfaDevices = mfaDevices;
  }

  public List<String> getBuckets() {
    return buckets;
  }

  public void setBuckets(List<String> buckets) {
    this.buckets = buckets;
  }

  public String getWeakening() {
    return weakening;
  }

  public void setWeakening(String weakening) {
    this.weakening = weakening;
  }

  /** Schema-only enum for {@code weakening}. */
  public enum Weakening { Deny, Allow }
}
