package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionSpec;
import io.bucketprotection.operator.api.CredentialsSource;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.SecretKeyReference;
import io.bucketprotection.operator.api.SecretReference;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.bucketprotection.operator.secrets.SecretLookup;
import io.bucketprotection.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Builders for the objects tests create. */
public final class Resources {

  private Resources() {
  }

  public static BucketProtection protection(String namespace, String name, String bucket, String versioning) {
    BucketProtection resource = new BucketProtection();
    resource.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    BucketProtectionSpec spec = new BucketProtectionSpec();
    spec.setBucket(bucket);
    spec.setVersioning(versioning);
    resource.setSpec(spec);
    return resource;
  }

  public static BucketProtection withMfaDelete(BucketProtection resource, String mfaDelete, String serial,
      String seedSecret, int periodSeconds) {
    resource.getSpec().setMfaDelete(mfaDelete);
    resource.getSpec().setMfa(new MfaSpec(serial, new TotpSeedSource(new SecretKeyReference(seedSecret, "seed")),
        periodSeconds));
    return resource;
  }

  /** MFA Delete Enabled with an inline device whose seed nobody stores: a person annotates the codes. */
  public static BucketProtection withSeedlessMfaDelete(BucketProtection resource, String serial, int periodSeconds) {
    resource.getSpec().setMfaDelete("Enabled");
    resource.getSpec().setMfa(new MfaSpec(serial, null, periodSeconds));
    return resource;
  }

  public static BucketProtection withCredentials(BucketProtection resource, String secretName) {
    resource.getSpec().setCredentials(new CredentialsSource(new SecretReference(secretName)));
    return resource;
  }

  /**
   * A Secret the operator may read (it carries the label bucketprotection.io/secret), with
   * {@code data} filled as a real API server stores it (base64).
   */
  public static Secret secret(String namespace, String name, Map<String, String> values) {
    Secret secret = unlabelledSecret(namespace, name, values);
    secret.getMetadata().setLabels(Map.of(SecretLookup.LABEL, ""));
    return secret;
  }

  /**
   * Root keys as the operator wants them: labelled bucketprotection.io/secret=root-keys, which keeps
   * them out of its cache (it reads them with one GET when a coded request goes).
   */
  public static Secret rootKeys(String namespace, String name, Map<String, String> values) {
    Secret secret = unlabelledSecret(namespace, name, values);
    secret.getMetadata().setLabels(Map.of(SecretLookup.LABEL, SecretLookup.ROOT_KEYS));
    return secret;
  }

  /** A Secret without the label: the operator does not cache or read it. */
  public static Secret unlabelledSecret(String namespace, String name, Map<String, String> values) {
    Map<String, String> data = new LinkedHashMap<>();
    values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withData(data).build();
  }

  public static Optional<Condition> ready(BucketProtection resource) {
    return resource == null || resource.getStatus() == null ? Optional.empty()
        : Conditions.find(resource.getStatus().getConditions(), Conditions.READY);
  }

  public static String readyReason(BucketProtection resource) {
    return ready(resource).map(Condition::getReason).orElse(null);
  }

  /**
   * Waits until the resource's Ready condition carries {@code reason}, and returns it. On a timeout
   * the failure names the reason and message last seen, so a red run says what happened instead.
   */
  public static BucketProtection awaitReason(KubernetesClient client, String namespace, String name, String reason,
      Duration timeout) {
    return awaitReason(client, namespace, name, Set.of(reason), timeout);
  }

  /** Converged: Ready True because the operator applied the spec, or found it so. */
  public static final Set<String> CONVERGED = Set.of("Applied", "InSync");

  /** Whether the resource's Ready reason is Applied or InSync (false before its first status). */
  public static boolean converged(BucketProtection resource) {
    String reason = resource == null ? null : readyReason(resource);
    return reason != null && CONVERGED.contains(reason);
  }

  /** As {@link #awaitReason(KubernetesClient, String, String, String, Duration)}, for any of {@code reasons}. */
  public static BucketProtection awaitReason(KubernetesClient client, String namespace, String name,
      Set<String> reasons, Duration timeout) {
    String reason = String.join(" or ", new java.util.TreeSet<>(reasons));
    var resource = client.resources(BucketProtection.class).inNamespace(namespace).withName(name);
    try {
      Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            String now = readyReason(resource.get());
            return now != null && reasons.contains(now); // Set.of(...).contains(null) throws
          });
    } catch (ConditionTimeoutException e) {
      BucketProtection current = resource.get();
      String seen = current == null ? "(no such resource)"
          : ready(current).map(c -> c.getReason() + ": " + c.getMessage()).orElse("(no Ready condition)");
      throw new AssertionError(namespace + "/" + name + " never reached " + reason + "; last seen: " + seen, e);
    }
    return resource.get();
  }
}
