package io.bucketprotection.operator.spec;

import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.SecretsManagerReference;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.S3Endpoints;
import io.bucketprotection.operator.secrets.SecretSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules that the fields a BucketProtection and the account kinds share must follow: endpoint,
 * region, bucket owner, MFA device. Each adds a problem to the list instead of throwing, so a
 * user sees every problem at once.
 */
public final class SettingsRules {

  static final int DEFAULT_PERIOD_SECONDS = 30;
  /** Printable ASCII without the space: what ARNs and hardware token serials are made of. */
  private static final Pattern PRINTABLE_SERIAL = Pattern.compile("[\\x21-\\x7E]+");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{2,32}");
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

  private SettingsRules() {
  }

  static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** The shape of AWS's region names: us-east-1, eu-central-2, us-gov-west-1, ap-southeast-4. */
  private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");

  /** Whether {@code region} looks like one of AWS's regions (other S3 servers name theirs as they like). */
  public static boolean isAwsRegion(String region) {
    return AWS_REGION.matcher(region).matches();
  }

  static Optional<String> regionProblem(String region, String path) {
    return REGION.matcher(region).matches() ? Optional.empty()
        : Optional.of(path + " must look like us-east-1, not '" + region + "'");
  }

  /** arn:PARTITION:iam::ACCOUNT:mfa/NAME: a virtual device's serial names its account. */
  private static final Pattern MFA_ARN = Pattern.compile("arn:aws[a-z-]*:iam::([0-9]{12}):mfa/.+");

  /**
   * The owner every request must name (x-amz-expected-bucket-owner), so that only the account's
   * own buckets ever cost a code. On AWS, without an explicit value, it is the account in the MFA
   * device's ARN; an explicit value naming another account is a problem. Off AWS (RadosGW) lab
   * serials look like ARNs but mean nothing: only an explicit value is sent.
   *
   * @param endpoint the resolved endpoint (null: AWS)
   */
  static String expectedOwner(String explicit, AccountSettings.MfaSettings mfa, URI endpoint, OperatorConfig config,
      String path, List<String> problems) {
    boolean aws = S3Endpoints.isAws(endpoint, config.defaultRegion());
    if (!aws || mfa == null || mfa.serialNumber() == null) {
      return explicit;
    }
    var match = MFA_ARN.matcher(mfa.serialNumber());
    if (!match.matches()) {
      return explicit; // a hardware token's serial names no account
    }
    String account = match.group(1);
    if (explicit != null && !explicit.equals(account)) {
      problems.add(path + " is " + explicit + ", but the MFA device " + mfa.serialNumber() + " belongs to account "
          + account + ": its codes could only be spent on another account's buckets. Leave expectedBucketOwner out"
          + " (it is then " + account + ") or correct it");
      return explicit;
    }
    return account;
  }

  /** The account id an MFA device's ARN names, if it is an ARN (a hardware token's serial names none). */
  static Optional<String> arnAccount(String serial) {
    var match = serial == null ? null : MFA_ARN.matcher(serial);
    return match != null && match.matches() ? Optional.of(match.group(1)) : Optional.empty();
  }

  static Optional<String> ownerProblem(String owner, String path) {
    return owner == null || ACCOUNT_ID.matcher(owner).matches() ? Optional.empty()
        : Optional.of(path + " must be a 12-digit AWS account id");
  }

  /**
   * Where requests go: {@code text} (checked as {@link #endpoint} does), else the operator's
   * default; null only for AWS's own endpoint (the S3 client's, no override). The one place an
   * account's or resource's endpoint is resolved: everything bound carries the result. After a
   * problem, the default (the spec is refused anyway).
   */
  static URI resolvedEndpoint(String text, String path, OperatorConfig config, boolean mustBeAllowed,
      List<String> problems) {
    URI endpoint = text == null ? null : endpoint(text, path, config, mustBeAllowed, problems);
    return endpoint != null ? endpoint : config.defaultEndpoint();
  }

  /**
   * An endpoint is scheme://host[:port], at most with a trailing slash: no user info, path, query
   * or fragment (the operator sends codes and credentials there). Unless {@code anyEndpoint} (a
   * ClusterS3Account, which an admin wrote), it must be the default endpoint or on the
   * BPO_ALLOWED_ENDPOINTS list.
   *
   * @return the endpoint, or null after adding a problem
   */
  static URI endpoint(String text, String path, OperatorConfig config, boolean mustBeAllowed, List<String> problems) {
    URI endpoint;
    try {
      endpoint = new URI(text);
    } catch (URISyntaxException e) {
      problems.add(path + " is not a URL: '" + text + "'");
      return null;
    }
    boolean bare = endpoint.getRawUserInfo() == null && endpoint.getRawQuery() == null
        && endpoint.getRawFragment() == null
        && (endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() || "/".equals(endpoint.getRawPath()));
    if (!("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())) || endpoint.getHost() == null
        || !bare) {
      problems.add(path + " must be http(s)://host[:port] with nothing after it (no user info, path, query or"
          + " fragment), not '" + text + "'");
      return null;
    }
    if (mustBeAllowed && !isAllowed(endpoint, config)) {
      problems.add(path + " " + S3Endpoints.origin(endpoint) + " is not on the operator's BPO_ALLOWED_ENDPOINTS list:"
          + " ask an admin to allow it, or use an account that names it");
      return null;
    }
    return endpoint;
  }

  private static boolean isAllowed(URI endpoint, OperatorConfig config) {
    String origin = S3Endpoints.origin(endpoint);
    return config.allowedEndpoints().contains(origin)
        || (config.defaultEndpoint() != null && S3Endpoints.origin(config.defaultEndpoint()).equals(origin));
  }

  /**
   * @param secretsNamespace where the seed's Kubernetes Secret is read
   * @param secretsManagerAllowed only a ClusterS3Account may name a Secrets Manager seed
   * @param holder the object that names the device, for messages
   * @param codes where a person annotates codes when the spec names no seed
   */
  static AccountSettings.MfaSettings mfa(MfaSpec mfa, String path, String secretsNamespace,
      boolean secretsManagerAllowed, String holder, CodeHolder codes, List<String> problems) {
    String serial = mfa.getSerialNumber();
    if (isBlank(serial) || serial.chars().anyMatch(Character::isWhitespace)) {
      // The header is "<serial> <code>": a space inside the serial would corrupt it.
      problems.add(path + ".serialNumber must be the device's ARN or serial, without spaces");
    } else if (!PRINTABLE_SERIAL.matcher(serial).matches()) {
      // It goes into a header and into every message about the device: no control, bidi or
      // look-alike characters that would make one device read as another. The value is not echoed.
      problems.add(path + ".serialNumber must be printable characters only (an ARN such as"
          + " arn:aws:iam::123456789012:mfa/name, or a hardware token's serial)");
    }
    SecretSource seed = null;
    var totpSeed = mfa.getTotpSeed();
    if (totpSeed == null) {
      // No seed anywhere: a person supplies each code (docs/concepts.md "Without storing the seed").
      seed = null;
    } else if ((totpSeed.getSecretKeyRef() == null) == (totpSeed.getSecretsManager() == null)) {
      problems.add(path + ".totpSeed needs exactly one of secretKeyRef (a Kubernetes Secret) or secretsManager,"
          + " or leave it out to have a person supply each code");
    } else if (totpSeed.getSecretKeyRef() != null) {
      var ref = totpSeed.getSecretKeyRef();
      if (isBlank(ref.getName()) || isBlank(ref.getKey())) {
        problems.add(path + ".totpSeed.secretKeyRef needs both name and key");
      } else {
        seed = new SecretSource.KubernetesSecret(secretsNamespace, ref.getName(), ref.getKey());
      }
    } else if (!secretsManagerAllowed) {
      problems.add(path + ".totpSeed.secretsManager is refused here: Secrets Manager values are read with the"
          + " operator's own identity, so only an admin may lend them, through a ClusterS3Account");
    } else {
      seed = secretsManager(totpSeed.getSecretsManager(), path + ".totpSeed.secretsManager", problems);
    }
    int period = mfa.getPeriodSeconds() == null ? DEFAULT_PERIOD_SECONDS : mfa.getPeriodSeconds();
    if (period < 1 || period > 300) {
      problems.add(path + ".periodSeconds must be between 1 and 300 (AWS devices use 30)");
    }
    int lookAhead = mfa.getLookAheadSteps() == null ? 0 : mfa.getLookAheadSteps();
    if (lookAhead < 0 || lookAhead > 2) {
      problems.add(path + ".lookAheadSteps must be 0, 1 or 2");
    }
    return new AccountSettings.MfaSettings(serial, seed, period, lookAhead, holder, totpSeed == null ? codes : null);
  }

  static SecretSource secretsManager(SecretsManagerReference ref, String path, List<String> problems) {
    if (isBlank(ref.getSecretId())) {
      problems.add(path + " needs a secretId (name or ARN)");
      return null;
    }
    if (ref.getRegion() != null && !REGION.matcher(ref.getRegion()).matches()) {
      problems.add(path + ".region must look like us-east-1");
      return null;
    }
    return new SecretSource.SecretsManagerSecret(ref.getSecretId(), isBlank(ref.getKey()) ? null : ref.getKey(),
        ref.getRegion());
  }
}
