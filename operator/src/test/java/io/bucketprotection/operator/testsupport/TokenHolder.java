package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.mfa.InvalidTotpSeedException;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.spec.CodeHolder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The person holding an MFA token whose seed the operator never gets: reads codes off the token
 * and types them into {@code bucketprotection.io/mfa-code} as {@code kubectl annotate --overwrite}
 * does (a merge patch of the object's metadata).
 */
public final class TokenHolder {

  private final TotpSeed seed;
  private final int periodSeconds;

  public TokenHolder(String base32Seed, int periodSeconds) {
    try {
      this.seed = TotpSeed.parse(base32Seed);
    } catch (InvalidTotpSeedException e) {
      throw new IllegalArgumentException("not a base32 seed", e);
    }
    this.periodSeconds = periodSeconds;
  }

  /** What the token shows now. */
  public String codeNow() {
    return codeAt(System.currentTimeMillis() / 1000 / periodSeconds);
  }

  private String codeAt(long step) {
    try {
      return new TotpCodeGenerator().code(seed, step);
    } catch (InvalidTotpSeedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits for the token's next step (a server takes each step once), then reads it. */
  public String codeOfNextStep() throws InterruptedException {
    long next = (System.currentTimeMillis() / 1000 / periodSeconds + 1) * periodSeconds * 1000;
    Thread.sleep(Math.max(0, next - System.currentTimeMillis()) + 50);
    return codeNow();
  }

  /** A 6-digit code the token shows at none of the steps a server accepts now, and not {@code besides}. */
  public String wrongCode(String... besides) {
    long step = System.currentTimeMillis() / 1000 / periodSeconds;
    Set<String> avoid = new HashSet<>(Set.of(besides));
    for (long s = step - 2; s <= step + 2; s++) {
      avoid.add(codeAt(s));
    }
    for (int i = 0; ; i++) {
      String candidate = String.format("%06d", 100_000 + 7 * i);
      if (!avoid.contains(candidate)) {
        return candidate;
      }
    }
  }

  /** {@code kubectl annotate KIND NAME bucketprotection.io/mfa-code=CODE --overwrite}. */
  public static void annotate(KubernetesClient client, Class<? extends HasMetadata> type, String namespace, String name,
      String code) {
    String patch = Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(CodeHolder.ANNOTATION, code))));
    var resources = client.resources(type);
    (namespace == null ? resources.withName(name) : resources.inNamespace(namespace).withName(name))
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /** The code annotation on {@code object}, or null. */
  public static String annotation(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(CodeHolder.ANNOTATION);
  }
}
