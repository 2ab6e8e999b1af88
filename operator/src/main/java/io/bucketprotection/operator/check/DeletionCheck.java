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
 * refused where that account says versionDeletion: Deny. Unless --offline, and only at an allowed
 * endpoint, a request the account allows is previewed ({@link DeletionPreview}): how many of its
 * versions exist, are delete markers or are missing. Either way a merge deletes nothing until the
 * account carries the request's approval, which the notes say how to give.
 */
final class DeletionCheck {

  static final String KIND = ObjectVersionDeletion.KIND;

  /** Why a preview may be refused access: the reads are this environment's, not the operator's. */
  static final String CREDENTIALS = "The preview reads with this environment's AWS credentials, not the operator's:"
      + " they need s3:GetBucketVersioning on the bucket, s3:GetObjectVersion on its objects (and s3:ListBucket:"
      + " without it AWS answers a missing object with AccessDenied), and s3:GetObject and s3:GetObjectVersion on"
      + " the manifest.";

  private DeletionCheck() {
  }

  /** @param preview null for --offline: nothing is read */
  static CheckResult check(Manifest manifest, InputAccounts accounts, DeletionPreview preview) {
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
    String approval = " once approved, and not before: " + Approval.command(spec.account(), named(request))
        + " (the uid is the request's, once created; its status prints the command with it).";
    if (preview == null) {
      notes.add(what(spec, null) + approval);
      notes.add("Nothing was read for it (--offline): neither the manifest nor the versions.");
      return new CheckResult(subject, target, CheckResult.Plan.notObserved(notes));
    }
    String notAllowed = preview.refusal(account);
    if (notAllowed != null) {
      return new CheckResult(subject, target, CheckResult.Plan.refused(CheckResult.ENDPOINT_NOT_ALLOWED, notAllowed,
          notes));
    }
    DeletionPreview.Found found = preview.run(account, spec);
    if (found.problem() != null) {
      if (found.problem().reason() == Reason.AccessDenied) {
        notes.add(CREDENTIALS);
      }
      return new CheckResult(subject, target, CheckResult.Plan.verdict(CheckResult.Action.REFUSED, found.problem(),
          null, notes));
    }
    VersionLookup lookup = found.lookup();
    notes.add(what(spec, lookup.listed()) + approval);
    notes.addAll(lookupNotes(lookup, preview.maxLookups()));
    return new CheckResult(subject, target, CheckResult.Plan.previewed(found.observed(), lookup, notes));
  }

  /** What the counts cannot say by themselves. */
  private static List<String> lookupNotes(VersionLookup lookup, int maxLookups) {
    List<String> notes = new ArrayList<>();
    if (lookup.sampled()) {
      notes.add("Only a sample was looked up: the first " + lookup.lookedUp() + " of the " + lookup.listed()
          + " listed versions (--max-version-lookups " + maxLookups + "); the rest may exist or not.");
    }
    if (lookup.missing() > 0) {
      notes.add("A missing version is no failure: S3 reports it deleted when the batch runs. A server that does not"
          + " tell a delete marker's version apart (RadosGW 16 answers 404 for both) counts it missing here.");
    }
    return notes;
  }

  /**
   * "3 listed versions of bucket b would be deleted permanently", or the manifest's words.
   *
   * @param listed the manifest's versions as counted by the preview, or null when it was not read
   */
  private static String what(DeletionSpec spec, Long listed) {
    if (spec.versions() != null) {
      int n = spec.versions().size();
      return n + (n == 1 ? " listed version" : " listed versions") + " of bucket " + spec.bucket()
          + " would be deleted permanently";
    }
    String versions = listed == null ? "The versions" : "The " + listed + (listed == 1 ? " version" : " versions");
    return versions + " listed in s3://" + spec.manifest().bucket() + "/" + spec.manifest().key()
        + (listed == null ? " (counted when the operator pins it)" : "") + " would be deleted permanently from bucket "
        + spec.bucket();
  }

  /** The request as the approval command names it, its uid not known before it is created. */
  private static ObjectVersionDeletion named(ObjectVersionDeletion request) {
    ObjectVersionDeletion named = new ObjectVersionDeletion();
    named.setMetadata(new ObjectMetaBuilder().withNamespace(request.getMetadata().getNamespace())
        .withName(request.getMetadata().getName()).withUid("<its uid>").build());
    return named;
  }
}
