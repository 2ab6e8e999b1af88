package io.bucketprotection.operator.deletion;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.Limits;
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.api.ObjectVersionDeletionSpec;
import io.bucketprotection.operator.api.UnknownFields;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.SpecValidator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A valid ObjectVersionDeletion in the operator's own types: through which account, which bucket,
 * which versions (listed inline, or in a manifest), and why.
 *
 * @param versions the inline versions, or null when a manifest lists them
 * @param manifest the manifest, or null when the versions are inline
 */
public record DeletionSpec(AccountId account, String bucket, List<ObjectVersion> versions, Manifest manifest,
    String reason) {

  /** Where a manifest must be kept: the observer's policy grants s3:GetObject on this prefix only. */
  public static final String MANIFEST_PREFIX = "bucketprotection-manifests/";

  /** A manifest object. */
  public record Manifest(String bucket, String key) {
  }

  /** The buckets the request reads or writes: its own, and its manifest's. */
  public Set<String> buckets() {
    Set<String> buckets = new HashSet<>();
    buckets.add(bucket);
    if (manifest != null) {
      buckets.add(manifest.bucket());
    }
    return buckets;
  }

  /**
   * Validates {@code request} as the CRD's schema and rules would, and more: the API server that
   * serves it may not enforce CEL, so a spec edited after creation (generation above 1) is refused
   * here too, and nothing is deleted for it.
   */
  public static DeletionSpec validate(ObjectVersionDeletion request) throws InvalidSpecException {
    Long generation = request.getMetadata().getGeneration();
    if (generation != null && generation != 1L) {
      throw new InvalidSpecException("The spec was changed after the request was created (metadata.generation "
          + generation + "), and a deletion's spec is immutable: nothing is deleted for this request. Delete it and"
          + " create another.");
    }
    ObjectVersionDeletionSpec spec = request.getSpec();
    if (spec == null) {
      throw new InvalidSpecException("The request has no spec.");
    }
    List<String> problems = new ArrayList<>();
    unknown(problems, "spec", spec);
    AccountId account = account(spec.getAccountRef(), request.getMetadata().getNamespace(), problems);
    bucket(problems, "spec.bucket", spec.getBucket());
    if ((spec.getVersions() == null) == (spec.getManifest() == null)) {
      problems.add("give exactly one of spec.versions and spec.manifest");
    }
    List<ObjectVersion> versions = spec.getVersions() == null ? null : versions(spec.getVersions(), problems);
    Manifest manifest = null;
    if (spec.getManifest() != null) {
      unknown(problems, "spec.manifest", spec.getManifest());
      bucket(problems, "spec.manifest.bucket", spec.getManifest().getBucket());
      String key = spec.getManifest().getKey();
      if (key == null || !key.startsWith(MANIFEST_PREFIX) || key.length() > Limits.OBJECT_KEY) {
        problems.add("spec.manifest.key must start with " + MANIFEST_PREFIX + " (the observer may read that prefix"
            + " only) and be at most " + Limits.OBJECT_KEY + " characters");
      }
      manifest = new Manifest(spec.getManifest().getBucket(), key);
    }
    if (spec.getReason() == null || spec.getReason().isBlank() || spec.getReason().length() > Limits.REASON) {
      problems.add("spec.reason must say why, in 1 to " + Limits.REASON + " characters");
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(String.join("; ", problems) + ". Nothing is deleted for this request: its spec"
          + " cannot change, so delete it and create a corrected one.");
    }
    return new DeletionSpec(account, spec.getBucket(), versions, manifest, spec.getReason());
  }

  private static AccountId account(AccountReference ref, String namespace, List<String> problems) {
    if (ref == null) {
      problems.add("spec.accountRef is required: a deletion goes only through an account");
      return null;
    }
    unknown(problems, "spec.accountRef", ref);
    if (ref.getName() == null || ref.getName().isBlank() || ref.getName().length() > Limits.NAME) {
      problems.add("spec.accountRef needs a name");
      return null;
    }
    if ("ClusterS3Account".equals(ref.getKind())) {
      return AccountId.cluster(ref.getName());
    }
    if ("S3Account".equals(ref.getKind())) {
      return AccountId.namespaced(namespace, ref.getName());
    }
    problems.add("spec.accountRef.kind must be ClusterS3Account or S3Account");
    return null;
  }

  private static void bucket(List<String> problems, String path, String bucket) {
    if (!SpecValidator.isBucketName(bucket)) {
      problems.add(path + " must be an S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens)");
    }
  }

  private static List<ObjectVersion> versions(List<ObjectVersionDeletionSpec.VersionReference> listed,
      List<String> problems) {
    if (listed.isEmpty() || listed.size() > Limits.DELETION_VERSIONS) {
      problems.add("spec.versions must list 1 to " + Limits.DELETION_VERSIONS + " versions (a manifest lists more)");
      return List.of();
    }
    List<ObjectVersion> versions = new ArrayList<>(listed.size());
    Set<ObjectVersion> seen = new HashSet<>();
    for (int i = 0; i < listed.size(); i++) {
      ObjectVersionDeletionSpec.VersionReference version = listed.get(i);
      String path = "spec.versions[" + i + "]";
      if (version == null) {
        problems.add(path + " is empty");
        continue;
      }
      unknown(problems, path, version);
      String problem = versionProblem(version.getKey(), version.getVersionId());
      if (problem != null) {
        problems.add(path + ": " + problem);
        continue;
      }
      ObjectVersion parsed = new ObjectVersion(version.getKey(), version.getVersionId());
      if (!seen.add(parsed)) {
        problems.add(path + " lists the same version as an earlier entry");
      }
      versions.add(parsed);
    }
    return versions;
  }

  /**
   * What is wrong with one listed version, or null. A version id is required, and "null" (the id
   * S3 gives the unversioned copy) is refused: by the time a batch runs it could be a newer object.
   */
  static String versionProblem(String key, String versionId) {
    if (key == null || key.isEmpty() || key.length() > Limits.OBJECT_KEY) {
      return "a key of 1 to " + Limits.OBJECT_KEY + " characters is required";
    }
    if (versionId == null || versionId.isEmpty() || versionId.length() > Limits.VERSION_ID) {
      return "a version id is required (a deletion never deletes an object's unversioned copy or its latest by name)";
    }
    if (Objects.equals(versionId, "null")) {
      return "version id null names the unversioned copy, which could be a newer object by the time the batch runs;"
          + " it is never deleted";
    }
    return null;
  }

  private static void unknown(List<String> problems, String path, UnknownFields fields) {
    if (fields != null && !fields.unknownFields().isEmpty()) {
      problems.add(path + " has fields this operator version does not know: "
          + String.join(", ", fields.unknownFields()));
    }
  }
}
