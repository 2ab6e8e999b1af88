package io.bucketprotection.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** A namespace's own S3 account: usable only by BucketProtections in its namespace. */
@Group(BucketProtection.GROUP)
@Version(BucketProtection.VERSION)
@Plural("s3accounts")
// The generator orders columns by JSON path; CrdFinisher.COLUMNS puts them in this order.
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".spec.endpoint", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "The account's S3 endpoint; empty: the operator's default (AWS, or AWS_ENDPOINT_URL_S3).")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "True: the spec is valid and the secrets resolve; BucketProtections use the account only then.")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Why Ready is what it is (SecretsResolved, SecretNotFound, InvalidSpec, ...).")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE, getDescription = "Time since the account was created.")
public class S3Account extends CustomResource<S3AccountSpec, AccountStatus> implements Namespaced {

  public static final String KIND = "S3Account";
}
