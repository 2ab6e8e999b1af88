package io.bucketprotection.operator.api;

/**
 * The longest value each field may hold, stated once: the CRD schemas carry them as maxLength and
 * maxItems (through {@code @Size} on the fields, and the CRD finisher for list items and the
 * Kubernetes types the schemas embed), and the operator's validators check the same limits before
 * any pattern, so an old CRD or an API server that did not enforce them costs nothing but an
 * InvalidSpec condition.
 */
public final class Limits {

  /** S3 bucket names. */
  public static final int BUCKET = 63;
  /** Enumerated values (Enabled, Observe, ClusterS3Account, Allow ...). */
  public static final int ENUM = 16;
  public static final int REGION = 32;
  public static final int ENDPOINT = 300;
  /** A 12-digit AWS account id. */
  public static final int ACCOUNT_ID = 12;
  /** Durations such as 1h30m. */
  public static final int DURATION = 32;
  /** Kubernetes object names and Secret data keys. */
  public static final int NAME = 253;
  /** "S3Account NAMESPACE/NAME": a kind, a namespace and a name. */
  public static final int ACCOUNT_LABEL = 340;
  /** An MFA device's serial or ARN (IAM allows 256). */
  public static final int SERIAL_NUMBER = 256;
  /** A Secrets Manager secret name or ARN (the API allows 2048). */
  public static final int SECRET_ID = 2048;
  /** An IAM role ARN (IAM allows 2048). */
  public static final int ROLE_ARN = 2048;
  /** An sts:ExternalId (STS allows 2 to 1224 characters). */
  public static final int EXTERNAL_ID = 1224;
  /** A field name inside a JSON secret string. */
  public static final int JSON_KEY = 256;
  public static final int BUCKET_GLOB = 255;
  public static final int BUCKET_GLOBS = 100;
  /** MFA devices in an account's pool: AWS lets the root user register up to 8. */
  public static final int MFA_DEVICES = 8;
  /** Namespace names. */
  public static final int NAMESPACE = 63;
  public static final int NAMESPACES = 256;
  /** Label keys (a 253-character prefix, a slash and a 63-character name) and values. */
  public static final int LABEL_KEY = 317;
  public static final int LABEL_VALUE = 63;
  public static final int LABEL_ENTRIES = 64;
  /** metav1.Condition, as Kubernetes documents it. */
  public static final int CONDITION_TYPE = 316;
  public static final int CONDITION_REASON = 1024;
  public static final int CONDITION_MESSAGE = 32768;
  public static final int CONDITIONS = 8;
  /** Versions one ObjectVersionDeletion lists inline (a manifest lists more). */
  public static final int DELETION_VERSIONS = 1000;
  /** Lines of a deletion manifest. */
  public static final int MANIFEST_LINES = 1_000_000;
  /** An S3 object key (S3 allows 1,024 bytes of UTF-8). */
  public static final int OBJECT_KEY = 1024;
  /** An S3 version id (AWS's are 32 characters; other servers' may be longer). */
  public static final int VERSION_ID = 1024;
  /** A deletion's reason. */
  public static final int REASON = 1024;
  /** Failures a deletion's status lists. */
  public static final int FAILURES_LISTED = 20;
  /** RFC 3339 times. */
  public static final int TIMESTAMP = 64;

  private Limits() {
  }
}
