package io.bucketprotection.operator.policy;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.aws.ServerText;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Carries a {@link PolicyPlan} out against the API server: creates, puts back and deletes children.
 * A write the API server refuses is named in the result, and the others go on; a bucket is never
 * touched here.
 */
final class ChildWriter {

  private ChildWriter() {
  }

  /** @return the refused writes, in the plan's order ("creating name: what the server said") */
  static List<String> apply(KubernetesClient client, PolicyPlan plan) {
    List<String> failed = new ArrayList<>();
    for (BucketProtection child : plan.create()) {
      try {
        client.resource(child).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          failed.add(refusal("creating", child, e));
        }
      }
    }
    for (BucketProtection child : plan.replace()) {
      try {
        try {
          putBack(client, child);
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          // Its controller patched the child's status between the read and the patch: read again.
          putBack(client, child);
        }
      } catch (KubernetesClientException e) {
        failed.add(refusal("putting back", child, e));
      }
    }
    for (BucketProtection child : plan.delete()) {
      try {
        client.resource(child).delete();
      } catch (KubernetesClientException e) {
        failed.add(refusal("deleting", child, e));
      }
    }
    return failed;
  }

  private static String refusal(String doing, BucketProtection child, KubernetesClientException e) {
    return doing + " " + child.getMetadata().getName() + ": " + ServerText.clean(e.getMessage(), 300);
  }

  /** A patch of what the policy decides (spec, label, owner, no weakening key): the child's status stays. */
  private static void putBack(KubernetesClient client, BucketProtection child) {
    client.resources(BucketProtection.class).inNamespace(child.getMetadata().getNamespace())
        .withName(child.getMetadata().getName()).edit(current -> {
          current.setSpec(child.getSpec());
          Map<String, String> labels = new HashMap<>(Objects.requireNonNullElse(current.getMetadata().getLabels(),
              Map.of()));
          labels.putAll(child.getMetadata().getLabels());
          current.getMetadata().setLabels(labels);
          if (current.getMetadata().getAnnotations() != null) {
            Map<String, String> annotations = new HashMap<>(current.getMetadata().getAnnotations());
            annotations.remove(Tenancy.ALLOW_WEAKENING);
            current.getMetadata().setAnnotations(annotations);
          }
          current.getMetadata().setOwnerReferences(child.getMetadata().getOwnerReferences());
          return current;
        });
  }
}
