package io.bucketprotection.operator.deletion;

import static org.awaitility.Awaitility.await;

import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/** Waiting for a deletion's Ready reason. */
final class DeletionMockApiTestSupport {

  private DeletionMockApiTestSupport() {
  }

  static ObjectVersionDeletion awaitReason(KubernetesClient client, String namespace, String name, String reason) {
    try {
      return awaitReasonOrThrow(client, namespace, name, reason);
    } catch (RuntimeException e) {
      var request = client.resources(ObjectVersionDeletion.class).inNamespace(namespace).withName(name).get();
      throw new AssertionError("waiting for " + reason + ", the status is "
          + io.fabric8.kubernetes.client.utils.Serialization.asJson(request == null ? null : request.getStatus()), e);
    }
  }

  private static ObjectVersionDeletion awaitReasonOrThrow(KubernetesClient client, String namespace, String name,
      String reason) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .failFast(() -> {
          ObjectVersionDeletion request = client.resources(ObjectVersionDeletion.class).inNamespace(namespace)
              .withName(name).get();
          return request != null && request.getStatus() != null && request.getStatus().getCompletionTime() != null
              && request.getStatus().getConditions().stream().noneMatch(c -> reason.equals(c.getReason()));
        })
        .until(() -> {
      ObjectVersionDeletion request = client.resources(ObjectVersionDeletion.class).inNamespace(namespace)
          .withName(name).get();
      return request != null && request.getStatus() != null && request.getStatus().getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && reason.equals(c.getReason()));
    });
    return client.resources(ObjectVersionDeletion.class).inNamespace(namespace).withName(name).get();
  }
}
