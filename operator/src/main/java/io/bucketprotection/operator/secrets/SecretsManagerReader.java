package io.bucketprotection.operator.secrets;

/** Reads the current secret string of a Secrets Manager secret. Implementations never log values. */
public interface SecretsManagerReader {

  /** @param region where to ask; null for the region in an ARN secretId, else the default */
  String read(String secretId, String region) throws SecretProblem;
}
