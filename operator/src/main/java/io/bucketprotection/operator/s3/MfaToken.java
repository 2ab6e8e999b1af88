package io.bucketprotection.operator.s3;

/** The value of one x-amz-mfa header. {@link #toString()} hides the code. */
public record MfaToken(String serialNumber, String code) {

  /** "serial code", exactly one space, as S3 expects it. */
  public String headerValue() {
    return serialNumber + " " + code;
  }

  @Override
  public String toString() {
    return "MfaToken[serialNumber=" + serialNumber + ", code=<redacted>]";
  }
}
