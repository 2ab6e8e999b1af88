package io.bucketprotection.operator.aws;

/**
 * Text from outside the operator as it may go into a status, an event or a log line: a server's
 * error message or code (at most {@value #MAX} characters), or a message quoting a user's spec
 * values. Control characters (newlines, escape sequences) become spaces. A server, whoever sits
 * in front of it, or a namespace's user chooses this text: it must not flood a status nor forge
 * log lines.
 */
public final class ServerText {

  public static final int MAX = 256;

  private ServerText() {
  }

  /** Null stays null. */
  public static String clean(String text) {
    return clean(text, MAX);
  }

  /**
   * At most {@code max} characters; control and format characters (newlines, escapes, bidi
   * overrides) and surrogates (a lone one breaks the JSON it lands in) become spaces.
   */
  public static String clean(String text, int max) {
    if (text == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), max));
    for (int i = 0; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      int type = Character.getType(c);
      out.append(Character.isISOControl(c) || type == Character.FORMAT || type == Character.SURROGATE ? ' ' : c);
    }
    if (text.length() > max) {
      out.setLength(max - 1);
      out.append('…');
    }
    return out.toString();
  }
}
