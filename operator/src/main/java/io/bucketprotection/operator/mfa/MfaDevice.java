package io.bucketprotection.operator.mfa;

/**
 * Identifies one MFA device: codes are counted per device, so two buckets whose spec names the
 * same serial at the same endpoint share one budget of one code per time step.
 *
 * @param endpoint the S3 endpoint, or "aws" for AWS itself
 */
public record MfaDevice(String endpoint, String serialNumber) {

  @Override
  public String toString() {
    return serialNumber + " at " + endpoint;
  }
}
