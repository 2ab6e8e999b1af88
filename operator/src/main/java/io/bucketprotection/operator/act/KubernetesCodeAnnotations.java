package io.bucketprotection.operator.act;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.spec.CodeHolder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CodeAnnotations} on the API server: one JSON patch that tests the annotation still holds
 * the code, then removes it, so a code a person typed meanwhile is never removed by mistake.
 */
public final class KubernetesCodeAnnotations implements CodeAnnotations {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesCodeAnnotations.class);
  /** The annotation's JSON pointer: "/" in its name written as "~1". */
  private static final String PATH = "/metadata/annotations/" + CodeHolder.ANNOTATION.replace("~", "~0").replace("/", "~1");

  private final KubernetesClient client;

  public KubernetesCodeAnnotations(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void remove(CodeHolder holder, String code) {
    if (code == null) {
      return;
    }
    String patch = Serialization.asJson(List.of(
        Map.of("op", "test", "path", PATH, "value", code),
        Map.of("op", "remove", "path", PATH)));
    try {
      var resources = client.resources(type(holder));
      var named = holder.namespace() == null ? resources.withName(holder.name())
          : resources.inNamespace(holder.namespace()).withName(holder.name());
      named.patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      // 422: the test failed (a new code, or already removed); 404: the object is gone. The
      // operator remembers the codes it sent, so a code left behind is never used twice.
      LOG.debug("{}: code annotation not removed (HTTP {})", holder, e.getCode());
    }
  }

  private static Class<? extends HasMetadata> type(CodeHolder holder) {
    return switch (holder.kind()) {
      case "ClusterS3Account" -> ClusterS3Account.class;
      case "S3Account" -> S3Account.class;
      default -> BucketProtection.class;
    };
  }
}
