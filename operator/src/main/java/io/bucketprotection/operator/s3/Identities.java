package io.bucketprotection.operator.s3;

import io.bucketprotection.operator.aws.AwsHttp;
import io.bucketprotection.operator.aws.ClientPool;
import io.bucketprotection.operator.aws.ServerText;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * The credentials behind each {@link Signer}, the only place that turns one into an SDK
 * credentials provider. Observer identities are long-lived here (role sessions are cached and
 * renewed before they expire); root keys are never kept: {@link #perRequest} wraps them for the
 * one request that carries them.
 */
final class Identities implements AutoCloseable {

  /** How the session is named in CloudTrail: it says who made the call. */
  static final String SESSION_NAME = "bucket-protection-operator";
  /** Sessions kept at once: one per observer role in use, bounded like the S3 clients. */
  private static final int ROLE_SESSIONS = 64;

  /** A role session: its own STS client (signed with the operator's identity) and the caching provider. */
  private record RoleSession(StsClient sts, StsAssumeRoleCredentialsProvider provider) implements AutoCloseable {
    @Override
    public void close() {
      provider.close();
      sts.close();
    }
  }

  private final AwsCredentialsProvider operatorIdentity;
  private final String defaultRegion;
  private final ClientPool<Signer.AssumedRole, RoleSession> roles = new ClientPool<>(ROLE_SESSIONS);

  /**
   * @param operatorIdentity the operator's own credentials (IRSA, Pod Identity...): they sign
   *     for {@code operatorIdentity: {}} observers and ask STS for role sessions
   */
  Identities(AwsCredentialsProvider operatorIdentity, String defaultRegion) {
    this.operatorIdentity = operatorIdentity;
    this.defaultRegion = defaultRegion;
  }

  /**
   * The provider an S3 client keeps for {@code signer}. Root keys get an anonymous one: every
   * root request brings its keys along ({@link #perRequest}), so the client holds none.
   */
  AwsCredentialsProvider clientProvider(Signer signer) {
    if (signer.root()) {
      return AnonymousCredentialsProvider.create();
    }
    if (signer instanceof Signer.Keys keys) {
      return staticProvider(keys.credentials());
    }
    if (signer instanceof Signer.AssumedRole role) {
      // Resolved through the pool on each use: an evicted session is rebuilt, never used closed.
      return () -> session(role);
    }
    return operatorIdentity;
  }

  /** The provider one root request carries: made for it, dropped with it. */
  static Optional<AwsCredentialsProvider> perRequest(Signer signer) {
    return signer instanceof Signer.Keys keys && signer.root()
        ? Optional.of(staticProvider(keys.credentials())) : Optional.empty();
  }

  /** A session in the role: cached, renewed by the provider before it expires. */
  software.amazon.awssdk.auth.credentials.AwsCredentials session(Signer.AssumedRole role) {
    try {
      return roles.call(role, () -> open(role), session -> session.provider().resolveCredentials());
    } catch (SdkException e) {
      throw new RoleSessionException(refusal(role, e));
    }
  }

  private RoleSession open(Signer.AssumedRole role) {
    StsClientBuilder sts = StsClient.builder()
        .region(Region.of(role.stsRegion() != null ? role.stsRegion() : defaultRegion))
        .credentialsProvider(operatorIdentity)
        .httpClientBuilder(AwsHttp.client())
        .overrideConfiguration(o -> o.apiCallTimeout(AwsHttp.CALL_TIMEOUT));
    if (role.stsEndpoint() != null) {
      sts.endpointOverride(role.stsEndpoint());
    }
    StsClient client = sts.build();
    AssumeRoleRequest.Builder request = AssumeRoleRequest.builder()
        .roleArn(role.roleArn())
        .roleSessionName(SESSION_NAME);
    if (role.externalId() != null) {
      request.externalId(role.externalId());
    }
    return new RoleSession(client, StsAssumeRoleCredentialsProvider.builder()
        .stsClient(client)
        .refreshRequest(request.build())
        .build());
  }

  private static BucketStoreException refusal(Signer.AssumedRole role, SdkException e) {
    if (e instanceof AwsServiceException service && (service.statusCode() == 403)) {
      String code = service.awsErrorDetails() == null ? null : ServerText.clean(service.awsErrorDetails().errorCode());
      return new BucketStoreException(S3ErrorKind.OBSERVER_ACCESS_DENIED, code == null ? "AccessDenied" : code,
          service.statusCode(), "STS refused AssumeRole into " + role.roleArn() + " with the operator's identity ("
          + (code == null ? "HTTP " + service.statusCode() : code) + ")");
    }
    BucketStoreException mapped = S3ErrorMapper.map(e, false);
    return new BucketStoreException(mapped.kind(), mapped.errorCode(), mapped.httpStatus(),
        "AssumeRole into " + role.roleArn() + " failed: " + mapped.getMessage());
  }

  private static AwsCredentialsProvider staticProvider(S3Credentials credentials) {
    if (credentials.sessionToken() != null) {
      return StaticCredentialsProvider.create(AwsSessionCredentials.create(
          credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()));
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey()));
  }

  AwsCredentialsProvider operatorIdentity() {
    return operatorIdentity;
  }

  @Override
  public void close() {
    roles.close();
  }
}
