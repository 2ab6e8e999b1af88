package io.bucketprotection.operator.deletion;

import io.bucketprotection.operator.api.ObjectVersionDeletionStatus.PinnedManifest;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.VersionStore;
import io.bucketprotection.operator.s3.VersionStore.ObjectStamp;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A deletion's manifest in S3, read with the account's observer identity: pinned once (its ETag,
 * version id and line count, every line checked) before approval is asked for, then read one
 * batch at a time from where the previous batch ended, always as the object it was pinned to.
 */
final class ManifestSource {

  /** One batch's versions and where the next batch starts. */
  record Lines(List<ObjectVersion> versions, long nextByte) {
  }

  private final VersionStore store;

  ManifestSource(VersionStore store) {
    this.store = store;
  }

  /** Reads the whole manifest once, as a stream, checking every line: what it is pinned to. */
  PinnedManifest pin(BucketAddress manifestBucket, String key, String bucket)
      throws BucketStoreException, ManifestLines.InvalidManifest {
    ObjectStamp stamp = store.stat(manifestBucket, key);
    long count;
    try {
      // every line is parsed and checked; none is kept
      count = ManifestLines.read(store.open(manifestBucket, key, stamp), bucket, version -> { });
    } catch (IOException e) {
      throw unreadable(e);
    }
    PinnedManifest pinned = new PinnedManifest();
    pinned.setEtag(stamp.etag());
    pinned.setVersionId(stamp.versionId());
    pinned.setLines(count);
    pinned.setNextByte(0L);
    return pinned;
  }

  /**
   * The next batch's versions (at most {@link VersionStore#MAX_BATCH}), from the pinned object only:
   * one HeadObject (it is still the pinned object) and one GetObject of the batch's bytes on.
   */
  Lines batch(BucketAddress manifestBucket, String key, String bucket, PinnedManifest pinned)
      throws BucketStoreException, ManifestLines.InvalidManifest {
    long from = pinned.getNextByte() == null ? 0 : pinned.getNextByte();
    ObjectStamp stamp = new ObjectStamp(pinned.getEtag(), pinned.getVersionId());
    // The object as it is now must be the one pinned: in a versioned bucket the pinned version could
    // still be read after a newer one replaced it, and a replaced manifest stops the deletion.
    if (!stamp.equals(store.stat(manifestBucket, key))) {
      throw new BucketStoreException(S3ErrorKind.MANIFEST_CHANGED, "ManifestChanged", 0,
          "the manifest is not the object pinned before approval");
    }
    List<ObjectVersion> versions = new ArrayList<>();
    try (InputStream in = store.open(manifestBucket, key, stamp, from);
        ManifestLines lines = new ManifestLines(in, bucket, 0, from)) {
      ObjectVersion version;
      while (versions.size() < VersionStore.MAX_BATCH && (version = lines.next()) != null) {
        versions.add(version);
      }
      return new Lines(versions, lines.offset());
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  private static BucketStoreException unreadable(IOException e) {
    return new BucketStoreException(S3ErrorKind.S3_SERVER_ERROR, "ReadFailed", 0,
        "reading the manifest failed (" + e.getClass().getSimpleName() + ")");
  }
}
