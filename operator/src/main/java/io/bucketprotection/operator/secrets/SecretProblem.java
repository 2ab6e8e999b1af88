package io.bucketprotection.operator.secrets;

/** A referenced secret or key cannot be used. The message names the secret and key, never a value. */
public class SecretProblem extends Exception {

  /** What is wrong. */
  public enum Kind {
    SECRET_NOT_FOUND,
    /** The secret exists but lacks the key, or its value is not what is expected (JSON, text). */
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
