package io.bucketprotection.operator.testsupport;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Renders kustomizations with kubectl and reads them into fabric8's typed model, strictly. */
public final class Manifests {

  private Manifests() {
  }

  /** {@code kubectl kustomize DIR}, the way CI and users render deploy/. */
  public static String kustomize(Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("kubectl kustomize " + dir + " failed:\n" + out);
    }
    return out;
  }

  public static List<HasMetadata> typed(KubernetesClient client, String yaml) {
    return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  /**
   * Paths of every field the typed model did not know (fabric8 keeps them in its
   * {@code @JsonAnyGetter} maps instead of failing): a misspelt manifest field shows up here.
   */
  public static List<String> unknownFields(Object root) {
    List<String> found = new ArrayList<>();
    walk(root, root.getClass().getSimpleName(), found, 0);
    return found;
  }

  private static void walk(Object node, String path, List<String> found, int depth) {
    if (node == null || depth > 40) {
      return;
    }
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", found, depth + 1);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, found, depth + 1));
      return;
    }
    if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method m : node.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        if (m.isAnnotationPresent(JsonAnyGetter.class)) {
          Object extra = m.invoke(node);
          if (extra instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
            unknown.keySet().forEach(k -> found.add(path + "." + k));
          }
        } else if (m.getName().startsWith("get") && !m.getName().equals("getClass")) {
          walk(m.invoke(node), path + "." + m.getName().substring(3), found, depth + 1);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
