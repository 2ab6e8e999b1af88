package io.bucketprotection.operator.check;

import io.bucketprotection.operator.api.Limits;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code check}. No option names credentials: those come from the
 * environment. The input is a pull request's, so nothing in it decides where the job's keys go:
 * accounts come from {@code --accounts} (the input's only with {@code --trust-input-accounts}),
 * and requests go only to AWS and to {@code --allowed-endpoints}.
 *
 * @param namespace where a namespaced manifest without metadata.namespace lands, as with
 *     {@code kubectl apply -n}
 * @param paths files, folders or "-" (standard input); empty means standard input
 * @param accounts the files and folders of {@code --accounts}: the accounts the check binds to
 * @param trustInputAccounts bind to the input's accounts too (they win over {@code --accounts})
 * @param allowedEndpoints where requests may go besides AWS
 * @param maxVersionLookups the versions of a deletion looked up at most (the first ones listed)
 */
record CheckOptions(boolean offline, boolean json, String namespace, List<String> paths, boolean help,
    List<String> accounts, boolean trustInputAccounts, AllowedEndpoints allowedEndpoints, int maxVersionLookups) {

  static final String USAGE = "usage: java -jar bucket-protection-operator.jar check [--offline] [--output text|json]"
      + " [--namespace NAME] [--accounts FILE]... [--trust-input-accounts] [--allowed-endpoints URL[,URL...]]"
      + " [--max-version-lookups N] [FILE|DIR|- ...]";

  /** What {@code --help} prints after the usage line. */
  static final String HELP = String.join("\n",
      "",
      "What a merge of these manifests would make the operator do; nothing is written. Exit code 0: nothing to write,",
      "2: the operator would write, 1: something is refused or failed.",
      "",
      "  --offline                    validate and bind only; send no request at all",
      "  --output text|json           the report's format (default text)",
      "  --namespace NAME             the namespace of a namespaced manifest that names none (default default)",
      "  --accounts FILE              ClusterS3Accounts and S3Accounts the check may bind resources to: the",
      "                               cluster's, from a file or folder the pull request cannot change (repeatable)",
      "  --trust-input-accounts       also bind to the accounts in the input (they win over --accounts); only for",
      "                               input that is trusted, never a pull request's",
      "  --allowed-endpoints URL[,URL...]",
      "                               S3 endpoints (http(s)://host[:port]) the check may send requests to with the",
      "                               environment's credentials, besides AWS's own; AWS_ENDPOINT_URL_S3 is not",
      "                               allowed unless listed here",
      "  --max-version-lookups N      look up at most the first N versions of each ObjectVersionDeletion, one",
      "                               HeadObject each (default " + DeletionPreview.DEFAULT_MAX_LOOKUPS
          + "); a manifest is still read and counted whole",
      "",
      "Credentials are the environment's (AWS_ACCESS_KEY_ID..., a profile, web identity), never a manifest's.");

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
    boolean trustInputAccounts = false;
    String namespace = DEFAULT_NAMESPACE;
    List<String> paths = new ArrayList<>();
    List<String> accounts = new ArrayList<>();
    List<String> endpoints = new ArrayList<>();
    int maxVersionLookups = DeletionPreview.DEFAULT_MAX_LOOKUPS;
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
      } else if ("--trust-input-accounts".equals(arg)) {
        trustInputAccounts = true;
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
      } else if ("--accounts".equals(arg) || arg.startsWith("--accounts=")) {
        String value = arg.startsWith("--accounts=") ? arg.substring("--accounts=".length()) : value(args, ++i, arg);
        if (value.isBlank() || "-".equals(value)) {
          // Standard input is the input under check: the trusted accounts cannot come from there.
          throw new UsageException("--accounts needs a file or folder (not standard input)");
        }
        accounts.add(value);
      } else if ("--allowed-endpoints".equals(arg) || arg.startsWith("--allowed-endpoints=")) {
        endpoints.add(arg.startsWith("--allowed-endpoints=") ? arg.substring("--allowed-endpoints=".length())
            : value(args, ++i, arg));
      } else if ("--max-version-lookups".equals(arg) || arg.startsWith("--max-version-lookups=")) {
        maxVersionLookups = lookups(arg.startsWith("--max-version-lookups=")
            ? arg.substring("--max-version-lookups=".length()) : value(args, ++i, arg));
      } else {
        throw new UsageException("unknown option " + arg);
      }
    }
    AllowedEndpoints allowed;
    try {
      allowed = AllowedEndpoints.parse(endpoints);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return new CheckOptions(offline, json, namespace, List.copyOf(paths), help, List.copyOf(accounts),
        trustInputAccounts, allowed, maxVersionLookups);
  }

  /** 1 to a manifest's most lines: every version of any request at most. */
  private static int lookups(String value) throws UsageException {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= Limits.MANIFEST_LINES) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new UsageException("--max-version-lookups is a number from 1 to " + Limits.MANIFEST_LINES + ", not '"
        + value + "'");
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }
}
