package io.bucketprotection.operator.s3;

import io.bucketprotection.operator.aws.AwsHttp;
import io.bucketprotection.operator.aws.ClientPool;
import java.net.URI;
import java.util.Set;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * One S3 client per (endpoint, region, credentials), built on first use and reused: a client
 * owns an HTTP connection pool and a credentials provider, both too costly to build per call.
 * A namespace user chooses the region and can rotate the credentials endlessly, so the clients
 * are a bounded pool: the least recently used one makes way, and is rebuilt if it comes back.
 */
final class S3ClientCache implements AutoCloseable {

  /**
   * @param endpoint {@link S3Endpoints#connectionKey}: FIPS and dual-stack forms stay apart
   * @param region null: the default region, finding each bucket's own region
   */
  private record ClientKey(String endpoint, String region, String signer) {
  }

  private final String defaultRegion;
  private final Set<String> contentMd5Endpoints;
  private final ClientPool<ClientKey, S3Client> clients;
  private final Identities identities;

  /**
   * @param contentMd5Endpoints endpoints (as written in specs or settings) of servers that only
   *     accept Content-MD5, not the CRC32 checksum SDK 2.30+ sends
   * @param capacity most clients kept at once
   */
  S3ClientCache(String defaultRegion, Set<String> contentMd5Endpoints, int capacity, Identities identities) {
    this.defaultRegion = defaultRegion;
    this.identities = identities;
    this.contentMd5Endpoints = contentMd5Endpoints.stream()
        .map(e -> S3Endpoints.connectionKey(URI.create(e.trim())))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
    this.clients = new ClientPool<>(capacity);
  }

  /** Runs {@code call} on the client for {@code address}; the client stays open until it returns. */
  <T, E extends Exception> T call(BucketAddress address, ClientPool.ClientCall<S3Client, T, E> call) throws E {
    return clients.call(key(address), () -> build(address), call);
  }

  /**
   * The client for {@code address}, kept open until the lease is closed: an object body streamed
   * to the caller reads from its client's connection after the call returns.
   */
  ClientPool.Lease<S3Client> lease(BucketAddress address) {
    return clients.lease(key(address), () -> build(address));
  }

  private static ClientKey key(BucketAddress address) {
    return new ClientKey(S3Endpoints.connectionKey(address.endpoint()), address.region(), signerKey(address.signer()));
  }

  /**
   * Which client a signer uses. Root keys share one client per (endpoint, region) that holds no
   * keys: each root request carries its own. The others keep a client of their own identity.
   */
  private static String signerKey(Signer signer) {
    if (signer.root()) {
      return "root, per request";
    }
    if (signer instanceof Signer.Keys keys) {
      return "keys " + keys.credentials().fingerprint();
    }
    if (signer instanceof Signer.AssumedRole role) {
      return "role " + role.roleArn() + " " + (role.externalId() == null ? "" : S3Credentials.digest(role.externalId()))
          + " " + role.stsEndpoint() + " " + role.stsRegion();
    }
    return "operator identity";
  }

  boolean usesContentMd5(URI endpoint) {
    return endpoint != null && contentMd5Endpoints.contains(S3Endpoints.connectionKey(endpoint));
  }

  int size() {
    return clients.size();
  }

  long evicted() {
    return clients.evicted();
  }

  private S3Client build(BucketAddress address) {
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(address.region() != null ? address.region() : defaultRegion))
        // Without a region in the spec, the SDK follows S3's redirect (301 PermanentRedirect /
        // x-amz-bucket-region) to the bucket's region and remembers it per bucket: the default
        // region serves only the first request. A redirected request was refused before any
        // MFA check, so resending it does not reuse a code.
        .crossRegionAccessEnabled(address.region() == null)
        .credentialsProvider(identities.clientProvider(address.signer()))
        .httpClientBuilder(AwsHttp.client())
        // Checksums only where S3 requires one (PutBucketVersioning, CRC32 by default, or
        // Content-MD5 for the endpoints listed in BPO_CONTENT_MD5_ENDPOINTS): the SDK's default
        // of checksumming everything is refused by some S3-compatible servers.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        // Retries are decided by Retries, per call: a request carrying an MFA code must never be
        // resent, and the SDK cannot tell per request.
        .overrideConfiguration(o -> o
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            // One attempt per SDK call: Retries makes the second.
            .apiCallTimeout(AwsHttp.ATTEMPT_TIMEOUT)
            // Bounds what a ListBuckets answer may make the SDK parse (no effect on other calls).
            .addExecutionInterceptor(ListingBudget.INTERCEPTOR));
    if (address.endpoint() != null) {
      builder.endpointOverride(address.endpoint()).forcePathStyle(true);
    }
    if (usesContentMd5(address.endpoint())) {
      builder.addPlugin(LegacyMd5Plugin.create());
    }
    return builder.build();
  }

  @Override
  public void close() {
    clients.close();
    identities.close();
  }
}
