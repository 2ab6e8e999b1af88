package io.bucketprotection.operator.check;

import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.deletion.Approval;
import io.bucketprotection.operator.deletion.DeletionSpec;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * An ObjectVersionDeletion of the input: validated with the operator's own {@link DeletionSpec}
 * (a manifest has no metadata.generation, so only the spec is judged), bound to a trusted account
 * for its bucket and for its manifest's bucket as the operator binds it before every batch, and
 * refused where that account says versionDeletion: Deny. Nothing is read for it, online or not:
 * the check never reads a manifest or looks for the versions, and a merge deletes nothing until
 * the account carries the request's approval, which the notes say how to give.
 */
final class DeletionCheck {

  static final String KIND = ObjectVersionDeletion.KIND;

  private DeletionCheck() {
  }

  static CheckResult check(Manifest manifest, InputAccounts accounts) {
    ObjectVersionDeletion request = (ObjectVersionDeletion) manifest.object();
    DeletionSpec spec;
    try {
      spec = DeletionSpec.validate(request);
    } catch (InvalidSpecException e) {
      return CheckResult.refused(manifest, null, Reason.InvalidSpec.name(), e.getMessage());
    }
    String namespace = request.getMetadata().getNamespace();
    InputAccounts.BoundAccount bound = accounts.bindAccount(namespace, spec.account(), spec.bucket());
    if (bound.account() != null && spec.manifest() != null) {
      InputAccounts.BoundAccount manifestBucket = accounts.bindAccount(namespace, spec.account(),
          spec.manifest().bucket());
      if (manifestBucket.account() == null) {
        bound = new InputAccounts.BoundAccount(null, manifestBucket.reason(), "spec.manifest.bucket: "
            + manifestBucket.message(), List.of());
      }
    }
    if (bound.account() == null) {
      return CheckResult.refused(manifest, new CheckResult.Target(spec.bucket(), null, null, null), bound.reason(),
          bound.message() + " Nothing would be deleted.");
    }
    Account account = bound.account();
    CheckResult.Target target = new CheckResult.Target(spec.bucket(), new CheckResult.Route(account.id().toString(),
        account.settings().endpoint() == null ? null : account.settings().endpoint().toString(),
        account.settings().region()), null, null);
    CheckResult.Subject subject = CheckResult.Subject.of(manifest);
    if (!account.versionDeletionAllowed()) {
      return new CheckResult(subject, target, CheckResult.Plan.refused(Reason.VersionDeletionDenied.name(),
          account.id() + " says versionDeletion: Deny (the default): no version is deleted through it. Its owner may"
              + " set versionDeletion: Allow, and each request still needs its own approval annotation on the"
              + " account. Nothing was read or deleted.", bound.notes()));
    }
    List<String> notes = new ArrayList<>(bound.notes());
    notes.add(what(spec) + " once approved, and not before: " + Approval.command(spec.account(), named(request))
        + " (the uid is the request's, once created; its status prints the command with it).");
    notes.add("Nothing was read for it: the check does not look for the versions"
        + (spec.manifest() == null ? "" : " or read the manifest") + ".");
    return new CheckResult(subject, target, CheckResult.Plan.notObserved(notes));
  }

  /** "3 listed versions of bucket b would be deleted permanently", or the manifest's words. */
  private static String what(DeletionSpec spec) {
    if (spec.versions() != null) {
      int n = spec.versions().size();
      return n + (n == 1 ? " listed version" : " listed versions") + " of bucket " + spec.bucket()
          + " would be deleted permanently";
    }
    return "The versions listed in s3://" + spec.manifest().bucket() + "/" + spec.manifest().key() + " (counted"
        + " when the operator pins it) would be deleted permanently from bucket " + spec.bucket();
  }

  /** The request as the approval command names it, its uid not known before it is created. */
  private static ObjectVersionDeletion named(ObjectVersionDeletion request) {
    ObjectVersionDeletion named = new ObjectVersionDeletion();
    named.setMetadata(new ObjectMetaBuilder().withNamespace(request.getMetadata().getNamespace())
        .withName(request.getMetadata().getName()).withUid("<its uid>").build());
    return named;
  }
}
