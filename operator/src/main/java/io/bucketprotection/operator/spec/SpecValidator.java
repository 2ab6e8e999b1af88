package io.bucketprotection.operator.spec;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionSpec;
import io.bucketprotection.operator.api.Limits;
import io.bucketprotection.operator.api.CredentialsSource;
import io.bucketprotection.operator.config.Durations;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.secrets.SecretSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a BucketProtection spec against every rule the CRD schema states, and the ones a schema
 * cannot state (the allowed endpoints, the full S3 bucket-name rules). The API server enforces
 * the schema, but not every cluster has the current CRD and the test API server enforces none of
 * it: the reconciler never trusts that it ran.
 */
public final class SpecValidator {

  private static final Pattern BUCKET_CHARS = Pattern.compile("[a-z0-9][a-z0-9.-]*[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
  private static final List<String> RESERVED_SUFFIXES =
      List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

  private SpecValidator() {
  }

  public static ProtectionSpec validate(BucketProtection resource, OperatorConfig config) throws InvalidSpecException {
    BucketProtectionSpec spec = resource.getSpec();
    if (spec == null) {
      throw new InvalidSpecException("The resource has no spec.");
    }
    List<String> tooLong = SpecShape.tooLong(spec);
    if (!tooLong.isEmpty()) {
      // Lengths first: nothing else is parsed or matched on a value past its limit.
      throw new InvalidSpecException(String.join("; ", tooLong) + ". Nothing else was checked.");
    }
    String namespace = resource.getMetadata().getNamespace();
    List<String> problems = new ArrayList<>();
    bucketNameProblem(spec.getBucket()).ifPresent(problems::add);

    VersioningStatus versioning = versioning(spec.getVersioning(), problems);
    Boolean mfaDelete = mfaDelete(spec.getMfaDelete(), problems);
    boolean observeOnly = observeOnly(spec.getMode(), problems);
    mfaDeleteProblems(spec, versioning, mfaDelete, problems);

    String region = spec.getRegion();
    if (region != null) {
      SettingsRules.regionProblem(region, "spec.region").ifPresent(problems::add);
    }
    Duration checkInterval = checkInterval(spec.getCheckInterval(), config, problems);

    AccountId account = null;
    AccountSettings inline = null;
    if (spec.getAccountRef() != null) {
      account = accountRef(spec.getAccountRef(), namespace, problems);
      for (String field : fieldsTheAccountGives(spec)) {
        problems.add("spec." + field + " cannot be set together with spec.accountRef: the account gives it");
      }
    } else if (spec.getCredentials() != null) {
      inline = inlineSettings(spec, namespace, resource.getMetadata().getName(), config, problems);
    } else {
      for (String field : fieldsTheAccountGives(spec)) {
        problems.add("spec." + field + " needs spec.credentials (inline keys) or belongs in an account: without"
            + " either, the resource uses the ClusterS3Account named default");
      }
      account = AccountId.DEFAULT;
    }

    if (!problems.isEmpty()) {
      throw new InvalidSpecException(String.join("; ", problems) + ".");
    }
    return new ProtectionSpec(spec.getBucket(), versioning, mfaDelete, observeOnly, region, checkInterval, account,
        inline, SpecShape.unknownFields(spec));
  }

  private static VersioningStatus versioning(String text, List<String> problems) {
    if ("Enabled".equals(text)) {
      return VersioningStatus.ENABLED;
    }
    if ("Suspended".equals(text)) {
      return VersioningStatus.SUSPENDED;
    }
    problems.add("spec.versioning must be Enabled or Suspended, not '" + text + "'");
    return null;
  }

  /** Null: not managed (left out, or a problem). */
  private static Boolean mfaDelete(String text, List<String> problems) {
    if ("Enabled".equals(text)) {
      return Boolean.TRUE;
    }
    if ("Disabled".equals(text)) {
      return Boolean.FALSE;
    }
    if (text != null) {
      problems.add("spec.mfaDelete must be Enabled or Disabled, or left out, not '" + text + "'");
    }
    return null;
  }

  private static boolean observeOnly(String mode, List<String> problems) {
    if ("Observe".equals(mode)) {
      return true;
    }
    if (mode != null && !"Enforce".equals(mode)) {
      problems.add("spec.mode must be Enforce or Observe, not '" + mode + "'");
    }
    return false;
  }

  /** MFA Delete on needs a versioned bucket and a device to make the code. */
  private static void mfaDeleteProblems(BucketProtectionSpec spec, VersioningStatus versioning, Boolean mfaDelete,
      List<String> problems) {
    if (Boolean.TRUE.equals(mfaDelete) && versioning == VersioningStatus.SUSPENDED) {
      problems.add("mfaDelete: Enabled needs versioning: Enabled (S3 only keeps MFA Delete on versioned buckets)");
    }
    if (Boolean.TRUE.equals(mfaDelete) && spec.getMfa() == null && spec.getAccountRef() == null) {
      problems.add("mfaDelete: Enabled needs an mfa block (serialNumber and totpSeed) or an accountRef whose account"
          + " has one, so the operator can make the MFA code");
    }
  }

  private static AccountId accountRef(AccountReference ref, String namespace, List<String> problems) {
    if (SettingsRules.isBlank(ref.getName())) {
      problems.add("spec.accountRef needs a name");
      return null;
    }
    if ("ClusterS3Account".equals(ref.getKind())) {
      return AccountId.cluster(ref.getName());
    }
    if ("S3Account".equals(ref.getKind())) {
      return AccountId.namespaced(namespace, ref.getName());
    }
    problems.add("spec.accountRef.kind must be ClusterS3Account or S3Account, not '" + ref.getKind() + "'");
    return null;
  }

  private static List<String> fieldsTheAccountGives(BucketProtectionSpec spec) {
    List<String> set = new ArrayList<>();
    if (spec.getCredentials() != null && spec.getAccountRef() != null) {
      set.add("credentials");
    }
    if (spec.getMfa() != null) {
      set.add("mfa");
    }
    if (spec.getEndpoint() != null) {
      set.add("endpoint");
    }
    if (spec.getExpectedBucketOwner() != null) {
      set.add("expectedBucketOwner");
    }
    return set;
  }

  /** The resource's own keys (a Secret in its namespace), endpoint, owner and MFA device. */
  private static AccountSettings inlineSettings(BucketProtectionSpec spec, String namespace, String name,
      OperatorConfig config, List<String> problems) {
    CredentialsSource source = spec.getCredentials();
    SecretSource credentials = null;
    if (source.getSecretsManager() != null) {
      problems.add("spec.credentials.secretsManager is refused: Secrets Manager values are read with the operator's"
          + " own identity, so only an admin may lend them, through a ClusterS3Account (spec.accountRef)");
    } else if (source.getSecretRef() == null) {
      problems.add("spec.credentials needs exactly one of its sources, and inline that is secretRef (a Secret in"
          + " this namespace); an empty credentials block is never read as 'use the operator's identity'");
    } else if (SettingsRules.isBlank(source.getSecretRef().getName())) {
      problems.add("spec.credentials.secretRef needs a name");
    } else {
      credentials = new SecretSource.KubernetesSecret(namespace, source.getSecretRef().getName(), null);
    }
    URI endpoint = SettingsRules.resolvedEndpoint(spec.getEndpoint(), "spec.endpoint", config, true, problems);
    String owner = spec.getExpectedBucketOwner();
    SettingsRules.ownerProblem(owner, "spec.expectedBucketOwner").ifPresent(problems::add);
    AccountSettings.MfaSettings mfa = spec.getMfa() == null ? null
        : SettingsRules.mfa(spec.getMfa(), "spec.mfa", namespace, false, "BucketProtection " + namespace + "/" + name,
            CodeHolder.resource(namespace, name), problems);
    return new AccountSettings(endpoint, null, credentials,
        SettingsRules.expectedOwner(owner, mfa, endpoint, config, "spec.expectedBucketOwner", problems), mfa);
  }

  private static Duration checkInterval(String text, OperatorConfig config, List<String> problems) {
    if (text == null) {
      return config.defaultCheckInterval();
    }
    try {
      Duration checkInterval = Durations.parse(text);
      if (checkInterval.compareTo(OperatorConfig.MIN_CHECK_INTERVAL) < 0
          || checkInterval.compareTo(OperatorConfig.MAX_CHECK_INTERVAL) > 0) {
        problems.add("spec.checkInterval must be between 10s and 24h, not " + text);
      }
      return checkInterval;
    } catch (IllegalArgumentException e) {
      problems.add("spec.checkInterval: " + e.getMessage());
      return config.defaultCheckInterval();
    }
  }

  /** Whether {@code name} follows S3's bucket-naming rules (for names a server lists). */
  public static boolean isBucketName(String name) {
    return name != null && name.length() <= Limits.BUCKET && bucketNameProblem(name).isEmpty();
  }

  static Optional<String> bucketNameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("spec.bucket is required");
    }
    String prefix = "spec.bucket '" + name + "' ";
    if (name.length() < 3 || name.length() > 63) {
      return Optional.of(prefix + "must be 3 to 63 characters long");
    }
    if (!BUCKET_CHARS.matcher(name).matches()) {
      return Optional.of(prefix
          + "may only hold lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit");
    }
    if (name.contains("..")) {
      return Optional.of(prefix + "must not contain two dots in a row");
    }
    if (IP_ADDRESS.matcher(name).matches()) {
      return Optional.of(prefix + "must not look like an IP address");
    }
    for (String reserved : RESERVED_PREFIXES) {
      if (name.startsWith(reserved)) {
        return Optional.of(prefix + "must not start with " + reserved);
      }
    }
    for (String reserved : RESERVED_SUFFIXES) {
      if (name.endsWith(reserved)) {
        return Optional.of(prefix + "must not end with " + reserved);
      }
    }
    return Optional.empty();
  }
}
