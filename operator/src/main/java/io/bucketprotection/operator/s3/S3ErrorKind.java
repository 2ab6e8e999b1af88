package io.bucketprotection.operator.s3;

/**
 * Every way an S3 call can fail, as the operator needs to tell them apart. Each kind has the
 * name of the Ready reason it becomes (REGION_MISMATCH is RegionMismatch); whether a kind is
 * retried, and when, is stated once, in that reason's row of the reason table.
 */
public enum S3ErrorKind {
  BUCKET_NOT_FOUND,
  ACCESS_DENIED,
  /** A request that carried an MFA code was refused (403, or a malformed MFA header). */
  MFA_REJECTED,
  /** AWS: the credentials are an IAM user's; only the root user can use MFA on S3 ("Mfa Authentication must be used"). */
  NOT_ROOT_CREDENTIALS,
  /** AWS: temporary (STS) credentials cannot carry MFA ("DevPay and Mfa are mutually exclusive"). */
  TEMPORARY_CREDENTIALS,
  LIFECYCLE_CONFLICT,
  OBJECT_LOCK_CONFLICT,
  /** The bucket is in another region than the one the request was signed for. */
  REGION_MISMATCH,
  /** The server refused the request as malformed or unsupported. */
  REQUEST_REJECTED,
  ENDPOINT_UNREACHABLE,
  THROTTLED,
  /** 5xx or anything unexpected from the server. */
  S3_SERVER_ERROR,
  /** STS refused the operator a session in the account's observer role (AssumeRole). */
  OBSERVER_ACCESS_DENIED,
  /**
   * A ListBuckets run passed the bounds of one listing (more buckets, pages or bytes than a listing
   * may hold): the server lists too much, or never stops.
   */
  LISTING_TOO_LARGE,
  /** An object read by version or ETag is no longer that object (412, or its version is gone): a manifest changed. */
  MANIFEST_CHANGED,
  /** The object does not exist (NoSuchKey): a manifest that is not there. */
  MANIFEST_NOT_FOUND
}
