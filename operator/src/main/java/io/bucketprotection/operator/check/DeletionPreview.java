package io.bucketprotection.operator.check;

import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.deletion.DeletionSpec;
import io.bucketprotection.operator.deletion.ManifestLines;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.VersionStore.ObjectStamp;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.spec.Account;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reads of a version deletion's preview, all through {@link ReadOnlyObserver} (this
 * environment's credentials, an allowed endpoint, never root), in this order: one
 * GetBucketVersioning of the bucket (a HEAD's 404 cannot tell a missing bucket from a missing
 * version, and the operator reads it before every batch too); for a manifest, one HeadObject and
 * one GetObject of it, every line checked as the operator checks it when pinning, only the first
 * {@code maxLookups} versions kept; then one HeadObject of each of the first {@code maxLookups}
 * listed versions. Nothing else is sent, and the first failure ends the preview.
 */
final class DeletionPreview {

  /** Versions looked up per request unless --max-version-lookups says otherwise. */
  static final int DEFAULT_MAX_LOOKUPS = 1000;

  /**
   * What the reads found: the bucket and its versions, or the problem the operator would report.
   *
   * @param observed null when the bucket could not be read
   * @param lookup null when {@code problem} is not
   * @param problem null when the versions were looked up
   */
  record Found(BucketState observed, VersionLookup lookup, Verdict problem) {
    static Found versions(BucketState observed, VersionLookup lookup) {
      return new Found(observed, lookup, null);
    }

    static Found problem(Verdict problem) {
      return new Found(problem.observed(), null, problem);
    }
  }

  private final ReadOnlyObserver observer;
  private final int maxLookups;

  DeletionPreview(ReadOnlyObserver observer, int maxLookups) {
    this.observer = observer;
    this.maxLookups = maxLookups;
  }

  int maxLookups() {
    return maxLookups;
  }

  /** Why the buckets of {@code account} may not be read from here, or null when they may. */
  String refusal(Account account) {
    return observer.refusal(account);
  }

  /** The preview of {@code spec} through {@code account}; {@link ReadOnlyObserver#refusal(Account)} must be null. */
  Found run(Account account, DeletionSpec spec) {
    BucketAddress bucket = observer.bucket(account, spec.bucket());
    BucketState observed;
    try {
      observed = observer.versioning(bucket);
    } catch (BucketStoreException e) {
      return Found.problem(FailureVerdicts.fromS3(e, "GetBucketVersioning", bucket, null, null));
    }
    List<ObjectVersion> sample;
    long listed;
    String manifest = null;
    if (spec.versions() != null) {
      listed = spec.versions().size();
      sample = spec.versions().subList(0, Math.min(maxLookups, spec.versions().size()));
    } else {
      manifest = "s3://" + spec.manifest().bucket() + "/" + spec.manifest().key();
      sample = new ArrayList<>();
      BucketAddress manifestBucket = observer.bucket(account, spec.manifest().bucket());
      try {
        listed = readManifest(manifestBucket, spec, sample);
      } catch (BucketStoreException e) {
        return Found.problem(e.kind() == S3ErrorKind.MANIFEST_NOT_FOUND ? Verdict.problem(Reason.ManifestNotFound,
            "The manifest " + manifest + " does not exist. The operator would wait for it, looking again every"
                + " minute, and delete nothing.", observed)
            : FailureVerdicts.fromS3(e, "GetObject", manifestBucket, null, observed));
      } catch (ManifestLines.InvalidManifest e) {
        return Found.problem(Verdict.problem(Reason.ManifestInvalid, "The manifest " + manifest + " cannot be used: "
            + e.getMessage() + ". The operator would delete nothing; fix the manifest and create a new request.",
            observed));
      }
    }
    VersionLookup.Tally tally = new VersionLookup.Tally();
    for (ObjectVersion version : sample) {
      try {
        tally.add(version, observer.headVersion(bucket, version));
      } catch (BucketStoreException e) {
        return Found.problem(FailureVerdicts.fromS3(e, "HeadObject", bucket, null, observed));
      }
    }
    return Found.versions(observed, tally.result(listed, manifest));
  }

  /**
   * Reads the manifest as the operator pins it (its current version, then exactly that object),
   * every line checked; keeps the first {@code maxLookups} versions in {@code sample}.
   *
   * @return how many versions it lists
   */
  private long readManifest(BucketAddress manifestBucket, DeletionSpec spec, List<ObjectVersion> sample)
      throws BucketStoreException, ManifestLines.InvalidManifest {
    ObjectStamp stamp = observer.stat(manifestBucket, spec.manifest().key());
    try {
      return ManifestLines.read(observer.open(manifestBucket, spec.manifest().key(), stamp), spec.bucket(),
          version -> {
            if (sample.size() < maxLookups) {
              sample.add(version);
            }
          });
    } catch (IOException e) {
      throw new BucketStoreException(S3ErrorKind.S3_SERVER_ERROR, "ReadFailed", 0,
          "reading the manifest failed (" + e.getClass().getSimpleName() + ")");
    }
  }
}
