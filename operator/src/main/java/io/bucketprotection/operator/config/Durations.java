package io.bucketprotection.operator.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the short durations users write in specs and settings: 30s, 5m, 1h30m. */
public final class Durations {

  private static final Pattern WHOLE = Pattern.compile("([0-9]+[smh])+");
  private static final Pattern PART = Pattern.compile("([0-9]+)([smh])");

  private Durations() {
  }

  /** @throws IllegalArgumentException with a message fit for a status condition */
  public static Duration parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 5m or 1h30m");
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(text);
    try {
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        total = total.plus(switch (part.group(2)) {
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        });
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // The pattern allows any number of digits: a value past what a Duration holds is invalid,
      // not an exception that escapes validation (it runs inside informer indexers too).
      throw new IllegalArgumentException("'" + text + "' is too long a duration");
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
