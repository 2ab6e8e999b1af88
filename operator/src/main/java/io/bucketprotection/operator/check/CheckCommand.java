package io.bucketprotection.operator.check;

import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.aws.ServerText;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.AccountValidator;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.s3.S3Credentials;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code check}: what the operator would do with these manifests, for a pull request. It reads
 * BucketProtections and accounts, validates and binds them as the operator does and, unless
 * {@code --offline}, reads each bucket and runs the operator's Decider on what it found (for a
 * version deletion, looks its versions up). It never writes to a bucket, makes an MFA code, reads
 * a seed or a Secret, or talks to Kubernetes.
 *
 * <p>The input is not trusted: resources bind only to the accounts of {@code --accounts} (the
 * input's too with {@code --trust-input-accounts}), and requests, signed with the environment's
 * credentials, go only to AWS and to {@code --allowed-endpoints}.
 *
 * <p>Exit codes: 0 nothing to write, 2 the operator would write, 1 anything refused or failed
 * (and usage or input errors).
 */
public final class CheckCommand {

  /** The subcommand's name: {@code java -jar bucket-protection-operator.jar check ...}. */
  public static final String NAME = "check";

  static final int EXIT_ERROR = 1;

  private CheckCommand() {
  }

  /** From {@code Main}: the process's own streams and environment. */
  public static int fromMain(String[] args) {
    // Standard output is the report (and may be JSON): no log line may land there. The AWS SDK
    // and fabric8 log through logback, whose appenders write to standard output.
    System.setProperty("LOG_LEVEL", "OFF");
    return run(args, System.in, System.out, System.err, System.getenv());
  }

  /**
   * @param env the environment: the operator's settings (BPO_ALLOWED_ENDPOINTS, AWS_ENDPOINT_URL_S3,
   *     AWS_REGION...) and the credentials the buckets are read with; keys not given here are
   *     looked up by the AWS default credential chain (profile, web identity, instance role)
   * @return the exit code
   */
  public static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr,
      Map<String, String> env) {
    CheckOptions options;
    try {
      options = CheckOptions.parse(args);
    } catch (CheckOptions.UsageException e) {
      stderr.println(NAME + ": " + ServerText.clean(e.getMessage()));
      stderr.println(CheckOptions.USAGE);
      return EXIT_ERROR;
    }
    if (options.help()) {
      stdout.println(CheckOptions.USAGE);
      stdout.println(CheckOptions.HELP);
      return 0;
    }
    OperatorConfig config;
    S3Credentials credentials;
    try {
      config = OperatorConfig.fromEnvironment(env);
      credentials = options.offline() ? null : environmentCredentials(env);
    } catch (IllegalArgumentException e) {
      stderr.println(NAME + ": invalid configuration: " + ServerText.clean(e.getMessage()));
      return EXIT_ERROR;
    }
    try {
      TrustedAccounts trust = trustedAccounts(options, config);
      List<Manifest> manifests = new ManifestReader(options.namespace()).read(options.paths(), stdin);
      List<CheckResult> results = check(manifests, trust, options, config, credentials);
      int exitCode = CheckResult.exitCode(results);
      if (options.json()) {
        JsonReport.print(results, stdout);
      } else {
        TextReport.print(results, exitCode, stdout);
      }
      stdout.flush();
      return exitCode;
    } catch (ManifestReader.InputException e) {
      stderr.println(NAME + ": " + e.getMessage());
      return EXIT_ERROR;
    } catch (RuntimeException e) {
      // The class, and a cleaned message: no path of the check puts a credential in one.
      stderr.println(NAME + ": unexpected " + e.getClass().getSimpleName() + ": " + ServerText.clean(e.getMessage()));
      return EXIT_ERROR;
    }
  }

  private static List<CheckResult> check(List<Manifest> manifests, TrustedAccounts trust, CheckOptions options,
      OperatorConfig config, S3Credentials credentials) {
    Clock clock = Clock.systemUTC();
    if (options.offline()) {
      return new InputCheck(config, trust, null, options.maxVersionLookups(), clock).run(manifests);
    }
    try (BucketReader reader = AwsBucketReader.create(config)) {
      ReadOnlyObserver observer = new ReadOnlyObserver(reader, config.defaultRegion(),
          options.allowedEndpoints(), credentials, clock);
      return new InputCheck(config, trust, observer, options.maxVersionLookups(), clock).run(manifests);
    }
  }

  /**
   * The accounts of {@code --accounts}: every ClusterS3Account and S3Account of those files, each
   * valid (a broken trusted file is the CI owner's to fix, so it stops the check); other documents
   * are skipped.
   */
  static TrustedAccounts trustedAccounts(CheckOptions options, OperatorConfig config)
      throws ManifestReader.InputException {
    if (options.accounts().isEmpty()) {
      return new TrustedAccounts(List.of(), false, options.trustInputAccounts());
    }
    List<Manifest> accounts = new ArrayList<>();
    List<Manifest> read;
    try {
      read = new ManifestReader(options.namespace()).read(options.accounts(), InputStream.nullInputStream());
    } catch (ManifestReader.InputException e) {
      throw new ManifestReader.InputException("--accounts: " + e.getMessage());
    }
    for (Manifest manifest : read) {
      boolean accountKind = ClusterS3Account.KIND.equals(manifest.kind()) || S3Account.KIND.equals(manifest.kind());
      if (!accountKind) {
        continue;
      }
      if (manifest.object() == null) {
        throw new ManifestReader.InputException("--accounts: " + manifest.key() + " (" + manifest.origin() + "): "
            + manifest.problem());
      }
      try {
        if (manifest.object() instanceof ClusterS3Account cluster) {
          AccountValidator.validate(cluster, config);
        } else {
          AccountValidator.validate((S3Account) manifest.object(), config);
        }
      } catch (InvalidSpecException e) {
        throw new ManifestReader.InputException("--accounts: " + manifest.key() + " (" + manifest.origin()
            + ") is not valid: " + e.getMessage());
      }
      accounts.add(manifest);
    }
    return new TrustedAccounts(accounts, true, options.trustInputAccounts());
  }

  /**
   * Keys from the environment, or null to let the AWS default chain find them (profile, SSO,
   * web identity, instance role). Never from a flag, and never the keys a manifest names.
   */
  static S3Credentials environmentCredentials(Map<String, String> env) {
    String id = env.get(Signers.ACCESS_KEY_ID);
    String secret = env.get(Signers.SECRET_ACCESS_KEY);
    if (isBlank(id) && isBlank(secret)) {
      return null;
    }
    if (isBlank(id) || isBlank(secret)) {
      throw new IllegalArgumentException(Signers.ACCESS_KEY_ID + " and " + Signers.SECRET_ACCESS_KEY
          + " are set together or not at all");
    }
    String token = env.get(Signers.SESSION_TOKEN);
    return new S3Credentials(id, secret, isBlank(token) ? null : token);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
