package io.bucketprotection.operator.s3;

import io.bucketprotection.operator.aws.AwsHttp;
import io.bucketprotection.operator.aws.ClientPool;
import java.net.URI;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
  private record ClientKey(String endpoint, String region, String credentialsFingerprint) {
  }

  private final String defaultRegion;
  private final Set<String> contentMd5Endpoints;
  private final ClientPool<ClientKey, S3Client> clients;

  /**
   * @param contentMd5Endpoints endpoints (as written in specs or settings) of servers that only
   *     accept Content-MD5, not the CRC32 checksum SDK 2.30+ sends
   * @param capacity most clients kept at once
   */
  S3ClientCache(String defaultRegion, Set<String> contentMd5Endpoints, int capacity) {
    this.defaultRegion = defaultRegion;
    this.contentMd5Endpoints = contentMd5Endpoints.stream()
        .map(e -> S3Endpoints.connectionKey(URI.create(e.trim())))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
    this.clients = new ClientPool<>(capacity);
  }

  /** Runs {@code call} on the client for {@code address}; the client stays open until it returns. */
  <T, E extends Exception> T call(BucketAddress address, ClientPool.ClientCall<S3Client, T, E> call) throws E {
    ClientKey key = new ClientKey(S3Endpoints.connectionKey(address.endpoint()), address.region(),
        address.credentials() == null ? "default-chain" : address.credentials().fingerprint());
    return clients.call(key, () -> build(address), call);
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
        .credentialsProvider(credentialsProvider(address.credentials()))
        .httpClientBuilder(AwsHttp.client())
        // Checksums only where S3 requires one (PutBucketVersioning, CRC32 by default, or
        // Content-MD5 for the endpoints listed in BPO_CONTENT_MD5_ENDPOINTS): the SDK's default
        // of checksumming everything is refused by some S3-compatible servers.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        // Retries are decided by AwsBucketStore: a request carrying an MFA code must never be
        // resent, and the SDK cannot tell per request.
        .overrideConfiguration(o -> o
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            // One attempt per SDK call: AwsBucketStore makes the second.
            .apiCallTimeout(AwsHttp.ATTEMPT_TIMEOUT));
    if (address.endpoint() != null) {
      builder.endpointOverride(address.endpoint()).forcePathStyle(true);
    }
    if (usesContentMd5(address.endpoint())) {
      builder.addPlugin(LegacyMd5Plugin.create());
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentialsProvider(S3Credentials credentials) {
    if (credentials == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    if (credentials.sessionToken() != null) {
      return StaticCredentialsProvider.create(AwsSessionCredentials.create(
          credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()));
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey()));
  }

  @Override
  public void close() {
    clients.close();
  }
}
