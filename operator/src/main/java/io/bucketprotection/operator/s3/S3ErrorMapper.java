package io.bucketprotection.operator.s3;

import io.bucketprotection.operator.aws.Causes;
import io.bucketprotection.operator.aws.ServerText;
import java.io.IOException;
import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Maps AWS SDK exceptions to the operator's error kinds, in one place. */
public final class S3ErrorMapper {

  private S3ErrorMapper() {
  }

  /**
   * @param carriedMfa whether the failed request carried an x-amz-mfa header: a 403 then means
   *     the code (or the device, or the account) was refused
   */
  public static BucketStoreException map(SdkException e, boolean carriedMfa) {
    if (e instanceof RoleSessionException session) {
      return session.mapped();
    }
    if (e instanceof AwsServiceException service) {
      return mapServiceError(service, carriedMfa);
    }
    if (e instanceof SdkClientException client) {
      return mapClientError(client);
    }
    return new BucketStoreException(S3ErrorKind.S3_SERVER_ERROR, e.getClass().getSimpleName(), 0,
        "Unexpected AWS SDK error " + e.getClass().getSimpleName());
  }

  /**
   * A GetObject of a stamped object. Pinned to a version, an object not found is a changed one:
   * that version is gone for good and no later read can give it back. AWS says NoSuchVersion;
   * RadosGW 16 says NoSuchKey (RgwDeleteObjectsTest), hence the rule rather than a code.
   *
   * @param versionPinned the request named a version id
   */
  public static BucketStoreException mapPinnedRead(SdkException e, boolean versionPinned) {
    BucketStoreException mapped = map(e, false);
    if (!versionPinned || mapped.kind() != S3ErrorKind.MANIFEST_NOT_FOUND) {
      return mapped;
    }
    return new BucketStoreException(S3ErrorKind.MANIFEST_CHANGED, mapped.errorCode(), mapped.httpStatus(),
        mapped.getMessage() + " (the version read is gone)", mapped.receipt());
  }

  private static BucketStoreException mapServiceError(AwsServiceException e, boolean carriedMfa) {
    int status = e.statusCode();
    // Both come from the server: bounded and stripped before they reach a status, event or log.
    String code = ServerText.clean(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode());
    String serverMessage = ServerText.clean(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage());
    String text = (code == null ? "HTTP " + status : code + " (HTTP " + status + ")")
        + (serverMessage == null || serverMessage.isBlank() ? "" : ": " + serverMessage);
    String lowerMessage = serverMessage == null ? "" : serverMessage.toLowerCase(Locale.ROOT);
    String safeCode = code == null ? "HTTP" + status : code;

    S3ErrorKind kind;
    if ("NoSuchBucket".equals(code) || (status == 404 && code == null)) {
      kind = S3ErrorKind.BUCKET_NOT_FOUND;
    } else if ("NoSuchKey".equals(code)) {
      kind = S3ErrorKind.MANIFEST_NOT_FOUND;
    } else if ("NoSuchVersion".equals(code) || "PreconditionFailed".equals(code) || status == 412) {
      kind = S3ErrorKind.MANIFEST_CHANGED;
    } else if (isThrottling(code, status)) {
      kind = S3ErrorKind.THROTTLED;
    } else if ("PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)
        || "IllegalLocationConstraintException".equals(code) || status == 301) {
      kind = S3ErrorKind.REGION_MISMATCH;
    } else if ("InvalidBucketState".equals(code) || status == 409) {
      if (lowerMessage.contains("object lock")) {
        kind = S3ErrorKind.OBJECT_LOCK_CONFLICT;
      } else if (lowerMessage.contains("lifecycle")) {
        kind = S3ErrorKind.LIFECYCLE_CONFLICT;
      } else {
        kind = S3ErrorKind.REQUEST_REJECTED;
      }
    } else if (lowerMessage.contains("devpay and mfa are mutually exclusive")) {
      kind = S3ErrorKind.TEMPORARY_CREDENTIALS;
    } else if ((status == 403 || "AccessDenied".equals(code)) && lowerMessage.contains("mfa authentication must be used")) {
      kind = S3ErrorKind.NOT_ROOT_CREDENTIALS;
    } else if (status == 403 || "AccessDenied".equals(code)) {
      kind = carriedMfa ? S3ErrorKind.MFA_REJECTED : S3ErrorKind.ACCESS_DENIED;
    } else if (carriedMfa && "InvalidArgument".equals(code) && lowerMessage.contains("mfa")) {
      kind = S3ErrorKind.MFA_REJECTED;
    } else if (status >= 500) {
      kind = S3ErrorKind.S3_SERVER_ERROR;
    } else {
      kind = S3ErrorKind.REQUEST_REJECTED;
    }
    return new BucketStoreException(kind, safeCode, status, text,
        new WriteReceipt(ServerText.clean(e.requestId()), ServerText.clean(e.extendedRequestId())));
  }

  private static boolean isThrottling(String code, int status) {
    return status == 429 || status == 503
        || "SlowDown".equals(code) || "Throttling".equals(code) || "ThrottlingException".equals(code)
        || "TooManyRequests".equals(code) || "RequestLimitExceeded".equals(code);
  }

  private static BucketStoreException mapClientError(SdkClientException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof RoleSessionException session) {
        return session.mapped();
      }
    }
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.contains("Unable to load credentials")) {
      return new BucketStoreException(S3ErrorKind.ACCESS_DENIED, "NoCredentials", 0,
          "The operator has no AWS credentials for this bucket");
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
        || Causes.has(e, IOException.class)) {
      Throwable root = Causes.root(e);
      return new BucketStoreException(S3ErrorKind.ENDPOINT_UNREACHABLE, root.getClass().getSimpleName(), 0,
          "No answer from the S3 endpoint (" + root.getClass().getSimpleName() + ")");
    }
    return new BucketStoreException(S3ErrorKind.S3_SERVER_ERROR, e.getClass().getSimpleName(), 0,
        "The AWS SDK failed before a response arrived (" + e.getClass().getSimpleName() + ")");
  }
}
