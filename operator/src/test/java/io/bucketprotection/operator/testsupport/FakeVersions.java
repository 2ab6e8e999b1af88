package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.s3.VersionStore.Deleted;
import io.bucketprotection.operator.s3.VersionStore.Failed;
import io.bucketprotection.operator.s3.VersionStore.ObjectStamp;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.s3.VersionStore.Presence;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The objects of {@link FakeBucketStore}'s buckets, with their versions, answering as S3 does (and
 * as RgwDeleteObjectsTest shows RadosGW does): a deleted version is gone for good, a version that
 * does not exist is reported deleted, a pinned read of a version that is gone or of another ETag
 * is a changed object. MFA and call counting are {@link FakeBucketStore}'s.
 */
final class FakeVersions {

  /** One version of one key; {@code body} null for a delete marker. */
  private record Version(String versionId, String etag, byte[] body) {
    boolean deleteMarker() {
      return body == null;
    }
  }

  /** A version made to fail {@code times} more times with {@code code}. */
  private static final class Failure {
    final String code;
    int times;

    Failure(String code, int times) {
      this.code = code;
      this.times = times;
    }
  }

  /** bucket -> key -> versions, oldest first. */
  private final Map<String, Map<String, List<Version>>> objects = new HashMap<>();
  private final Map<String, Failure> failures = new HashMap<>();
  private int nextVersion;

  /** A new version (a delete marker when {@code body} is null) of {@code key}; its id, null if unversioned. */
  synchronized ObjectStamp put(String bucket, BucketState state, String key, byte[] body) {
    List<Version> versions = objects.computeIfAbsent(bucket, b -> new TreeMap<>())
        .computeIfAbsent(key, k -> new ArrayList<>());
    String versionId;
    if (state.versioning() == VersioningStatus.ENABLED) {
      versionId = String.format("fake-version-%06d", ++nextVersion);
    } else {
      // Unversioned or suspended: the new object replaces the one without an id (S3's "null" version).
      versionId = state.versioning() == VersioningStatus.SUSPENDED ? "null" : null;
      versions.removeIf(v -> v.versionId() == null || "null".equals(v.versionId()));
    }
    Version version = new Version(versionId, body == null ? null : etag(body), body);
    versions.add(version);
    return new ObjectStamp(version.etag(), versionId);
  }

  /** Every version and delete marker left: by key, newest first (as ListObjectVersions). */
  synchronized List<ObjectVersion> versions(String bucket) {
    List<ObjectVersion> all = new ArrayList<>();
    objects.getOrDefault(bucket, Map.of()).forEach((key, versions) -> {
      for (int i = versions.size() - 1; i >= 0; i--) {
        all.add(new ObjectVersion(key, versions.get(i).versionId()));
      }
    });
    return all;
  }

  synchronized void fail(String bucket, String key, String versionId, String code, int times) {
    failures.put(failureKey(bucket, key, versionId), new Failure(code, times));
  }

  /** The entries of a DeleteObjects's answer, in the order asked. */
  synchronized void delete(String bucket, List<ObjectVersion> batch, List<Deleted> deleted, List<Failed> failed) {
    for (ObjectVersion asked : batch) {
      Failure failure = failures.get(failureKey(bucket, asked.key(), asked.versionId()));
      if (failure != null && failure.times > 0) {
        failure.times--;
        failed.add(new Failed(asked.key(), asked.versionId(), failure.code));
        continue;
      }
      List<Version> versions = objects.getOrDefault(bucket, Map.of()).getOrDefault(asked.key(), new ArrayList<>());
      Version found = find(versions, asked.versionId());
      versions.remove(found);
      deleted.add(new Deleted(asked.key(), asked.versionId(), found != null && found.deleteMarker()));
    }
  }

  /** HeadObject: the current version; a key without one, or whose current one is a delete marker, is not found. */
  synchronized ObjectStamp stat(String bucket, String key) throws BucketStoreException {
    Version current = current(bucket, key);
    if (current == null || current.deleteMarker()) {
      throw new BucketStoreException(S3ErrorKind.MANIFEST_NOT_FOUND, "NoSuchKey", 404, "NoSuchKey (HTTP 404)");
    }
    return new ObjectStamp(current.etag(), current.versionId());
  }

  /** HeadObject of one version: there, a delete marker, or missing. */
  synchronized Presence presence(String bucket, ObjectVersion version) {
    Version found = find(objects.getOrDefault(bucket, Map.of()).getOrDefault(version.key(), List.of()),
        version.versionId());
    return found == null ? Presence.MISSING : found.deleteMarker() ? Presence.DELETE_MARKER : Presence.PRESENT;
  }

  /** GetObject with the stamp's version id (when it has one) and If-Match on its ETag. */
  synchronized InputStream open(String bucket, String key, ObjectStamp stamp) throws BucketStoreException {
    Version read;
    if (stamp.versionId() != null) {
      read = find(objects.getOrDefault(bucket, Map.of()).getOrDefault(key, List.of()), stamp.versionId());
      if (read == null || read.deleteMarker()) {
        throw new BucketStoreException(S3ErrorKind.MANIFEST_CHANGED, "NoSuchVersion", 404, "NoSuchVersion (HTTP 404)");
      }
    } else {
      read = current(bucket, key);
      if (read == null || read.deleteMarker()) {
        throw new BucketStoreException(S3ErrorKind.MANIFEST_NOT_FOUND, "NoSuchKey", 404, "NoSuchKey (HTTP 404)");
      }
    }
    if (!read.etag().equals(stamp.etag())) {
      throw new BucketStoreException(S3ErrorKind.MANIFEST_CHANGED, "PreconditionFailed", 412,
          "PreconditionFailed (HTTP 412)");
    }
    return new ByteArrayInputStream(read.body());
  }

  private Version current(String bucket, String key) {
    List<Version> versions = objects.getOrDefault(bucket, Map.of()).getOrDefault(key, List.of());
    return versions.isEmpty() ? null : versions.get(versions.size() - 1);
  }

  private static Version find(List<Version> versions, String versionId) {
    return versions.stream().filter(v -> versionId.equals(v.versionId())).findFirst().orElse(null);
  }

  private static String failureKey(String bucket, String key, String versionId) {
    return bucket + "\n" + key + "\n" + versionId;
  }

  /** S3's ETag of a single-part object: the MD5 of its body in hex, in quotes. */
  static String etag(byte[] body) {
    try {
      return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no MD5 in this JVM", e);
    }
  }
}
