package io.bucketprotection.operator.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ErrorMapperTest {

  private static S3Exception s3Error(int status, String code, String message) {
    return (S3Exception) S3Exception.builder()
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .build();
  }

  @ParameterizedTest(name = "{0} {1} mfa={3} -> {4}")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "404 | NoSuchBucket | The specified bucket does not exist | false | BUCKET_NOT_FOUND",
      "403 | AccessDenied | Access Denied | false | ACCESS_DENIED",
      "403 | AccessDenied | null | true | MFA_REJECTED",
      "403 | AccessDenied | Mfa Authentication must be used for this request | true | NOT_ROOT_CREDENTIALS",
      "400 | InvalidRequest | DevPay and Mfa are mutually exclusive authorization methods. | true | TEMPORARY_CREDENTIALS",
      "400 | InvalidArgument | Mfa header is invalid | true | MFA_REJECTED",
      "400 | InvalidArgument | Something else | false | REQUEST_REJECTED",
      "400 | InvalidBucketState | Mfa Authentication is not supported on a bucket with lifecycle configuration | true | LIFECYCLE_CONFLICT",
      "409 | InvalidBucketState | An Object Lock configuration is present on this bucket, so the versioning state cannot be changed. | false | OBJECT_LOCK_CONFLICT",
      "503 | SlowDown | Please reduce your request rate | false | THROTTLED",
      "301 | PermanentRedirect | The bucket you are attempting to access must be addressed using the specified endpoint | false | REGION_MISMATCH",
      "400 | AuthorizationHeaderMalformed | the region 'us-east-1' is wrong; expecting 'eu-west-1' | false | REGION_MISMATCH",
      "500 | InternalError | We encountered an internal error | false | S3_SERVER_ERROR",
      "400 | MalformedXML | bad | false | REQUEST_REJECTED",
      "404 | NoSuchKey | The specified key does not exist. | false | MANIFEST_NOT_FOUND",
      "404 | NoSuchVersion | The specified version does not exist. | false | MANIFEST_CHANGED",
      "412 | PreconditionFailed | At least one of the pre-conditions you specified did not hold | false | MANIFEST_CHANGED",
      "404 | NoSuchBucket | The specified bucket does not exist | true | BUCKET_NOT_FOUND",
      "403 | AccessDenied | null | false | ACCESS_DENIED"})
  void mapsServiceErrors(int status, String code, String message, boolean carriedMfa, S3ErrorKind expected) {
    BucketStoreException mapped = S3ErrorMapper.map(s3Error(status, code, message), carriedMfa);
    assertEquals(expected, mapped.kind());
    assertEquals(code, mapped.errorCode());
    assertEquals(status, mapped.httpStatus());
    assertTrue(mapped.getMessage().startsWith(code + " (HTTP " + status + ")"), mapped.getMessage());
  }

  /**
   * RadosGW refuses a DeleteObjects without a code, or with a wrong or spent one, with a bare 403:
   * no body, so no code (RgwDeleteObjectsTest). Whether the request carried a code decides.
   */
  @ParameterizedTest(name = "mfa={0} -> {1}")
  @CsvSource({"true, MFA_REJECTED", "false, ACCESS_DENIED"})
  void aBare403IsARefusedCodeOnlyWhenTheRequestCarriedOne(boolean carriedMfa, S3ErrorKind expected) {
    S3Exception bare = (S3Exception) S3Exception.builder().statusCode(403).build();
    BucketStoreException mapped = S3ErrorMapper.map(bare, carriedMfa);
    assertEquals(expected, mapped.kind());
    assertEquals("HTTP403", mapped.errorCode());
    assertEquals("HTTP 403", mapped.getMessage());
  }

  /**
   * A read pinned to a version that answers "not found" read an object that changed: the version is
   * gone (RadosGW says NoSuchKey, AWS NoSuchVersion). Unpinned, a missing key is just missing, and a
   * missing bucket stays one.
   */
  @ParameterizedTest(name = "{0} {1} pinned={2} -> {3}")
  @CsvSource({
      "404, NoSuchKey, true, MANIFEST_CHANGED",
      "404, NoSuchKey, false, MANIFEST_NOT_FOUND",
      "404, NoSuchVersion, true, MANIFEST_CHANGED",
      "404, NoSuchVersion, false, MANIFEST_CHANGED",
      "412, PreconditionFailed, true, MANIFEST_CHANGED",
      "412, PreconditionFailed, false, MANIFEST_CHANGED",
      "404, NoSuchBucket, true, BUCKET_NOT_FOUND",
      "403, AccessDenied, true, ACCESS_DENIED",
      "503, SlowDown, true, THROTTLED"})
  void aPinnedReadTellsAGoneVersionFromAMissingKey(int status, String code, boolean pinned, S3ErrorKind expected) {
    BucketStoreException mapped = S3ErrorMapper.mapPinnedRead(s3Error(status, code, null), pinned);
    assertEquals(expected, mapped.kind());
    assertEquals(code, mapped.errorCode());
    assertEquals(status, mapped.httpStatus());
  }

  @Test
  void connectionFailuresAreAnUnreachableEndpoint() {
    BucketStoreException mapped = S3ErrorMapper.map(SdkClientException.builder()
        .message("Unable to execute HTTP request: Connection refused")
        .cause(new ConnectException("Connection refused")).build(), false);
    assertEquals(S3ErrorKind.ENDPOINT_UNREACHABLE, mapped.kind());
  }

  @Test
  void missingCredentialsAreAnAccessProblem() {
    BucketStoreException mapped = S3ErrorMapper.map(SdkClientException.create(
        "Unable to load credentials from any of the providers in the chain"), false);
    assertEquals(S3ErrorKind.ACCESS_DENIED, mapped.kind());
  }

  @Test
  void serverTextIsBoundedAndCannotForgeLines() {
    String flood = "first line\nINFO forged log line\u001b[31m" + "x".repeat(10_000);
    BucketStoreException mapped = S3ErrorMapper.map(s3Error(400, "Weird\nCode", flood), false);
    String text = mapped.getMessage();
    assertTrue(text.length() <= 256 + 256 + " (HTTP 400): ".length(), "length " + text.length());
    assertTrue(text.chars().noneMatch(Character::isISOControl), text);
    assertTrue(text.startsWith("Weird Code (HTTP 400): first line INFO forged log line"), text);
  }
}
