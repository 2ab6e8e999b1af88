package io.bucketprotection.operator.s3;

import io.bucketprotection.operator.aws.AwsHttp;
import io.bucketprotection.operator.aws.ServerText;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/** sts:GetCallerIdentity, for the device proof: which principal the keys of an address are. */
final class CallerIdentity {

  private CallerIdentity() {
  }

  /** The caller's ARN, or empty when the endpoint has no GetCallerIdentity (RadosGW 16). */
  static Optional<String> arn(BucketAddress address, String defaultRegion, Identities identities)
      throws BucketStoreException {
    StsClientBuilder builder = StsClient.builder()
        .region(Region.of(address.region() != null ? address.region() : defaultRegion))
        .httpClientBuilder(AwsHttp.client())
        .credentialsProvider(Identities.perRequest(address.signer())
            .orElseGet(() -> identities.clientProvider(address.signer())))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(AwsHttp.CALL_TIMEOUT));
    if (address.endpoint() != null) {
      builder.endpointOverride(address.endpoint());
    }
    // A client for one call: proofs are rare (once per credentials source and generation).
    try (StsClient sts = builder.build()) {
      return Optional.of(ServerText.clean(sts.getCallerIdentity().arn()));
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      if (e.statusCode() == 400 || e.statusCode() == 404 || e.statusCode() == 405 || e.statusCode() == 501
          || "InvalidAction".equals(code) || "NotImplemented".equals(code) || "MethodNotAllowed".equals(code)) {
        // The endpoint has no GetCallerIdentity (RadosGW 16 answers an unknown action so).
        return Optional.empty();
      }
      throw S3ErrorMapper.map(e, false);
    } catch (SdkException e) {
      throw S3ErrorMapper.map(e, false);
    }
  }
}
