package io.bucketprotection.operator.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * One S3 client per (endpoint, region, credentials), built on first use and reused: a client
 * owns an HTTP connection pool and a credentials provider, both too costly to build per call.
 */
final class S3ClientCache implements AutoCloseable {

  private record ClientKey(URI endpoint, String region, String credentialsFingerprint) {
  }

  private final Map<ClientKey, S3Client> clients = new ConcurrentHashMap<>();

  S3Client clientFor(BucketAddress address) {
    ClientKey key = new ClientKey(address.endpoint(), address.region(),
        address.credentials() == null ? "default-chain" : address.credentials().fingerprint());
    return clients.computeIfAbsent(key, k -> build(address));
  }

  int size() {
    return clients.size();
  }

  private static S3Client build(BucketAddress address) {
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(address.region()))
        .credentialsProvider(credentialsProvider(address.credentials()))
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(20)))
        // Checksums only where S3 requires one (PutBucketVersioning): the SDK's default
        // aws-chunked uploads are refused by some S3-compatible servers.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        // Retries are decided by AwsBucketStore: a request carrying an MFA code must never be
        // resent, and the SDK cannot tell per request.
        .overrideConfiguration(o -> o
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallTimeout(Duration.ofSeconds(30)));
    if (address.endpoint() != null) {
      builder.endpointOverride(address.endpoint()).forcePathStyle(true);
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
    clients.values().forEach(S3Client::close);
    clients.clear();
  }
}
