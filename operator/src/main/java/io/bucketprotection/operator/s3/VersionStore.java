package io.bucketprotection.operator.s3;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The S3 calls of a version deletion: the manifest's stamp and body (read as the account's
 * observer), the one DeleteObjects per batch (signed by root, with a code when the bucket's
 * MFA Delete is on), and the look-up of one version (check's preview). Implementations map every failure to a {@link BucketStoreException}; SDK
 * types never cross this interface.
 */
public interface VersionStore {

  /** At most this many versions go in one DeleteObjects (S3's limit). */
  int MAX_BATCH = 1000;

  /** For a store that cannot delete versions (test stores of versioning only): every call is NotImplemented. */
  VersionStore UNSUPPORTED = new VersionStore() {
    private BucketStoreException unsupported() {
      return new BucketStoreException(S3ErrorKind.REQUEST_REJECTED, "NotImplemented", 501,
          "this operator's S3 store cannot delete versions");
    }

    @Override
    public DeleteReceipt deleteVersions(BucketAddress bucket, List<ObjectVersion> versions, Optional<MfaToken> mfa)
        throws BucketStoreException {
      throw unsupported();
    }

    @Override
    public ObjectStamp stat(BucketAddress bucket, String key) throws BucketStoreException {
      throw unsupported();
    }

    @Override
    public InputStream open(BucketAddress bucket, String key, ObjectStamp stamp) throws BucketStoreException {
      throw unsupported();
    }

    @Override
    public Presence headVersion(BucketAddress bucket, ObjectVersion version) throws BucketStoreException {
      throw unsupported();
    }
  };

  /**
   * One DeleteObjects (Quiet=false) of exactly {@code versions} (1 to {@link #MAX_BATCH}, each with
   * its version id). {@code mfa} is sent as x-amz-mfa when present. Never retried inside: a code is
   * accepted at most once, and a request that failed as a whole may be sent again only by the caller.
   *
   * @return what the server answered for each version
   * @throws BucketStoreException when the request failed as a whole (nothing was deleted)
   */
  DeleteReceipt deleteVersions(BucketAddress bucket, List<ObjectVersion> versions, Optional<MfaToken> mfa)
      throws BucketStoreException;

  /**
   * One HeadObject of the current version of {@code key}: its ETag and version id. A key that does
   * not exist, or whose current version is a delete marker, is {@link S3ErrorKind#MANIFEST_NOT_FOUND}.
   */
  ObjectStamp stat(BucketAddress bucket, String key) throws BucketStoreException;

  /**
   * One GetObject of exactly the object {@code stamp} names (its version id when it has one, and
   * If-Match on its ETag): the body as a stream the caller closes. A changed object is
   * {@link S3ErrorKind#MANIFEST_CHANGED} (another ETag, or the pinned version is gone); a missing
   * object without a pinned version is {@link S3ErrorKind#MANIFEST_NOT_FOUND}. In a versioned
   * bucket, overwriting the key does not change the pinned version: it is still read as stamped.
   */
  InputStream open(BucketAddress bucket, String key, ObjectStamp stamp) throws BucketStoreException;

  /**
   * As {@link #open(BucketAddress, String, ObjectStamp)}, from byte {@code fromByte} on: a batch
   * reads its own lines of a manifest, not every line before them. This default reads and drops
   * the bytes before; a store that can ask for a range should.
   */
  default InputStream open(BucketAddress bucket, String key, ObjectStamp stamp, long fromByte)
      throws BucketStoreException {
    InputStream in = open(bucket, key, stamp);
    try {
      in.skipNBytes(fromByte);
    } catch (java.io.IOException e) {
      throw new BucketStoreException(S3ErrorKind.S3_SERVER_ERROR, "ReadFailed", 0, "reading the object failed");
    }
    return in;
  }

  /**
   * One HeadObject of exactly {@code version} (its version id): a read, never a write. A 404 is
   * {@link Presence#MISSING}, not an error; so is a missing bucket (a HEAD answer has no body to
   * tell them apart), which a caller rules out first. AWS answers a delete marker's version with 405
   * and x-amz-delete-marker: true ({@link Presence#DELETE_MARKER}); RadosGW 16 answers it 404, as
   * for a version that does not exist (RgwCheckTest), so there a delete marker reads as MISSING.
   */
  Presence headVersion(BucketAddress bucket, ObjectVersion version) throws BucketStoreException;

  /** What a HeadObject of one version found. */
  enum Presence {
    PRESENT, DELETE_MARKER, MISSING
  }

  /** One version of one object, as listed in a deletion. */
  record ObjectVersion(String key, String versionId) {
  }

  /**
   * An object as it was read: what a manifest is pinned to.
   *
   * @param etag the ETag, quotes included as S3 sends it
   * @param versionId null when the bucket is not versioned
   */
  record ObjectStamp(String etag, String versionId) {
  }

  /**
   * The server's answer to one DeleteObjects.
   *
   * @param deleted the versions the server reports deleted (S3 also reports a version that did not exist)
   * @param failed the versions it did not delete, each with S3's error code
   */
  record DeleteReceipt(String requestId, String extendedRequestId, List<Deleted> deleted, List<Failed> failed) {
    public DeleteReceipt {
      deleted = List.copyOf(deleted);
      failed = List.copyOf(failed);
    }
  }

  /** @param deleteMarker the version was a delete marker (removing it brings the object back) */
  record Deleted(String key, String versionId, boolean deleteMarker) {
  }

  /** @param code S3's error code (AccessDenied, InternalError, ...); never its message */
  record Failed(String key, String versionId, String code) {
  }
}
