package io.bucketprotection.operator.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One setting, declared once (as Strimzi's {@code ConfigParameter}): its environment variable
 * (and so its flag), the variables it falls back to, its default, how its text is parsed, and
 * what it means. {@link Settings} holds them all; docs/reference/configuration.md's table is made of
 * their {@link #tableRow()}s.
 *
 * @param name the environment variable
 * @param parser turns the text into the value; gets null when the setting is unset and has no default
 * @param fallbacks variables read, in order, when this one is blank
 * @param defaultValue the text used when it and its fallbacks are unset, or null
 * @param unsetMeans what having no value means, for the table (when there is no default)
 * @param meaning what it does, for the table
 * @param blankIsUnset a blank value counts as unset (and values are trimmed); otherwise a
 *     blank value is the value, as an empty port is "not a whole number"
 */
public record Setting<T>(String name, Parser<T> parser, List<String> fallbacks, String defaultValue,
    String unsetMeans, String meaning, boolean blankIsUnset) {

  /** Reads a setting's text; its exceptions' messages are what the person starting the operator sees. */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(String name, String text);
  }

  public Setting {
    fallbacks = List.copyOf(fallbacks);
  }

  /** A setting whose value, once present, is used as it is, even blank. */
  static <T> Setting<T> of(String name, String defaultValue, Parser<T> parser, String meaning) {
    return new Setting<>(name, parser, List.of(), defaultValue, "none", meaning, false);
  }

  /** A setting that counts blank as unset, then tries the fallbacks, then the default. */
  static <T> Setting<T> firstNonBlank(String name, List<String> fallbacks, String defaultValue, String unsetMeans,
      Parser<T> parser, String meaning) {
    return new Setting<>(name, parser, fallbacks, defaultValue, unsetMeans, meaning, true);
  }

  /** The value from these settings (environment and flags), parsed. */
  public T read(Map<String, String> settings) {
    return parser.parse(name, text(settings));
  }

  /** The text this setting has in these settings, after fallbacks and default; null when unset. */
  public String text(Map<String, String> settings) {
    if (!blankIsUnset) {
      return settings.getOrDefault(name, defaultValue);
    }
    return Stream.concat(Stream.of(name), fallbacks.stream())
        .map(settings::get)
        .filter(value -> value != null && !value.isBlank())
        .map(String::trim)
        .findFirst().orElse(defaultValue);
  }

  /** {@code BPO_WATCH_NAMESPACES} is {@code --watch-namespaces}, {@code LOG_LEVEL} is {@code --log-level}. */
  public static String flag(String variable) {
    return "--" + variable.replaceFirst("^BPO_", "").toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** This setting's row of docs/reference/configuration.md's table. */
  public String tableRow() {
    List<String> defaults = new java.util.ArrayList<>(fallbacks.stream().map(f -> "`" + f + "`").toList());
    defaults.add(defaultValue == null ? unsetMeans : "`" + defaultValue + "`");
    return "| `" + name + "` | " + String.join(", else ", defaults) + " | " + meaning + " |";
  }

  // The parsers. Their messages are the ones the operator has always given.

  static String asIs(String name, String text) {
    return text;
  }

  static String upperCase(String name, String text) {
    return text.toUpperCase(Locale.ROOT);
  }

  static String lowerCase(String name, String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  static URI uri(String name, String text) {
    return text == null ? null : URI.create(text);
  }

  static Duration duration(String name, String text) {
    return Durations.parse(text);
  }

  static Integer integer(String name, String text) {
    if (text == null) {
      return null;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
  }

  /** Comma-separated, each entry trimmed, empty entries dropped; unset is empty. */
  static Set<String> list(String name, String text) {
    return Arrays.stream(text == null ? new String[0] : text.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }

  /** {@code true} in any case is true, anything else false (as {@link Boolean#parseBoolean}). */
  static Boolean bool(String name, String text) {
    return Boolean.parseBoolean(text);
  }

  /** As {@link #bool}, ignoring surrounding blanks. */
  static Boolean trimmedBool(String name, String text) {
    return Boolean.parseBoolean(text == null ? null : text.trim());
  }
}
