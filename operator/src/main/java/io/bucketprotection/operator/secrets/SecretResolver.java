package io.bucketprotection.operator.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reads a secret value from wherever the spec says it is: a Kubernetes Secret (informer cache)
 * or AWS Secrets Manager (cached for a bounded time).
 */
public final class SecretResolver {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretReader kubernetes;
  private final CachingSecretsManagerReader secretsManager;

  public SecretResolver(SecretReader kubernetes, CachingSecretsManagerReader secretsManager) {
    this.kubernetes = kubernetes;
    this.secretsManager = secretsManager;
  }

  /**
   * One value. For a Kubernetes Secret {@code field} overrides the source's key (credentials use
   * fixed keys); for Secrets Manager, a JSON secret string is read at {@code field} (or the
   * source's key), and a plain string is the value itself when no field is asked for.
   */
  public String read(SecretSource source, String field) throws SecretProblem {
    if (source instanceof SecretSource.KubernetesSecret k8s) {
      return kubernetes.read(k8s.namespace(), k8s.name(), field != null ? field : k8s.key());
    }
    SecretSource.SecretsManagerSecret sm = (SecretSource.SecretsManagerSecret) source;
    String secretString = secretsManager.read(sm.secretId(), sm.region());
    String wanted = field != null ? field : sm.key();
    return fieldOf(secretString, wanted, sm.secretId());
  }

  /**
   * Several keys of one secret, read past every cache and kept nowhere: for root keys, which
   * live only as long as the request that needs them. A Kubernetes Secret costs one GET and must be
   * labelled {@value SecretLookup#LABEL}={@value SecretLookup#ROOT_KEYS}; a Secrets Manager secret
   * costs one GetSecretValue.
   *
   * @param required per field: whether a missing key is a problem (else its value is null)
   */
  public String[] readUncached(SecretSource source, String[] fields, boolean[] required) throws SecretProblem {
    if (source instanceof SecretSource.KubernetesSecret k8s) {
      return kubernetes.readUncached(k8s.namespace(), k8s.name(), fields, required);
    }
    SecretSource.SecretsManagerSecret sm = (SecretSource.SecretsManagerSecret) source;
    String secretString = secretsManager.readUncached(sm.secretId(), sm.region());
    String[] values = new String[fields.length];
    for (int i = 0; i < fields.length; i++) {
      try {
        values[i] = fieldOf(secretString, fields[i], sm.secretId());
      } catch (SecretProblem e) {
        if (required[i] || e.kind() != SecretProblem.Kind.KEY_MISSING) {
          throw e;
        }
      }
    }
    return values;
  }

  /** Like {@link #read}, but a missing key gives null instead of a problem. */
  public String readOptional(SecretSource source, String field) throws SecretProblem {
    try {
      return read(source, field);
    } catch (SecretProblem e) {
      if (e.kind() == SecretProblem.Kind.KEY_MISSING) {
        return null;
      }
      throw e;
    }
  }

  static String fieldOf(String secretString, String field, String secretId) throws SecretProblem {
    String trimmed = secretString.trim();
    if (!trimmed.startsWith("{")) {
      if (field == null) {
        return trimmed;
      }
      throw new SecretProblem(SecretProblem.Kind.KEY_MISSING, "Secrets Manager secret " + secretId
          + " is not JSON, so it has no key " + field);
    }
    JsonNode node;
    try {
      node = JSON.readTree(trimmed);
    } catch (IOException e) {
      // Jackson's message may quote the input: keep only our own words.
      throw new SecretProblem(SecretProblem.Kind.INVALID, "Secrets Manager secret " + secretId
          + " looks like JSON but does not parse");
    }
    if (field == null) {
      throw new SecretProblem(SecretProblem.Kind.INVALID, "Secrets Manager secret " + secretId
          + " is JSON: name the field holding the value with key");
    }
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new SecretProblem(SecretProblem.Kind.KEY_MISSING, "Secrets Manager secret " + secretId
          + " has no key " + field);
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new SecretProblem(SecretProblem.Kind.INVALID, "Secrets Manager secret " + secretId
          + " key " + field + " is not a non-empty string");
    }
    return value.asText().trim();
  }

  /** After S3 refused what a Secrets Manager value held: fetch it again next time (it may have rotated). */
  public void forget(SecretSource source) {
    if (source instanceof SecretSource.SecretsManagerSecret sm) {
      secretsManager.invalidate(sm.secretId(), sm.region());
    }
  }
}
