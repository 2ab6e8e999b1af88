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
@AdditionalPrinterColumn(name = "Bucket", jsonPath = ".spec.bucket",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Versioning", jsonPath = ".status.versioning",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "MFA-Delete", jsonPath = ".status.mfaDelete",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class BucketProtection extends CustomResource<BucketProtectionSpec, BucketProtectionStatus>
    implements Namespaced {

  public static final String GROUP = "bucketprotection.io";
  public static final String VERSION = "v1alpha1";
}
