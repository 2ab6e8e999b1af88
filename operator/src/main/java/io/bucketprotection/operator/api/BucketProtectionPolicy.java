package io.bucketprotection.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A fleet rule: every bucket of an account whose name matches gets a child BucketProtection in the
 * policy's namespace, including buckets created after the policy.
 */
@Group(BucketProtection.GROUP)
@Version(BucketProtection.VERSION)
@Plural("bucketprotectionpolicies")
@ShortNames("bpp")
// The generator orders columns by JSON path; CrdFinisher.COLUMNS puts them in this order.
@AdditionalPrinterColumn(name = "Matched", jsonPath = ".status.matched", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Buckets the last scan found matching the selector (and the account's globs).")
@AdditionalPrinterColumn(name = "Protected", jsonPath = ".status.ready", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Children whose Ready condition is True.")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "True: the last scan succeeded and every child is Ready.")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Why Ready is what it is (AllProtected, ChildrenNotReady, NamespaceNotAllowed, ...).")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE, getDescription = "Time since the policy was created.")
public class BucketProtectionPolicy extends CustomResource<BucketProtectionPolicySpec, BucketProtectionPolicyStatus>
    implements Namespaced {

  public static final String KIND = "BucketProtectionPolicy";
  /** On every child: the name of the policy that keeps it. */
  public static final String POLICY_LABEL = "bucketprotection.io/policy";
}
