package io.bucketprotection.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A cluster admin's S3 account (cluster-scoped, like cert-manager's ClusterIssuer): its Kubernetes
 * Secrets live in the operator's cluster resource namespace, and only the namespaces it admits may
 * use it, for the buckets its globs match.
 */
@Group(BucketProtection.GROUP)
@Version(BucketProtection.VERSION)
@Plural("clusters3accounts")
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".spec.endpoint", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
public class ClusterS3Account extends CustomResource<ClusterS3AccountSpec, AccountStatus> {

  public static final String KIND = "ClusterS3Account";
}
