package io.bucketprotection.operator.policy;

import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * Removes a deleted policy's finalizer with a patch of exactly that entry. JOSDK's own removal is
 * a diff between its cached copy and the object as it then reads it: after this controller wrote
 * the status (a whole-status replace), that diff can carry the old status's map keys as removals,
 * which the API server refuses (422), so the finalizer would stay until the cache caught up.
 */
final class Finalizer {

  /** Attempts when another writer changes the finalizer list in between (409, or the test op fails: 422). */
  private static final int ATTEMPTS = 3;

  private Finalizer() {
  }

  static void remove(KubernetesClient client, BucketProtectionPolicy policy, String finalizer) {
    var resource = client.resources(BucketProtectionPolicy.class).inNamespace(policy.getMetadata().getNamespace())
        .withName(policy.getMetadata().getName());
    for (int attempt = 1; ; attempt++) {
      BucketProtectionPolicy current = resource.get();
      List<String> finalizers = current == null ? null : current.getMetadata().getFinalizers();
      int index = finalizers == null ? -1 : finalizers.indexOf(finalizer);
      if (index < 0) {
        return;
      }
      String path = "/metadata/finalizers/" + index;
      try {
        resource.patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(
            Map.of("op", "test", "path", path, "value", finalizer), Map.of("op", "remove", "path", path))));
        return;
      } catch (KubernetesClientException e) {
        if ((e.getCode() != 409 && e.getCode() != 422) || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
