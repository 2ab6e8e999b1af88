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

  public String read(String namespace, String name, String key) throws SecretProblem {
    Optional<Secret> found = lookup.find(namespace, name);
    if (found.isEmpty()) {
      if (lookup.existsUnlabelled(namespace, name)) {
        throw new SecretProblem(SecretProblem.Kind.NOT_LABELLED, "Secret " + namespace + "/" + name
            + " exists but lacks the label " + SecretLookup.LABEL + ", without which the operator does not read it");
      }
      throw new SecretProblem(SecretProblem.Kind.SECRET_NOT_FOUND, "Secret " + namespace + "/" + name + " does not exist");
    }
    Secret secret = found.get();
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
