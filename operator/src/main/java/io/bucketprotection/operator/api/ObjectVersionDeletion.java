package io.bucketprotection.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A request to delete listed object versions permanently (under MFA Delete too): asked for in Git,
 * approved on the account, carried out in batches of at most 1,000 with one code each, audited per
 * version. Its spec is immutable; once complete it never acts again.
 */
@Group(BucketProtection.GROUP)
@Version(BucketProtection.VERSION)
@Plural("objectversiondeletions")
@ShortNames("ovd")
@AdditionalPrinterColumn(name = "Bucket", jsonPath = ".spec.bucket", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "The bucket whose versions are deleted (spec.bucket).")
@AdditionalPrinterColumn(name = "Listed", jsonPath = ".status.listed", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "How many versions the request lists.")
@AdditionalPrinterColumn(name = "Deleted", jsonPath = ".status.deleted", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "How many listed versions are deleted so far (delete markers are counted apart).")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "True: every listed version is deleted. False: waiting for a person, or failed. Unknown: deleting.")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Where the request stands (AwaitingApproval, Deleting, Completed, ...); the message says what to"
        + " do.")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE, getDescription = "Time since the request was created.")
public class ObjectVersionDeletion extends CustomResource<ObjectVersionDeletionSpec, ObjectVersionDeletionStatus>
    implements Namespaced {

  public static final String KIND = "ObjectVersionDeletion";
  /**
   * The account annotation that approves one request: this prefix, the request's uid, and as value
   * the request's namespace/name.
   */
  public static final String APPROVAL_PREFIX = "approve-deletion.bucketprotection.io/";
}
