package io.bucketprotection.operator.secrets;

import io.bucketprotection.operator.aws.AwsHttp;
import io.bucketprotection.operator.aws.Causes;
import io.bucketprotection.operator.aws.ClientPool;
import io.bucketprotection.operator.aws.ServerText;
import java.io.IOException;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * {@link SecretsManagerReader} on the AWS SDK: GetSecretValue (stage AWSCURRENT) with the
 * operator's own identity from the default credential chain (IRSA / Pod Identity, environment,
 * profile). The only class that calls Secrets Manager; one client per region.
 */
public final class AwsSecretsManagerReader implements SecretsManagerReader, AutoCloseable {

  /**
   * Regions come from admins' objects and from ARNs, so few are expected; the bound is there
   * because an ARN is still text someone typed, and each region's client keeps its own connections.
   */
  private static final int CLIENT_CAPACITY = 16;

  private final String defaultRegion;
  private final URI endpoint;
  private final ClientPool<String, SecretsManagerClient> clients = new ClientPool<>(CLIENT_CAPACITY);

  /** @param endpoint AWS_ENDPOINT_URL_SECRETS_MANAGER (a VPC endpoint, a test double), or null */
  public AwsSecretsManagerReader(String defaultRegion, URI endpoint) {
    this.defaultRegion = defaultRegion;
    this.endpoint = endpoint;
  }

  @Override
  public String read(String secretId, String region) throws SecretProblem {
    String where = region != null ? region : regionOf(secretId);
    if (where.isBlank() || !Region.regions().contains(Region.of(where))) {
      // A region string comes from an account or an ARN: no client (and no DNS name) is made for
      // one that AWS does not have.
      throw new SecretProblem(SecretProblem.Kind.INVALID, "Secrets Manager secret " + secretId + ": '"
          + ServerText.clean(where, 64) + "' is not an AWS region this operator knows; name a region such as"
          + " us-east-1 (or upgrade the operator for a newer one)");
    }
    GetSecretValueResponse response;
    try {
      response = clients.call(where, () -> build(where),
          client -> client.getSecretValue(r -> r.secretId(secretId).versionStage("AWSCURRENT")));
    } catch (SdkException e) {
      throw map(e, secretId);
    }
    if (response.secretString() == null) {
      throw new SecretProblem(SecretProblem.Kind.INVALID, "Secrets Manager secret " + secretId
          + " holds binary data; the operator needs a secret string");
    }
    return response.secretString();
  }

  /** The region of an ARN (arn:aws:secretsmanager:REGION:...), else the default. */
  String regionOf(String secretId) {
    String[] parts = secretId.split(":");
    if (parts.length >= 6 && "arn".equals(parts[0]) && !parts[3].isEmpty()) {
      return parts[3];
    }
    return defaultRegion;
  }

  static SecretProblem map(SdkException e, String secretId) {
    String name = "Secrets Manager secret " + secretId;
    if (e instanceof ResourceNotFoundException) {
      return new SecretProblem(SecretProblem.Kind.SECRET_NOT_FOUND, name + " does not exist (or not in that region)");
    }
    if (e instanceof DecryptionFailureException) {
      return new SecretProblem(SecretProblem.Kind.ACCESS_DENIED, name + " cannot be decrypted: give the operator's"
          + " identity kms:Decrypt on the secret's KMS key");
    }
    if (e instanceof SecretsManagerException service) {
      String code = service.awsErrorDetails() == null ? "" : ServerText.clean(service.awsErrorDetails().errorCode());
      // AccessDeniedException is not a modelled exception: it arrives as a plain
      // SecretsManagerException, so it is recognised by its error code.
      if ("AccessDeniedException".equals(code) || service.statusCode() == 403) {
        return new SecretProblem(SecretProblem.Kind.ACCESS_DENIED, name + " may not be read: give the operator's"
            + " identity secretsmanager:GetSecretValue on it (and kms:Decrypt for a customer-managed key)");
      }
      if (service.statusCode() >= 500 || "ThrottlingException".equals(code)) {
        return new SecretProblem(SecretProblem.Kind.UNAVAILABLE, name + ": Secrets Manager answered " + code
            + " (HTTP " + service.statusCode() + "); retrying with back-off");
      }
      return new SecretProblem(SecretProblem.Kind.INVALID, name + ": Secrets Manager refused the request ("
          + code + ", HTTP " + service.statusCode() + ")");
    }
    if (e instanceof SdkClientException && Causes.has(e, IOException.class)) {
      return new SecretProblem(SecretProblem.Kind.UNAVAILABLE, name + ": Secrets Manager could not be reached;"
          + " retrying with back-off");
    }
    if (e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("Unable to load credentials")) {
      return new SecretProblem(SecretProblem.Kind.ACCESS_DENIED, name + ": the operator has no AWS identity to"
          + " read it with (IRSA, Pod Identity or environment credentials)");
    }
    return new SecretProblem(SecretProblem.Kind.UNAVAILABLE, name + ": " + e.getClass().getSimpleName()
        + "; retrying with back-off");
  }

  private SecretsManagerClient build(String region) {
    SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
        .region(Region.of(region))
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .httpClientBuilder(AwsHttp.client())
        .overrideConfiguration(o -> o.apiCallAttemptTimeout(AwsHttp.ATTEMPT_TIMEOUT).apiCallTimeout(AwsHttp.CALL_TIMEOUT));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  @Override
  public void close() {
    clients.close();
  }
}
