package io.bucketprotection.operator.metrics;

import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretsManagerReader;

/** Counts GetSecretValue calls (below the cache: only real fetches) by outcome. */
public final class MeteredSecretsManagerReader implements SecretsManagerReader {

  private final SecretsManagerReader delegate;
  private final OperatorMetrics metrics;

  public MeteredSecretsManagerReader(SecretsManagerReader delegate, OperatorMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public String read(String secretId, String region) throws SecretProblem {
    try {
      String value = delegate.read(secretId, region);
      metrics.secretsManagerFetch("ok");
      return value;
    } catch (SecretProblem e) {
      metrics.secretsManagerFetch(e.kind().name());
      throw e;
    }
  }
}
