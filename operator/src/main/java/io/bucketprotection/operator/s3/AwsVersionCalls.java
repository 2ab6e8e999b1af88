package io.bucketprotection.operator.s3;

import io.bucketprotection.operator.aws.AwsHttp;
import io.bucketprotection.operator.aws.ClientPool;
import io.bucketprotection.operator.aws.ServerText;
import io.bucketprotection.operator.s3.VersionStore.DeleteReceipt;
import io.bucketprotection.operator.s3.VersionStore.Deleted;
import io.bucketprotection.operator.s3.VersionStore.Failed;
import io.bucketprotection.operator.s3.VersionStore.ObjectStamp;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.s3.VersionStore.Presence;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * The S3 calls of a version deletion, on the AWS SDK ({@link AwsBucketStore} hands them over):
 * the same clients, signers, expected-owner header and error mapping as the versioning calls.
 */
final class AwsVersionCalls {

  /**
   * How long one DeleteObjects may take, in place of the clients' call timeout
   * ({@link AwsHttp#ATTEMPT_TIMEOUT}). A server answers it as it deletes: RadosGW 16 sent its
   * headers after 46 ms and took about 4 s for 1,000 versions on a memory-backed lab, close to the
   * 6 s every other call gets. Cut short, the answer is lost while the versions are deleted and the
   * code is spent. The socket timeout still ends a server that falls silent.
   */
  static final Duration DELETE_TIMEOUT = Duration.ofSeconds(60);

  private final S3ClientCache clients;
  private final Retries retries;

  AwsVersionCalls(S3ClientCache clients, Retries retries) {
    this.clients = clients;
    this.retries = retries;
  }

  /**
   * One DeleteObjects, sent once: with a code it must never be resent (a code is accepted once,
   * and RadosGW checks it once per request), and without one the caller decides (the interface's
   * rule). S3 requires a checksum of this request's body: the clients' WHEN_REQUIRED mode sends
   * x-amz-checksum-crc32 over the whole XML body (no aws-chunked encoding, which is what RadosGW 16
   * refuses on PutObject), and RadosGW 16.2 accepts it, as it does Content-MD5 from the endpoints
   * in BPO_CONTENT_MD5_ENDPOINTS (RgwDeleteObjectsTest, both modes). A timeout or a lost connection
   * is not a refusal: the server may have deleted some versions and spent the code. Sending the
   * batch again with a new code is safe, as S3 reports a version that is gone as deleted.
   */
  DeleteReceipt deleteVersions(BucketAddress bucket, List<ObjectVersion> versions, Optional<MfaToken> mfa)
      throws BucketStoreException {
    checkBatch(versions);
    DeleteObjectsRequest.Builder request = DeleteObjectsRequest.builder()
        .bucket(bucket.bucket())
        .expectedBucketOwner(bucket.expectedBucketOwner())
        // One override for both: each overrideConfiguration(...) replaces the one before.
        .overrideConfiguration(o -> {
          o.apiCallTimeout(DELETE_TIMEOUT);
          Identities.perRequest(bucket.signer()).ifPresent(o::credentialsProvider);
        })
        // Quiet=false: S3 then names every version it deleted, not only those it could not.
        .delete(d -> d.quiet(false).objects(versions.stream()
            .map(v -> ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()).toList()));
    mfa.ifPresent(token -> request.mfa(token.headerValue()));
    DeleteObjectsResponse response;
    try {
      response = clients.call(bucket, client -> client.deleteObjects(request.build()));
    } catch (SdkException e) {
      throw S3ErrorMapper.map(e, mfa.isPresent());
    }
    return receipt(response);
  }

  /**
   * 1 to {@link VersionStore#MAX_BATCH} versions, each with its id: an entry without one would not
   * delete a version but add a delete marker, a different and reversible act.
   */
  private static void checkBatch(List<ObjectVersion> versions) {
    if (versions.isEmpty() || versions.size() > VersionStore.MAX_BATCH) {
      throw new IllegalArgumentException("a DeleteObjects holds 1 to " + VersionStore.MAX_BATCH
          + " versions, not " + versions.size());
    }
    for (ObjectVersion version : versions) {
      if (version.key() == null || version.versionId() == null) {
        throw new IllegalArgumentException("every version of a DeleteObjects needs its key and version id");
      }
    }
  }

  /**
   * Key, version id and code per entry; never S3's error message, which may quote anything. A
   * removed delete marker is reported by some servers with its id only as DeleteMarkerVersionId.
   */
  static DeleteReceipt receipt(DeleteObjectsResponse response) {
    List<Deleted> deleted = response.deleted().stream()
        .map(d -> new Deleted(d.key(), d.versionId() != null ? d.versionId() : d.deleteMarkerVersionId(),
            Boolean.TRUE.equals(d.deleteMarker())))
        .toList();
    List<Failed> failed = response.errors().stream()
        .map(e -> new Failed(e.key(), e.versionId(), ServerText.clean(e.code())))
        .toList();
    return new DeleteReceipt(AwsBucketStore.known(response.responseMetadata().requestId()),
        AwsBucketStore.known(response.responseMetadata().extendedRequestId()), deleted, failed);
  }

  /**
   * The ETag as sent, quotes included, since If-Match must quote it back unchanged. A HEAD answer
   * has no body, so the SDK reports every 404 of it as NoSuchKey: a missing bucket, too, reads as
   * MANIFEST_NOT_FOUND here (a GetObject tells them apart).
   */
  ObjectStamp stat(BucketAddress bucket, String key) throws BucketStoreException {
    HeadObjectResponse head = retries.run("HeadObject", bucket, () -> clients.call(bucket, client -> client
        .headObject(r -> r.bucket(bucket.bucket()).key(key).expectedBucketOwner(bucket.expectedBucketOwner())
            .applyMutation(r2 -> AwsBucketStore.signedBy(r2, bucket)))));
    if (head.eTag() == null || head.eTag().isEmpty()) {
      throw new BucketStoreException(S3ErrorKind.S3_SERVER_ERROR, "NoETag", 200,
          "HeadObject on " + bucket.describe() + " answered without an ETag: the object cannot be pinned");
    }
    return new ObjectStamp(head.eTag(), head.versionId());
  }

  /**
   * One HeadObject of the version, retried as every read. A 404 is MISSING and a 405 that says
   * x-amz-delete-marker: true (AWS's answer for a delete marker's version) is DELETE_MARKER, read
   * inside the attempt; every other failure is mapped as the other calls map theirs.
   */
  Presence headVersion(BucketAddress bucket, ObjectVersion version) throws BucketStoreException {
    return retries.run("HeadObject", bucket, () -> {
      try {
        HeadObjectResponse head = clients.call(bucket, client -> client.headObject(r -> r.bucket(bucket.bucket())
            .key(version.key()).versionId(version.versionId()).expectedBucketOwner(bucket.expectedBucketOwner())
            .applyMutation(r2 -> AwsBucketStore.signedBy(r2, bucket))));
        return Boolean.TRUE.equals(head.deleteMarker()) ? Presence.DELETE_MARKER : Presence.PRESENT;
      } catch (AwsServiceException e) {
        Presence answer = presence(e);
        if (answer == null) {
          throw e;
        }
        return answer;
      }
    });
  }

  /** What a refused HeadObject of a version says of it, or null when it is a failure. */
  static Presence presence(AwsServiceException e) {
    if (e.statusCode() == 404) {
      return Presence.MISSING;
    }
    boolean deleteMarker = e.awsErrorDetails() != null && e.awsErrorDetails().sdkHttpResponse() != null
        && e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker")
            .map("true"::equalsIgnoreCase).orElse(false);
    return e.statusCode() == 405 && deleteMarker ? Presence.DELETE_MARKER : null;
  }

  /**
   * The body as the server sends it, unbuffered, so that a manifest of a million lines is never
   * held whole. Its client stays leased until the stream is closed. The SDK's call timeout ends
   * when the response's headers are in: a long read is bounded only by the socket timeout
   * (silence), not by its length (AwsVersionCallsTest reads one past the call timeout).
   */
  InputStream open(BucketAddress bucket, String key, ObjectStamp stamp) throws BucketStoreException {
    return open(bucket, key, stamp, 0);
  }

  /** As above, from byte {@code fromByte} on (a Range request): a batch reads its own lines, not those before. */
  InputStream open(BucketAddress bucket, String key, ObjectStamp stamp, long fromByte) throws BucketStoreException {
    if (stamp.etag() == null) {
      throw new IllegalArgumentException("a stamp without an ETag pins nothing");
    }
    boolean versionPinned = stamp.versionId() != null;
    return retries.run("GetObject", bucket, e -> S3ErrorMapper.mapPinnedRead(e, versionPinned), () -> {
      ClientPool.Lease<S3Client> lease = clients.lease(bucket);
      try {
        ResponseInputStream<GetObjectResponse> body = lease.client().getObject(r -> r.bucket(bucket.bucket())
            .key(key).versionId(stamp.versionId()).ifMatch(stamp.etag()).range(fromByte > 0 ? "bytes=" + fromByte + "-" : null)
            .expectedBucketOwner(bucket.expectedBucketOwner()).applyMutation(r2 -> AwsBucketStore.signedBy(r2, bucket)));
        return new LeasedBody(body, lease);
      } catch (RuntimeException e) {
        lease.close();
        throw e;
      }
    });
  }

  /**
   * An object body that gives its client back when closed. Closed before its end, the connection is
   * dropped (abort) rather than drained: the rest of a large manifest is not worth reading.
   */
  private static final class LeasedBody extends FilterInputStream {
    private final ResponseInputStream<GetObjectResponse> body;
    private final ClientPool.Lease<S3Client> lease;
    private boolean ended;

    LeasedBody(ResponseInputStream<GetObjectResponse> body, ClientPool.Lease<S3Client> lease) {
      super(body);
      this.body = body;
      this.lease = lease;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      ended |= b < 0;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      ended |= n < 0;
      return n;
    }

    @Override
    public void close() throws IOException {
      try {
        if (!ended) {
          body.abort();
        }
        body.close();
      } finally {
        lease.close();
      }
    }
  }
}
