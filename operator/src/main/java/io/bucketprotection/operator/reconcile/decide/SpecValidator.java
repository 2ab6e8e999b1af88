package io.bucketprotection.operator.reconcile.decide;

import io.bucketprotection.operator.api.BucketProtectionSpec;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.SecretsManagerReference;
import io.bucketprotection.operator.config.Durations;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.secrets.SecretSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a spec against every rule the CRD schema states, and the ones a schema cannot state.
 * The API server enforces the schema, but not every cluster has the current CRD and the test
 * API server enforces none of it: the reconciler never trusts that it ran.
 */
public final class SpecValidator {

  static final int DEFAULT_PERIOD_SECONDS = 30;
  private static final Pattern BUCKET_CHARS = Pattern.compile("[a-z0-9][a-z0-9.-]*[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{2,32}");
  private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
  private static final List<String> RESERVED_SUFFIXES =
      List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

  private SpecValidator() {
  }

  public static DesiredState validate(BucketProtectionSpec spec, OperatorConfig config)
      throws InvalidSpecException {
    if (spec == null) {
      throw new InvalidSpecException("The resource has no spec.");
    }
    List<String> problems = new ArrayList<>();
    bucketNameProblem(spec.getBucket()).ifPresent(problems::add);

    VersioningStatus versioning = null;
    if ("Enabled".equals(spec.getVersioning())) {
      versioning = VersioningStatus.ENABLED;
    } else if ("Suspended".equals(spec.getVersioning())) {
      versioning = VersioningStatus.SUSPENDED;
    } else {
      problems.add("spec.versioning must be Enabled or Suspended, not '" + spec.getVersioning() + "'");
    }

    Boolean mfaDelete = null;
    if ("Enabled".equals(spec.getMfaDelete())) {
      mfaDelete = Boolean.TRUE;
    } else if ("Disabled".equals(spec.getMfaDelete())) {
      mfaDelete = Boolean.FALSE;
    } else if (spec.getMfaDelete() != null) {
      problems.add("spec.mfaDelete must be Enabled or Disabled, or left out, not '" + spec.getMfaDelete() + "'");
    }

    boolean observeOnly = false;
    if ("Observe".equals(spec.getMode())) {
      observeOnly = true;
    } else if (spec.getMode() != null && !"Enforce".equals(spec.getMode())) {
      problems.add("spec.mode must be Enforce or Observe, not '" + spec.getMode() + "'");
    }

    if (Boolean.TRUE.equals(mfaDelete) && versioning == VersioningStatus.SUSPENDED) {
      problems.add("mfaDelete: Enabled needs versioning: Enabled (S3 only keeps MFA Delete on versioned buckets)");
    }
    if (Boolean.TRUE.equals(mfaDelete) && spec.getMfa() == null) {
      problems.add("mfaDelete: Enabled needs an mfa block (serialNumber and totpSeed) so the operator can make the MFA code");
    }

    URI endpoint = null;
    if (spec.getEndpoint() != null) {
      try {
        endpoint = new URI(spec.getEndpoint());
        if (!("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))
            || endpoint.getHost() == null) {
          problems.add("spec.endpoint must be an http:// or https:// URL with a host, not '" + spec.getEndpoint() + "'");
        }
      } catch (URISyntaxException e) {
        problems.add("spec.endpoint is not a URL: '" + spec.getEndpoint() + "'");
      }
    }

    if (spec.getRegion() != null && !REGION.matcher(spec.getRegion()).matches()) {
      problems.add("spec.region must look like us-east-1, not '" + spec.getRegion() + "'");
    }

    SecretSource credentials = null;
    if (spec.getCredentials() != null) {
      var source = spec.getCredentials();
      if ((source.getSecretRef() == null) == (source.getSecretsManager() == null)) {
        problems.add("spec.credentials needs exactly one of secretRef or secretsManager");
      } else if (source.getSecretRef() != null) {
        if (isBlank(source.getSecretRef().getName())) {
          problems.add("spec.credentials.secretRef needs a name");
        } else {
          credentials = new SecretSource.KubernetesSecret(source.getSecretRef().getName(), null);
        }
      } else {
        credentials = secretsManagerSource(source.getSecretsManager(), "spec.credentials.secretsManager", problems);
      }
    }

    String owner = spec.getExpectedBucketOwner();
    if (owner != null && !owner.matches("[0-9]{12}")) {
      problems.add("spec.expectedBucketOwner must be a 12-digit AWS account id");
    }

    DesiredState.MfaSettings mfa = spec.getMfa() == null ? null : mfaSettings(spec.getMfa(), problems);

    Duration checkInterval = config.defaultCheckInterval();
    if (spec.getCheckInterval() != null) {
      try {
        checkInterval = Durations.parse(spec.getCheckInterval());
        if (checkInterval.compareTo(OperatorConfig.MIN_CHECK_INTERVAL) < 0
            || checkInterval.compareTo(OperatorConfig.MAX_CHECK_INTERVAL) > 0) {
          problems.add("spec.checkInterval must be between 10s and 24h, not " + spec.getCheckInterval());
        }
      } catch (IllegalArgumentException e) {
        problems.add("spec.checkInterval: " + e.getMessage());
      }
    }

    if (!problems.isEmpty()) {
      throw new InvalidSpecException(String.join("; ", problems) + ".");
    }
    return new DesiredState(spec.getBucket(), versioning, mfaDelete, observeOnly, endpoint,
        spec.getRegion(), credentials, owner, mfa, checkInterval);
  }

  private static DesiredState.MfaSettings mfaSettings(MfaSpec mfa, List<String> problems) {
    String serial = mfa.getSerialNumber();
    if (isBlank(serial) || serial.chars().anyMatch(Character::isWhitespace)) {
      // The header is "<serial> <code>": a space inside the serial would corrupt it.
      problems.add("spec.mfa.serialNumber must be the device's ARN or serial, without spaces");
    }
    SecretSource seed = null;
    var totpSeed = mfa.getTotpSeed();
    if (totpSeed == null || (totpSeed.getSecretKeyRef() == null) == (totpSeed.getSecretsManager() == null)) {
      problems.add("spec.mfa.totpSeed needs exactly one of secretKeyRef (a Kubernetes Secret) or secretsManager");
    } else if (totpSeed.getSecretKeyRef() != null) {
      var ref = totpSeed.getSecretKeyRef();
      if (isBlank(ref.getName()) || isBlank(ref.getKey())) {
        problems.add("spec.mfa.totpSeed.secretKeyRef needs both name and key");
      } else {
        seed = new SecretSource.KubernetesSecret(ref.getName(), ref.getKey());
      }
    } else {
      seed = secretsManagerSource(totpSeed.getSecretsManager(), "spec.mfa.totpSeed.secretsManager", problems);
    }
    int period = mfa.getPeriodSeconds() == null ? DEFAULT_PERIOD_SECONDS : mfa.getPeriodSeconds();
    if (period < 1 || period > 300) {
      problems.add("spec.mfa.periodSeconds must be between 1 and 300 (AWS devices use 30)");
    }
    int lookAhead = mfa.getLookAheadSteps() == null ? 0 : mfa.getLookAheadSteps();
    if (lookAhead < 0 || lookAhead > 2) {
      problems.add("spec.mfa.lookAheadSteps must be 0, 1 or 2");
    }
    return new DesiredState.MfaSettings(serial, seed, period, lookAhead);
  }

  private static SecretSource secretsManagerSource(SecretsManagerReference ref, String path, List<String> problems) {
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

  /** The S3 rules for general purpose bucket names. */
  static java.util.Optional<String> bucketNameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return java.util.Optional.of("spec.bucket is required");
    }
    String prefix = "spec.bucket '" + name + "' ";
    if (name.length() < 3 || name.length() > 63) {
      return java.util.Optional.of(prefix + "must be 3 to 63 characters long");
    }
    if (!BUCKET_CHARS.matcher(name).matches()) {
      return java.util.Optional.of(prefix
          + "may only hold lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit");
    }
    if (name.contains("..")) {
      return java.util.Optional.of(prefix + "must not contain two dots in a row");
    }
    if (IP_ADDRESS.matcher(name).matches()) {
      return java.util.Optional.of(prefix + "must not look like an IP address");
    }
    for (String reserved : RESERVED_PREFIXES) {
      if (name.startsWith(reserved)) {
        return java.util.Optional.of(prefix + "must not start with " + reserved);
      }
    }
    for (String reserved : RESERVED_SUFFIXES) {
      if (name.endsWith(reserved)) {
        return java.util.Optional.of(prefix + "must not end with " + reserved);
      }
    }
    return java.util.Optional.empty();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
