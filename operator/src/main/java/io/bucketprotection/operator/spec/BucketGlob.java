package io.bucketprotection.operator.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A bucket-name glob: {@code *} matches any run of characters (dots included), {@code ?} exactly
 * one, and the glob is anchored at both ends. Matching uses no regular expression and no
 * backtracking: the literal runs between stars are found left to right, each at its leftmost
 * place (which is always right for globs), with a bit-parallel (Shift-And) scan, so a name is
 * read once for the whole glob: O(name + glob).
 */
public final class BucketGlob {

  /** Longest glob accepted; bucket names are at most 63 characters. */
  public static final int MAX_LENGTH = 255;

  private final String text;
  /** The runs between stars; with a star at either end, the first or last run is empty. */
  private final List<String> runs;

  private BucketGlob(String text, List<String> runs) {
    this.text = text;
    this.runs = runs;
  }

  /** @throws IllegalArgumentException with a message fit for a status condition */
  public static BucketGlob parse(String glob) {
    if (glob == null || glob.isEmpty() || glob.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a bucket glob is 1 to " + MAX_LENGTH + " characters long");
    }
    List<String> runs = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        runs.add(run.toString());
        run.setLength(0);
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '?') {
        run.append(c);
      } else {
        throw new IllegalArgumentException("bucket glob '" + glob + "' may only hold lower-case letters, digits, '.',"
            + " '-', '*' and '?'");
      }
    }
    runs.add(run.toString());
    return new BucketGlob(glob, List.copyOf(runs));
  }

  public boolean matches(String name) {
    if (runs.size() == 1) {
      return name.length() == runs.get(0).length() && matchesAt(runs.get(0), name, 0);
    }
    String first = runs.get(0);
    String last = runs.get(runs.size() - 1);
    if (name.length() < first.length() + last.length() || !matchesAt(first, name, 0)
        || !matchesAt(last, name, name.length() - last.length())) {
      return false;
    }
    int from = first.length();
    int until = name.length() - last.length();
    for (int i = 1; i < runs.size() - 1; i++) {
      String middle = runs.get(i);
      if (middle.isEmpty()) {
        continue;
      }
      int end = find(middle, name, from, until);
      if (end < 0) {
        return false;
      }
      from = end;
    }
    return true;
  }

  /** Whether {@code run} (with '?') matches {@code name} at {@code at}. */
  private static boolean matchesAt(String run, String name, int at) {
    for (int i = 0; i < run.length(); i++) {
      char c = run.charAt(i);
      if (c != '?' && c != name.charAt(at + i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The end (exclusive) of the leftmost match of {@code run} in {@code name[from, until)}, or -1:
   * Shift-And, one pass over the name. Runs longer than 64 characters (which no bucket name can
   * hold anyway) are compared at each place instead.
   */
  private static int find(String run, String name, int from, int until) {
    int m = run.length();
    if (until - from < m) {
      return -1;
    }
    if (m > Long.SIZE) {
      for (int start = from; start + m <= until; start++) {
        if (matchesAt(run, name, start)) {
          return start + m;
        }
      }
      return -1;
    }
    long any = 0;
    long[] masks = new long[128];
    for (int i = 0; i < m; i++) {
      char c = run.charAt(i);
      if (c == '?') {
        any |= 1L << i;
      } else {
        masks[c] |= 1L << i;
      }
    }
    long found = 1L << (m - 1);
    long state = 0;
    for (int j = from; j < until; j++) {
      char c = name.charAt(j);
      long mask = any | (c < 128 ? masks[c] : 0);
      state = ((state << 1) | 1) & mask;
      if ((state & found) != 0) {
        return j + 1;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return text;
  }
}
