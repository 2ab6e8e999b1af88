package io.bucketprotection.operator.secrets;

/** A referenced Secret or key cannot be used. The message names the Secret and key, never a value. */
public class SecretProblem extends Exception {

  /** What is wrong. */
  public enum Kind { SECRET_NOT_FOUND, KEY_MISSING }

  private final Kind kind;

  public SecretProblem(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
