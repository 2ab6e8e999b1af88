package io.bucketprotection.operator.s3;

/**
 * A failed S3 call, already classified. The message is safe to show in a status or an event: it
 * is built from the error code, the HTTP status and the server's message, never from request
 * headers or credentials.
 */
public class BucketStoreException extends Exception {

  private final S3ErrorKind kind;
  private final String errorCode;
  private final int httpStatus;
  private final WriteReceipt receipt;

  public BucketStoreException(S3ErrorKind kind, String errorCode, int httpStatus, String message) {
    this(kind, errorCode, httpStatus, message, WriteReceipt.NONE);
  }

  /** @param receipt the server's request ids of the refused request (for the audit trail) */
  public BucketStoreException(S3ErrorKind kind, String errorCode, int httpStatus, String message,
      WriteReceipt receipt) {
    super(message);
    this.kind = kind;
    this.errorCode = errorCode;
    this.httpStatus = httpStatus;
    this.receipt = receipt;
  }

  /** The request ids of the refused request; both null when no response came back. */
  public WriteReceipt receipt() {
    return receipt;
  }

  public S3ErrorKind kind() {
    return kind;
  }

  /** The S3 error code (AccessDenied, NoSuchBucket...), or a short word for client-side failures. */
  public String errorCode() {
    return errorCode;
  }

  /** The HTTP status, or 0 when no response came back. */
  public int httpStatus() {
    return httpStatus;
  }
}
