package io.bucketprotection.operator.config;

import java.time.Duration;

/**
 * Parses the short durations users write in specs and settings: 30s, 5m, 1h30m. One plain pass
 * over the text, no regular expression: a hostile value (10 KB of "1s") costs a loop, never a
 * deep recursion in a regex engine.
 */
public final class Durations {

  /** Longer texts are refused before they are read: no duration a person writes is this long. */
  static final int MAX_LENGTH = 32;

  private Durations() {
  }

  /** @throws IllegalArgumentException with a message fit for a status condition */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("a duration such as 30s, 5m or 1h30m is needed");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a duration is at most " + MAX_LENGTH + " characters long, not "
          + text.length());
    }
    Duration total = Duration.ZERO;
    long amount = 0;
    boolean digits = false;
    try {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c >= '0' && c <= '9') {
          amount = Math.addExact(Math.multiplyExact(amount, 10), c - '0');
          digits = true;
        } else if ((c == 's' || c == 'm' || c == 'h') && digits) {
          total = total.plus(c == 's' ? Duration.ofSeconds(amount)
              : c == 'm' ? Duration.ofMinutes(amount) : Duration.ofHours(amount));
          amount = 0;
          digits = false;
        } else {
          throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 5m or 1h30m");
        }
      }
    } catch (ArithmeticException e) {
      // A value past what a Duration holds is invalid, not an exception that escapes validation
      // (it runs inside informer indexers too).
      throw new IllegalArgumentException("'" + text + "' is too long a duration");
    }
    if (digits) {
      throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 5m or 1h30m");
    }
    return total;
  }

  /** "5m", "1h30m", "45s": the inverse of {@link #parse}, for messages. */
  public static String format(Duration duration) {
    long seconds = duration.getSeconds();
    StringBuilder out = new StringBuilder();
    if (seconds >= 3600) {
      out.append(seconds / 3600).append('h');
      seconds %= 3600;
    }
    if (seconds >= 60) {
      out.append(seconds / 60).append('m');
      seconds %= 60;
    }
    if (seconds > 0 || out.length() == 0) {
      out.append(seconds).append('s');
    }
    return out.toString();
  }
}
