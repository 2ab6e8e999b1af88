package io.bucketprotection.operator.spec;

import io.bucketprotection.operator.api.AccountCredentials;
import io.bucketprotection.operator.api.AccountNamespaces;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.AccountSpec;
import io.bucketprotection.operator.api.BucketProtectionPolicySpec;
import io.bucketprotection.operator.api.BucketProtectionSpec;
import io.bucketprotection.operator.api.CredentialsSource;
import io.bucketprotection.operator.api.Limits;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.ObserverSpec;
import io.bucketprotection.operator.api.PolicySelector;
import io.bucketprotection.operator.api.PolicyTemplate;
import io.bucketprotection.operator.api.SecretKeyReference;
import io.bucketprotection.operator.api.SecretReference;
import io.bucketprotection.operator.api.SecretsManagerReference;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.bucketprotection.operator.api.UnknownFields;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The first look at a spec, before any pattern, parse or rule: every string within its limit
 * ({@link Limits}, the same ones the CRDs carry), every list within its size, and the names of
 * the fields this operator version does not know. Plain loops over bounded data: whatever the
 * input, this never throws.
 */
final class SpecShape {

  private SpecShape() {
  }

  /** Strings and lists past their limits, as "spec.x is N characters long, more than M". */
  static List<String> tooLong(BucketProtectionSpec spec) {
    List<String> problems = new ArrayList<>();
    check(problems, "spec.bucket", spec.getBucket(), Limits.BUCKET);
    check(problems, "spec.versioning", spec.getVersioning(), Limits.ENUM);
    check(problems, "spec.mfaDelete", spec.getMfaDelete(), Limits.ENUM);
    check(problems, "spec.mode", spec.getMode(), Limits.ENUM);
    check(problems, "spec.region", spec.getRegion(), Limits.REGION);
    check(problems, "spec.endpoint", spec.getEndpoint(), Limits.ENDPOINT);
    check(problems, "spec.expectedBucketOwner", spec.getExpectedBucketOwner(), Limits.ACCOUNT_ID);
    check(problems, "spec.checkInterval", spec.getCheckInterval(), Limits.DURATION);
    AccountReference ref = spec.getAccountRef();
    if (ref != null) {
      check(problems, "spec.accountRef.kind", ref.getKind(), Limits.ENUM);
      check(problems, "spec.accountRef.name", ref.getName(), Limits.NAME);
    }
    CredentialsSource credentials = spec.getCredentials();
    if (credentials != null) {
      secretRef(problems, "spec.credentials.secretRef", credentials.getSecretRef());
      secretsManager(problems, "spec.credentials.secretsManager", credentials.getSecretsManager());
    }
    mfa(problems, "spec.mfa", spec.getMfa());
    return problems;
  }

  static List<String> tooLong(AccountSpec spec, AccountNamespaces namespaces) {
    List<String> problems = new ArrayList<>();
    check(problems, "spec.endpoint", spec.getEndpoint(), Limits.ENDPOINT);
    check(problems, "spec.region", spec.getRegion(), Limits.REGION);
    check(problems, "spec.expectedBucketOwner", spec.getExpectedBucketOwner(), Limits.ACCOUNT_ID);
    check(problems, "spec.weakening", spec.getWeakening(), Limits.ENUM);
    AccountCredentials credentials = spec.getCredentials();
    if (credentials != null) {
      secretRef(problems, "spec.credentials.secretRef", credentials.getSecretRef());
      secretsManager(problems, "spec.credentials.secretsManager", credentials.getSecretsManager());
    }
    ObserverSpec observer = spec.getObserver();
    if (observer != null) {
      if (observer.getAssumeRole() != null) {
        check(problems, "spec.observer.assumeRole.roleArn", observer.getAssumeRole().getRoleArn(), Limits.ROLE_ARN);
        check(problems, "spec.observer.assumeRole.externalId", observer.getAssumeRole().getExternalId(),
            Limits.EXTERNAL_ID);
      }
      if (observer.getSecretRef() != null) {
        check(problems, "spec.observer.secretRef.name", observer.getSecretRef().getName(), Limits.NAME);
        check(problems, "spec.observer.secretRef.accessKeyIdKey", observer.getSecretRef().getAccessKeyIdKey(),
            Limits.NAME);
        check(problems, "spec.observer.secretRef.secretAccessKeyKey",
            observer.getSecretRef().getSecretAccessKeyKey(), Limits.NAME);
      }
    }
    mfa(problems, "spec.mfa", spec.getMfa());
    list(problems, "spec.buckets", spec.getBuckets(), Limits.BUCKET_GLOBS, Limits.BUCKET_GLOB);
    if (namespaces != null) {
      list(problems, "spec.namespaces.names", namespaces.getNames(), Limits.NAMESPACES, Limits.NAMESPACE);
      selector(problems, "spec.namespaces.selector", namespaces.getSelector());
    }
    return problems;
  }

  static List<String> tooLong(BucketProtectionPolicySpec spec) {
    List<String> problems = new ArrayList<>();
    check(problems, "spec.scanInterval", spec.getScanInterval(), Limits.DURATION);
    AccountReference ref = spec.getAccountRef();
    if (ref != null) {
      check(problems, "spec.accountRef.kind", ref.getKind(), Limits.ENUM);
      check(problems, "spec.accountRef.name", ref.getName(), Limits.NAME);
    }
    PolicySelector selector = spec.getSelector();
    if (selector != null) {
      list(problems, "spec.selector.include", selector.getInclude(), Limits.BUCKET_GLOBS, Limits.BUCKET_GLOB);
      list(problems, "spec.selector.exclude", selector.getExclude(), Limits.BUCKET_GLOBS, Limits.BUCKET_GLOB);
    }
    PolicyTemplate template = spec.getTemplate();
    if (template != null) {
      check(problems, "spec.template.versioning", template.getVersioning(), Limits.ENUM);
      check(problems, "spec.template.mfaDelete", template.getMfaDelete(), Limits.ENUM);
      check(problems, "spec.template.mode", template.getMode(), Limits.ENUM);
      check(problems, "spec.template.checkInterval", template.getCheckInterval(), Limits.DURATION);
      check(problems, "spec.template.region", template.getRegion(), Limits.REGION);
    }
    return problems;
  }

  static List<String> unknownFields(BucketProtectionPolicySpec spec) {
    List<String> unknown = new ArrayList<>();
    add(unknown, "spec", spec);
    add(unknown, "spec.accountRef", spec.getAccountRef());
    add(unknown, "spec.selector", spec.getSelector());
    add(unknown, "spec.template", spec.getTemplate());
    return unknown;
  }

  /** Throws when {@code unknown} is not empty, naming the fields and what the user can do. */
  static void refuseUnknown(List<String> unknown, String consequence) throws UnsupportedFieldsException {
    if (!unknown.isEmpty()) {
      throw new UnsupportedFieldsException("The spec has fields this operator version does not know: "
          + String.join(", ", unknown) + " (the CRD is newer than the operator). " + consequence
          + " until the operator is upgraded or the fields are removed.");
    }
  }

  /** The fields this version does not know, with their paths ("spec.mfa.futureField"). */
  static List<String> unknownFields(BucketProtectionSpec spec) {
    List<String> unknown = new ArrayList<>();
    add(unknown, "spec", spec);
    add(unknown, "spec.accountRef", spec.getAccountRef());
    if (spec.getCredentials() != null) {
      add(unknown, "spec.credentials", spec.getCredentials());
      add(unknown, "spec.credentials.secretRef", spec.getCredentials().getSecretRef());
      add(unknown, "spec.credentials.secretsManager", spec.getCredentials().getSecretsManager());
    }
    mfaUnknown(unknown, spec.getMfa());
    return unknown;
  }

  static List<String> unknownFields(AccountSpec spec, AccountNamespaces namespaces) {
    List<String> unknown = new ArrayList<>();
    add(unknown, "spec", spec);
    if (spec.getCredentials() != null) {
      add(unknown, "spec.credentials", spec.getCredentials());
      add(unknown, "spec.credentials.secretRef", spec.getCredentials().getSecretRef());
      add(unknown, "spec.credentials.secretsManager", spec.getCredentials().getSecretsManager());
      add(unknown, "spec.credentials.operatorIdentity", spec.getCredentials().getOperatorIdentity());
    }
    if (spec.getObserver() != null) {
      add(unknown, "spec.observer", spec.getObserver());
      add(unknown, "spec.observer.operatorIdentity", spec.getObserver().getOperatorIdentity());
      add(unknown, "spec.observer.assumeRole", spec.getObserver().getAssumeRole());
      add(unknown, "spec.observer.secretRef", spec.getObserver().getSecretRef());
    }
    mfaUnknown(unknown, spec.getMfa());
    add(unknown, "spec.namespaces", namespaces);
    return unknown;
  }

  private static void mfaUnknown(List<String> unknown, MfaSpec mfa) {
    if (mfa == null) {
      return;
    }
    add(unknown, "spec.mfa", mfa);
    TotpSeedSource seed = mfa.getTotpSeed();
    if (seed != null) {
      add(unknown, "spec.mfa.totpSeed", seed);
      add(unknown, "spec.mfa.totpSeed.secretKeyRef", seed.getSecretKeyRef());
      add(unknown, "spec.mfa.totpSeed.secretsManager", seed.getSecretsManager());
    }
  }

  private static void add(List<String> unknown, String path, UnknownFields part) {
    if (part != null) {
      part.unknownFields().forEach(name -> unknown.add(path + "." + (name.length() > Limits.NAME
          ? name.substring(0, Limits.NAME) + "…" : name)));
    }
  }

  private static void mfa(List<String> problems, String path, MfaSpec mfa) {
    if (mfa == null) {
      return;
    }
    check(problems, path + ".serialNumber", mfa.getSerialNumber(), Limits.SERIAL_NUMBER);
    TotpSeedSource seed = mfa.getTotpSeed();
    if (seed != null) {
      SecretKeyReference ref = seed.getSecretKeyRef();
      if (ref != null) {
        check(problems, path + ".totpSeed.secretKeyRef.name", ref.getName(), Limits.NAME);
        check(problems, path + ".totpSeed.secretKeyRef.key", ref.getKey(), Limits.NAME);
      }
      secretsManager(problems, path + ".totpSeed.secretsManager", seed.getSecretsManager());
    }
  }

  private static void secretRef(List<String> problems, String path, SecretReference ref) {
    if (ref != null) {
      check(problems, path + ".name", ref.getName(), Limits.NAME);
    }
  }

  private static void secretsManager(List<String> problems, String path, SecretsManagerReference ref) {
    if (ref != null) {
      check(problems, path + ".secretId", ref.getSecretId(), Limits.SECRET_ID);
      check(problems, path + ".key", ref.getKey(), Limits.JSON_KEY);
      check(problems, path + ".region", ref.getRegion(), Limits.REGION);
    }
  }

  private static void selector(List<String> problems, String path, LabelSelector selector) {
    if (selector == null) {
      return;
    }
    Map<String, String> labels = selector.getMatchLabels();
    if (labels != null) {
      if (labels.size() > Limits.LABEL_ENTRIES) {
        problems.add(path + ".matchLabels has " + labels.size() + " entries, more than " + Limits.LABEL_ENTRIES);
      } else {
        labels.forEach((key, value) -> {
          check(problems, path + ".matchLabels key", key, Limits.LABEL_KEY);
          check(problems, path + ".matchLabels value", value, Limits.LABEL_VALUE);
        });
      }
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    if (expressions != null) {
      if (expressions.size() > Limits.LABEL_ENTRIES) {
        problems.add(path + ".matchExpressions has " + expressions.size() + " entries, more than "
            + Limits.LABEL_ENTRIES);
        return;
      }
      for (LabelSelectorRequirement requirement : expressions) {
        check(problems, path + ".matchExpressions[].key", requirement.getKey(), Limits.LABEL_KEY);
        check(problems, path + ".matchExpressions[].operator", requirement.getOperator(), Limits.ENUM);
        list(problems, path + ".matchExpressions[].values", requirement.getValues(), Limits.LABEL_ENTRIES,
            Limits.LABEL_VALUE);
      }
    }
  }

  private static void list(List<String> problems, String path, List<String> values, int maxItems, int maxLength) {
    if (values == null) {
      return;
    }
    if (values.size() > maxItems) {
      problems.add(path + " has " + values.size() + " entries, more than " + maxItems);
      return;
    }
    for (String value : values) {
      check(problems, path + "[]", value, maxLength);
    }
  }

  private static void check(List<String> problems, String path, String value, int max) {
    if (value != null && value.length() > max) {
      problems.add(path + " is " + value.length() + " characters long, more than " + max);
    }
  }
}
