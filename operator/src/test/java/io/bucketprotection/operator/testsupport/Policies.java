package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.BucketProtectionPolicySpec;
import io.bucketprotection.operator.api.PolicySelector;
import io.bucketprotection.operator.api.PolicyTemplate;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/** BucketProtectionPolicies for tests. */
public final class Policies {

  private Policies() {
  }

  /**
   * A policy through the ClusterS3Account {@code account}: versioning Enabled, children checked
   * every hour, scanned every minute (the least).
   */
  public static BucketProtectionPolicy policy(String namespace, String name, String account, List<String> include,
      List<String> exclude) {
    BucketProtectionPolicy policy = new BucketProtectionPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    BucketProtectionPolicySpec spec = new BucketProtectionPolicySpec();
    spec.setAccountRef(new AccountReference("ClusterS3Account", account));
    spec.setSelector(new PolicySelector(include, exclude));
    PolicyTemplate template = new PolicyTemplate();
    template.setVersioning("Enabled");
    template.setCheckInterval("1h");
    spec.setTemplate(template);
    spec.setScanInterval("1m");
    policy.setSpec(spec);
    return policy;
  }
}
