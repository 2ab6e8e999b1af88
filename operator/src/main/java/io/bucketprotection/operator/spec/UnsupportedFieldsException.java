package io.bucketprotection.operator.spec;

/** The spec has fields this operator version does not know; the message names them. */
public class UnsupportedFieldsException extends InvalidSpecException {

  public UnsupportedFieldsException(String message) {
    super(message);
  }
}
