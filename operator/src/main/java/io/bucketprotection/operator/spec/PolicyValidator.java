package io.bucketprotection.operator.spec;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.BucketProtectionPolicySpec;
import io.bucketprotection.operator.api.BucketProtectionSpec;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.PolicyTemplate;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.Durations;
import io.bucketprotection.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks a BucketProtectionPolicy: its own fields, and its template exactly as a BucketProtection's
 * spec is checked (through {@link SpecValidator}, on the child the template makes). Never throws
 * anything but the two spec exceptions, whatever the input.
 */
public final class PolicyValidator {

  /** scanInterval's floor: ListBuckets is cheap, but not free, and AWS throttles it. */
  public static final Duration MIN_SCAN_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofMinutes(10);
  /** A label value: the policy's name is on every child. */
  static final int MAX_POLICY_NAME = 63;
  /** A name S3 accepts, for checking the template on its own. */
  private static final String SAMPLE_BUCKET = "template-check";

  private PolicyValidator() {
  }

  public static Policy validate(BucketProtectionPolicy policy, OperatorConfig config)
      throws InvalidSpecException {
    BucketProtectionPolicySpec spec = policy.getSpec();
    if (spec == null) {
      throw new InvalidSpecException("The policy has no spec.");
    }
    List<String> tooLong = SpecShape.tooLong(spec);
    if (!tooLong.isEmpty()) {
      throw new InvalidSpecException(String.join("; ", tooLong) + ". Nothing else was checked.");
    }
    SpecShape.refuseUnknown(SpecShape.unknownFields(spec), "The policy lists nothing and changes no child");
    List<String> problems = new ArrayList<>();
    String name = policy.getMetadata().getName();
    if (name == null || name.length() > MAX_POLICY_NAME) {
      problems.add("the policy's name must be at most " + MAX_POLICY_NAME + " characters (it is the label"
          + " bucketprotection.io/policy on every child)");
    }
    AccountId account = null;
    AccountReference ref = spec.getAccountRef();
    if (ref == null || ref.getKind() == null || ref.getName() == null) {
      problems.add("spec.accountRef (kind and name) is required: a policy lists an account's buckets");
    } else if (ClusterS3Account.KIND.equals(ref.getKind())) {
      account = AccountId.cluster(ref.getName());
    } else if (S3Account.KIND.equals(ref.getKind())) {
      account = AccountId.namespaced(policy.getMetadata().getNamespace(), ref.getName());
    } else {
      problems.add("spec.accountRef.kind must be ClusterS3Account or S3Account, not '" + ref.getKind() + "'");
    }
    List<BucketGlob> include = globs("spec.selector.include", spec.getSelector() == null ? null
        : spec.getSelector().getInclude(), problems);
    if (include.isEmpty() && problems.stream().noneMatch(p -> p.startsWith("spec.selector.include"))) {
      problems.add("spec.selector.include must list at least one bucket-name glob (\"*\" for all)");
    }
    List<BucketGlob> exclude = globs("spec.selector.exclude", spec.getSelector() == null ? null
        : spec.getSelector().getExclude(), problems);
    Duration scanInterval = DEFAULT_SCAN_INTERVAL;
    if (spec.getScanInterval() != null) {
      try {
        scanInterval = Durations.parse(spec.getScanInterval());
        if (scanInterval.compareTo(MIN_SCAN_INTERVAL) < 0) {
          problems.add("spec.scanInterval must be at least 1m, not " + spec.getScanInterval());
        }
      } catch (IllegalArgumentException e) {
        problems.add("spec.scanInterval: " + e.getMessage());
      }
    }
    PolicyTemplate template = spec.getTemplate();
    if (template == null) {
      problems.add("spec.template is required (at least versioning)");
    } else if (account != null) {
      try {
        SpecValidator.validate(child(policy, SAMPLE_BUCKET, null), config);
      } catch (InvalidSpecException e) {
        problems.add("spec.template: " + e.getMessage().replace("spec.", "spec.template."));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException("Invalid spec: " + String.join("; ", problems) + ".");
    }
    return new Policy(account, include, exclude, scanInterval);
  }

  private static List<BucketGlob> globs(String path, List<String> texts, List<String> problems) {
    List<BucketGlob> globs = new ArrayList<>();
    if (texts == null) {
      return globs;
    }
    for (String text : texts) {
      try {
        globs.add(BucketGlob.parse(Objects.requireNonNull(text, "null")));
      } catch (IllegalArgumentException | NullPointerException e) {
        problems.add(path + ": " + e.getMessage());
      }
    }
    return globs;
  }

  /**
   * The child BucketProtection the template makes for {@code bucket} (spec only; the caller names
   * it and sets its labels and owner).
   *
   * @param listedRegion the region ListBuckets gave for the bucket, or null
   */
  public static BucketProtection child(BucketProtectionPolicy policy, String bucket, String listedRegion) {
    PolicyTemplate template = policy.getSpec().getTemplate();
    BucketProtectionSpec spec = new BucketProtectionSpec();
    spec.setBucket(bucket);
    spec.setVersioning(template.getVersioning());
    spec.setMfaDelete(template.getMfaDelete());
    spec.setMode(template.getMode());
    spec.setCheckInterval(template.getCheckInterval());
    spec.setRegion(template.getRegion() != null ? template.getRegion() : listedRegion);
    AccountReference ref = policy.getSpec().getAccountRef();
    spec.setAccountRef(new AccountReference(ref.getKind(), ref.getName()));
    BucketProtection child = new BucketProtection();
    child.setMetadata(new ObjectMetaBuilder().withNamespace(policy.getMetadata().getNamespace()).build());
    child.setSpec(spec);
    return child;
  }

  /** A valid policy, in the operator's types. */
  public record Policy(AccountId account, List<BucketGlob> include, List<BucketGlob> exclude, Duration scanInterval) {

    public Policy {
      include = List.copyOf(include);
      exclude = List.copyOf(exclude);
    }

    /** Whether the selector covers {@code bucket} (the account's globs are checked apart). */
    public boolean selects(String bucket) {
      return include.stream().anyMatch(g -> g.matches(bucket)) && exclude.stream().noneMatch(g -> g.matches(bucket));
    }
  }
}
