package io.bucketprotection.operator.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code check}: {@code [--offline] [--output text|json] [--namespace NAME]
 * [FILE|DIR|- ...]}. No option names credentials or an endpoint: those come from the environment
 * and from the manifests, as they do for the operator.
 *
 * @param namespace where a namespaced manifest without metadata.namespace lands, as with
 *     {@code kubectl apply -n}
 * @param paths files, folders or "-" (standard input); empty means standard input
 */
record CheckOptions(boolean offline, boolean json, String namespace, List<String> paths, boolean help) {

  static final String USAGE = "usage: java -jar bucket-protection-operator.jar check [--offline] [--output text|json]"
      + " [--namespace NAME] [FILE|DIR|- ...]";
  static final String DEFAULT_NAMESPACE = "default";

  /** A command line that cannot be run: the message says why, the caller prints the usage line. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  static CheckOptions parse(String[] args) throws UsageException {
    boolean offline = false;
    boolean json = false;
    boolean help = false;
    String namespace = DEFAULT_NAMESPACE;
    List<String> paths = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (optionsEnded || "-".equals(arg) || !arg.startsWith("-")) {
        paths.add(arg);
      } else if ("--".equals(arg)) {
        optionsEnded = true;
      } else if ("--offline".equals(arg)) {
        offline = true;
      } else if ("--help".equals(arg) || "-h".equals(arg)) {
        help = true;
      } else if ("--output".equals(arg) || "-o".equals(arg) || arg.startsWith("--output=")) {
        String value = arg.startsWith("--output=") ? arg.substring("--output=".length()) : value(args, ++i, arg);
        if (!"json".equals(value) && !"text".equals(value)) {
          throw new UsageException("--output is text or json, not '" + value + "'");
        }
        json = "json".equals(value);
      } else if ("--namespace".equals(arg) || "-n".equals(arg) || arg.startsWith("--namespace=")) {
        namespace = arg.startsWith("--namespace=") ? arg.substring("--namespace=".length()) : value(args, ++i, arg);
        if (namespace.isBlank()) {
          throw new UsageException("--namespace needs a name");
        }
      } else {
        throw new UsageException("unknown option " + arg);
      }
    }
    return new CheckOptions(offline, json, namespace, List.copyOf(paths), help);
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }
}
