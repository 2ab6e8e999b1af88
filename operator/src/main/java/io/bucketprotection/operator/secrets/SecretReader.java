package io.bucketprotection.operator.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** Reads one key of a Kubernetes Secret as text. */
public final class SecretReader {

  private final SecretLookup lookup;

  public SecretReader(SecretLookup lookup) {
    this.lookup = lookup;
  }

  /**
   * Root keys: one GET past the cache (the Secret is labelled {@value SecretLookup#LABEL}={@value
   * SecretLookup#ROOT_KEYS}, which keeps it out of the cache), values returned and forgotten.
   *
   * @return the values of {@code keys} (null for a missing optional one), in order
   */
  public String[] readUncached(String namespace, String name, String[] keys, boolean[] required)
      throws SecretProblem {
    Optional<Secret> found;
    try {
      found = lookup.fetchUncached(namespace, name);
    } catch (IllegalStateException e) {
      throw new SecretProblem(SecretProblem.Kind.UNAVAILABLE, e.getMessage());
    }
    if (found.isEmpty()) {
      throw new SecretProblem(SecretProblem.Kind.SECRET_NOT_FOUND, "Secret " + namespace + "/" + name
          + " does not exist");
    }
    Map<String, String> labels = found.get().getMetadata().getLabels();
    if (labels == null || !SecretLookup.ROOT_KEYS.equals(labels.get(SecretLookup.LABEL))) {
      throw new SecretProblem(SecretProblem.Kind.NOT_LABELLED, "Secret " + namespace + "/" + name
          + " holds root keys but is not labelled " + SecretLookup.LABEL + "=" + SecretLookup.ROOT_KEYS
          + ", the label that keeps root keys out of the operator's cache");
    }
    String[] values = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      try {
        values[i] = value(found.get(), namespace, name, keys[i]);
      } catch (SecretProblem e) {
        if (required[i] || e.kind() != SecretProblem.Kind.KEY_MISSING) {
          throw e;
        }
      }
    }
    return values;
  }

  public String read(String namespace, String name, String key) throws SecretProblem {
    Optional<Secret> found = lookup.find(namespace, name);
    if (found.isEmpty()) {
      if (lookup.existsUnlabelled(namespace, name)) {
        throw new SecretProblem(SecretProblem.Kind.NOT_LABELLED, "Secret " + namespace + "/" + name
            + " exists but lacks the label " + SecretLookup.LABEL + ", without which the operator does not read it");
      }
      throw new SecretProblem(SecretProblem.Kind.SECRET_NOT_FOUND, "Secret " + namespace + "/" + name + " does not exist");
    }
    if (RootKeysStrippingStore.holdsRootKeys(found.get())) {
      throw new SecretProblem(SecretProblem.Kind.INVALID, "Secret " + namespace + "/" + name + " is labelled "
          + SecretLookup.LABEL + "=" + SecretLookup.ROOT_KEYS + ", which only root keys named by spec.credentials may"
          + " be: give it another value of the label");
    }
    return value(found.get(), namespace, name, key);
  }

  private static String value(Secret secret, String namespace, String name, String key) throws SecretProblem {
    Map<String, String> data = secret.getData();
    String encoded = data == null ? null : data.get(key);
    if (encoded == null || encoded.isEmpty()) {
      throw new SecretProblem(SecretProblem.Kind.KEY_MISSING,
          "Secret " + namespace + "/" + name + " has no key " + key);
    }
    try {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).trim();
    } catch (IllegalArgumentException e) {
      throw new SecretProblem(SecretProblem.Kind.INVALID,
          "Secret " + namespace + "/" + name + " key " + key + " is not valid base64 data");
    }
  }
}
