package io.bucketprotection.operator.aws;

/** Walks an exception's cause chain: the SDKs wrap the I/O failure that tells what happened. */
public final class Causes {

  private Causes() {
  }

  /** Whether {@code e} or any of its causes is a {@code type}. */
  public static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        return false;
      }
    }
    return false;
  }

  /** The innermost cause (or {@code e} itself). */
  public static Throwable root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
