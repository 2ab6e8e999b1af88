package io.bucketprotection.operator.act;

import io.bucketprotection.operator.spec.CodeHolder;

/** Removes a person's code from the object it was annotated on, once it is used or refused. */
public interface CodeAnnotations {

  /**
   * Removes {@link CodeHolder#ANNOTATION} from {@code holder} only if it still holds {@code code}
   * (a person may have typed the next one meanwhile). Never throws: a failed removal leaves a code
   * that the operator will not use again (it remembers what it sent).
   */
  void remove(CodeHolder holder, String code);
}
