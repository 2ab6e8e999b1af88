package io.bucketprotection.operator.secrets;

/** A referenced secret or key cannot be used. The message names the secret and key, never a value. */
public class SecretProblem extends Exception {

  /** What is wrong. */
  public enum Kind {
    SECRET_NOT_FOUND,
    /** The Kubernetes Secret exists but lacks the label that lets the operator cache it. */
    NOT_LABELLED,
    /** The secret exists but has no such key. */
    KEY_MISSING,
    /** The secret's value is not what is expected (JSON, text, base64). */
    INVALID,
    /** The operator's identity may not read or decrypt the secret. */
    ACCESS_DENIED,
    /** Secrets Manager could not be reached or failed: try again later. */
    UNAVAILABLE
  }

  private final Kind kind;

  public SecretProblem(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
