package io.bucketprotection.operator.spec;

import io.bucketprotection.operator.api.AccountCredentials;
import io.bucketprotection.operator.api.AssumeRoleSpec;
import io.bucketprotection.operator.api.ObserverSecretReference;
import io.bucketprotection.operator.api.ObserverSpec;
import io.bucketprotection.operator.api.AccountSpec;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.ClusterS3AccountSpec;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.api.Limits;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.secrets.SecretSource;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a ClusterS3Account or S3Account against the rules of its kind. A ClusterS3Account may
 * name any endpoint, Secrets Manager and the operator's own identity (an admin wrote it) and
 * reads its Kubernetes Secrets from the cluster resource namespace; an S3Account may only use
 * Secrets in its own namespace and endpoints on the allow-list.
 */
public final class AccountValidator {

  private AccountValidator() {
  }

  public static Account validate(ClusterS3Account account, OperatorConfig config) throws InvalidSpecException {
    ClusterS3AccountSpec spec = account.getSpec();
    if (spec == null) {
      throw new InvalidSpecException("The ClusterS3Account has no spec.");
    }
    AccountId id = AccountId.cluster(account.getMetadata().getName());
    checkShape(spec, spec.getNamespaces());
    List<String> problems = new ArrayList<>();
    AccountSettings settings = settings(spec, id, config.clusterResourceNamespace(), true, config, problems);
    Account.Admission admission = new Account.Admission(Set.of(), null);
    if (spec.getNamespaces() != null) {
      List<String> names = spec.getNamespaces().getNames() == null ? List.of() : spec.getNamespaces().getNames();
      admission = new Account.Admission(Set.copyOf(names), spec.getNamespaces().getSelector());
    }
    return finish(id, spec, settings, admission, problems);
  }

  public static Account validate(S3Account account, OperatorConfig config) throws InvalidSpecException {
    AccountSpec spec = account.getSpec();
    if (spec == null) {
      throw new InvalidSpecException("The S3Account has no spec.");
    }
    AccountId id = AccountId.namespaced(account.getMetadata().getNamespace(), account.getMetadata().getName());
    checkShape(spec, null);
    List<String> problems = new ArrayList<>();
    AccountSettings settings = settings(spec, id, id.namespace(), false, config, problems);
    return finish(id, spec, settings, null, problems);
  }

  /** Lengths first, then fields this version does not know: an account is never used on half a spec. */
  private static void checkShape(AccountSpec spec, io.bucketprotection.operator.api.AccountNamespaces namespaces)
      throws InvalidSpecException {
    List<String> tooLong = SpecShape.tooLong(spec, namespaces);
    if (!tooLong.isEmpty()) {
      throw new InvalidSpecException(String.join("; ", tooLong) + ". Nothing else was checked.");
    }
    SpecShape.refuseUnknown(SpecShape.unknownFields(spec, namespaces), "The account is not used");
  }

  private static Account finish(AccountId id, AccountSpec spec, AccountSettings settings, Account.Admission admission,
      List<String> problems) throws InvalidSpecException {
    List<BucketGlob> globs = new ArrayList<>();
    if (spec.getBuckets() == null || spec.getBuckets().isEmpty()) {
      problems.add("spec.buckets needs at least one bucket-name glob (write [\"*\"] to mean every bucket)");
    } else {
      for (String glob : spec.getBuckets()) {
        try {
          globs.add(BucketGlob.parse(glob));
        } catch (IllegalArgumentException e) {
          problems.add("spec.buckets: " + e.getMessage());
        }
      }
    }
    boolean allow = "Allow".equals(spec.getWeakening());
    if (spec.getWeakening() != null && !allow && !"Deny".equals(spec.getWeakening())) {
      problems.add("spec.weakening must be Deny or Allow, not '" + spec.getWeakening() + "'");
    }
    boolean deletion = "Allow".equals(spec.getVersionDeletion());
    if (spec.getVersionDeletion() != null && !deletion && !"Deny".equals(spec.getVersionDeletion())) {
      problems.add("spec.versionDeletion must be Deny or Allow, not '" + spec.getVersionDeletion() + "'");
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(String.join("; ", problems) + ".");
    }
    return new Account(id, settings, List.copyOf(globs), allow, admission, deletion);
  }

  /**
   * @param secretsNamespace where this account's Kubernetes Secrets are read
   * @param cluster a ClusterS3Account: any endpoint, Secrets Manager and the operator's identity
   */
  private static AccountSettings settings(AccountSpec spec, AccountId id, String secretsNamespace, boolean cluster,
      OperatorConfig config, List<String> problems) {
    URI endpoint = SettingsRules.resolvedEndpoint(spec.getEndpoint(), "spec.endpoint", config, !cluster, problems);
    if (spec.getRegion() != null) {
      SettingsRules.regionProblem(spec.getRegion(), "spec.region").ifPresent(problems::add);
    }
    SettingsRules.ownerProblem(spec.getExpectedBucketOwner(), "spec.expectedBucketOwner").ifPresent(problems::add);
    SecretSource credentials = credentials(spec.getCredentials(), secretsNamespace, cluster, problems);
    ObserverIdentity observer = observer(spec, secretsNamespace, cluster, problems);
    if (spec.getCredentials() == null && spec.getObserver() == null) {
      problems.add("spec needs credentials (the root keys, for coded writes), observer (the identity for reads and"
          + " writes that need no code), or both");
    }
    List<AccountSettings.MfaSettings> devices = devices(spec, id, secretsNamespace, cluster, problems);
    String owner = spec.getExpectedBucketOwner();
    Set<String> accounts = new TreeSet<>();
    devices.forEach(device -> SettingsRules.arnAccount(device.serialNumber()).ifPresent(accounts::add));
    if (accounts.size() > 1) {
      // At any endpoint: the ownership proof then holds for every device of a pool or for none.
      problems.add("spec.mfaDevices name devices of " + accounts.size() + " AWS accounts (" + String.join(", ", accounts)
          + "): a pool's devices all belong to the root user of the account whose buckets they protect");
      return new AccountSettings(endpoint, spec.getRegion(), credentials, owner, null, observer, devices);
    }
    for (AccountSettings.MfaSettings device : devices) {
      // Every serial of a pool must name the account whose buckets its codes are spent on.
      owner = SettingsRules.expectedOwner(owner, device, endpoint, config, "spec.expectedBucketOwner", problems);
    }
    return new AccountSettings(endpoint, spec.getRegion(), credentials, owner, null, observer, devices);
  }

  /** spec.mfa (one device) or spec.mfaDevices (a pool of 1 to 8), never both; serials differ. */
  private static List<AccountSettings.MfaSettings> devices(AccountSpec spec, AccountId id, String secretsNamespace,
      boolean cluster, List<String> problems) {
    if (spec.getMfa() != null && spec.getMfaDevices() != null) {
      problems.add("spec.mfa and spec.mfaDevices both name MFA devices: keep one (spec.mfa is the one-device form of"
          + " spec.mfaDevices)");
      return List.of();
    }
    if (spec.getMfa() != null) {
      return List.of(SettingsRules.mfa(spec.getMfa(), "spec.mfa", secretsNamespace, cluster, id.toString(),
          CodeHolder.of(id), problems));
    }
    List<MfaSpec> pool = spec.getMfaDevices();
    if (pool == null) {
      return List.of();
    }
    if (pool.isEmpty() || pool.size() > Limits.MFA_DEVICES) {
      problems.add("spec.mfaDevices must list 1 to " + Limits.MFA_DEVICES + " devices (AWS lets the root user"
          + " register up to 8), not " + pool.size());
      return List.of();
    }
    List<AccountSettings.MfaSettings> devices = new ArrayList<>();
    Set<String> serials = new HashSet<>();
    for (int i = 0; i < pool.size(); i++) {
      String path = "spec.mfaDevices[" + i + "]";
      if (pool.get(i) == null) {
        problems.add(path + " is empty");
        continue;
      }
      AccountSettings.MfaSettings device = SettingsRules.mfa(pool.get(i), path, secretsNamespace, cluster,
          id.toString(), CodeHolder.of(id), problems);
      if (device.serialNumber() != null && !serials.add(device.serialNumber())) {
        problems.add(path + ".serialNumber names a device listed before it: each device of a pool once");
      }
      devices.add(device);
    }
    return devices;
  }

  /**
   * spec.observer, or the deprecated credentials.operatorIdentity, which means the same. A
   * tenant's S3Account may only name a Secret of its namespace: the operator's identity and the
   * roles it may assume are an admin's to lend.
   */
  private static ObserverIdentity observer(AccountSpec spec, String secretsNamespace, boolean cluster,
      List<String> problems) {
    boolean deprecated = spec.getCredentials() != null && spec.getCredentials().getOperatorIdentity() != null;
    ObserverSpec observer = spec.getObserver();
    if (observer == null) {
      return deprecated ? new ObserverIdentity.OperatorChain() : null;
    }
    if (deprecated) {
      problems.add("spec.credentials.operatorIdentity (deprecated) means spec.observer.operatorIdentity: give only"
          + " spec.observer");
      return null;
    }
    int given = (observer.getOperatorIdentity() != null ? 1 : 0) + (observer.getAssumeRole() != null ? 1 : 0)
        + (observer.getSecretRef() != null ? 1 : 0);
    if (given != 1) {
      problems.add("spec.observer needs exactly one of operatorIdentity, assumeRole or secretRef");
      return null;
    }
    if (observer.getSecretRef() != null) {
      ObserverSecretReference ref = observer.getSecretRef();
      if (SettingsRules.isBlank(ref.getName())) {
        problems.add("spec.observer.secretRef needs a name");
        return null;
      }
      return new ObserverIdentity.Keys(new SecretSource.KubernetesSecret(secretsNamespace, ref.getName(), null),
          SettingsRules.isBlank(ref.getAccessKeyIdKey()) ? ObserverIdentity.DEFAULT_ACCESS_KEY_ID_KEY
              : ref.getAccessKeyIdKey(),
          SettingsRules.isBlank(ref.getSecretAccessKeyKey()) ? ObserverIdentity.DEFAULT_SECRET_ACCESS_KEY_KEY
              : ref.getSecretAccessKeyKey());
    }
    if (!cluster) {
      problems.add("an S3Account's observer reads its keys from a Secret in its own namespace"
          + " (spec.observer.secretRef): the operator's identity and the roles it may assume are an admin's to lend,"
          + " through a ClusterS3Account");
      return null;
    }
    if (observer.getOperatorIdentity() != null) {
      return new ObserverIdentity.OperatorChain();
    }
    AssumeRoleSpec role = observer.getAssumeRole();
    if (role.getRoleArn() == null || !ROLE_ARN.matcher(role.getRoleArn()).matches()) {
      problems.add("spec.observer.assumeRole.roleArn must be a role ARN, arn:aws:iam::<account>:role/<name>");
      return null;
    }
    if (role.getExternalId() != null && !EXTERNAL_ID.matcher(role.getExternalId()).matches()) {
      problems.add("spec.observer.assumeRole.externalId must be 2 to 1224 of the characters STS allows");
      return null;
    }
    return new ObserverIdentity.AssumedRole(role.getRoleArn(), role.getExternalId());
  }

  /**
   * The root keys: exactly one source. Null: none (left out, or the deprecated operatorIdentity,
   * which names an observer, not root keys).
   */
  private static SecretSource credentials(AccountCredentials source, String secretsNamespace, boolean cluster,
      List<String> problems) {
    if (source == null) {
      return null;
    }
    int given = (source.getSecretRef() != null ? 1 : 0) + (source.getSecretsManager() != null ? 1 : 0)
        + (source.getOperatorIdentity() != null ? 1 : 0);
    if (given != 1) {
      // Also an emptied block (a real API server prunes fields it does not know): never a fallback.
      problems.add("spec.credentials needs exactly one of secretRef, secretsManager or operatorIdentity");
      return null;
    }
    if (source.getSecretRef() != null) {
      if (SettingsRules.isBlank(source.getSecretRef().getName())) {
        problems.add("spec.credentials.secretRef needs a name");
        return null;
      }
      return new SecretSource.KubernetesSecret(secretsNamespace, source.getSecretRef().getName(), null);
    }
    if (!cluster) {
      problems.add("an S3Account reads its keys from a Secret in its own namespace (spec.credentials.secretRef):"
          + " Secrets Manager and the operator's identity are an admin's to lend, through a ClusterS3Account");
      return null;
    }
    return source.getSecretsManager() != null
        ? SettingsRules.secretsManager(source.getSecretsManager(), "spec.credentials.secretsManager", problems)
        : null;
  }

  private static final Pattern ROLE_ARN = Pattern.compile(AssumeRoleSpec.ROLE_ARN_PATTERN);
  private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9+=,.@:/_-]{2,1224}");
}
