package io.bucketprotection.operator.spec;

import io.bucketprotection.operator.aws.ServerText;

/**
 * The spec breaks a rule; the message lists every problem found. It quotes the user's values, so
 * it is cleaned on the way in: one bounded line, whatever the values held.
 */
public class InvalidSpecException extends Exception {

  /** Room for every problem of a spec whose values are within their limits. */
  public static final int MAX_MESSAGE = 2_000;

  public InvalidSpecException(String message) {
    super(ServerText.clean(message, MAX_MESSAGE));
  }
}
