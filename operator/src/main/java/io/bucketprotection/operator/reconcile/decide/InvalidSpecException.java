package io.bucketprotection.operator.reconcile.decide;

/** The spec breaks a rule; the message lists every problem found. */
public class InvalidSpecException extends Exception {

  public InvalidSpecException(String message) {
    super(message);
  }
}
