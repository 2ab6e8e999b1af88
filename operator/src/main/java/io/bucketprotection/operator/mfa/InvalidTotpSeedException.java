package io.bucketprotection.operator.mfa;

/** The seed cannot produce codes. The message describes the problem, never the seed. */
public class InvalidTotpSeedException extends Exception {

  public InvalidTotpSeedException(String message) {
    super(message);
  }
}
