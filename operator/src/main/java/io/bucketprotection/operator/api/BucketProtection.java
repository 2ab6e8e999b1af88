package io.bucketprotection.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Declares the versioning and MFA Delete state one S3 bucket must have. The CRD in {@code crds/}
 * is generated from this class and the classes it references.
 */
@Group(BucketProtection.GROUP)
@Version(BucketProtection.VERSION)
@Plural("bucketprotections")
@ShortNames("bp")
// The generator orders columns by JSON path; CrdFinisher.COLUMNS puts them in this order.
@AdditionalPrinterColumn(name = "Bucket", jsonPath = ".spec.bucket", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "The S3 bucket this resource protects (spec.bucket).")
@AdditionalPrinterColumn(name = "Versioning", jsonPath = ".status.versioning",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "The bucket's versioning as last observed: Enabled, Suspended or Unversioned.")
@AdditionalPrinterColumn(name = "MFA-Delete", jsonPath = ".status.mfaDelete",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "The bucket's MFA Delete as last observed: Enabled or Disabled.")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "True: the bucket matches the spec. False: a problem, see Reason. Unknown: waiting.")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Why Ready is what it is (InSync, Applied, InvalidSpec, ...); the condition's message says"
        + " what to do.")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE, getDescription = "Time since the resource was created.")
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.mode", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1, getDescription = "Enforce (writes the bucket, puts drift back) or Observe (only reports).")
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".spec.endpoint", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "The S3 endpoint the spec names; empty: the account's, else the operator's default.")
public class BucketProtection extends CustomResource<BucketProtectionSpec, BucketProtectionStatus>
    implements Namespaced {

  public static final String GROUP = "bucketprotection.io";
  public static final String VERSION = "v1alpha1";
  /**
   * The annotation that, set to the resource's own bucket, is one of the two keys a weakening
   * needs (the other is the account's weakening: Allow).
   */
  public static final String ALLOW_WEAKENING = "bucketprotection.io/allow-weakening";
}
