package io.bucketprotection.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.testsupport.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The roles for people that `kubectl apply -k deploy/` installs: a namespace editor manages every
 * namespaced kind without custom RBAC (aggregated into edit and admin), a viewer reads them
 * (aggregated into view), nobody gains a verb on any status subresource, and ClusterS3Accounts
 * stay out of both.
 */
class UserRolesTest {

  private static final String AGGREGATE_TO = "rbac.authorization.k8s.io/aggregate-to-";

  @Test
  void editAndViewCoverExactlyTheNamespacedKindsAndNoStatus() throws Exception {
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      List<HasMetadata> objects = Manifests.typed(client, Manifests.kustomize(Path.of("../deploy")));
      Set<String> namespacedKinds = new TreeSet<>();
      for (HasMetadata object : objects) {
        if (object instanceof CustomResourceDefinition crd && "Namespaced".equals(crd.getSpec().getScope())) {
          namespacedKinds.add(crd.getSpec().getNames().getPlural());
        }
      }
      assertTrue(namespacedKinds.contains("bucketprotections") && !namespacedKinds.contains("clusters3accounts"),
          namespacedKinds.toString());

      ClusterRole edit = role(objects, "bucketprotection-edit");
      assertEquals(Map.of(AGGREGATE_TO + "admin", "true", AGGREGATE_TO + "edit", "true"), aggregation(edit));
      assertEquals(namespacedKinds, resources(edit));
      assertEquals(Set.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
          verbs(edit));

      ClusterRole view = role(objects, "bucketprotection-view");
      assertEquals(Map.of(AGGREGATE_TO + "admin", "true", AGGREGATE_TO + "edit", "true", AGGREGATE_TO + "view", "true"),
          aggregation(view));
      assertEquals(namespacedKinds, resources(view));
      assertEquals(Set.of("get", "list", "watch"), verbs(view));

      for (ClusterRole role : List.of(edit, view)) {
        assertEquals(List.of(), wideGrants(role), role.getMetadata().getName());
      }
    }
  }

  /** The check above notices a status grant or a wildcard (it is not vacuous). */
  @Test
  void aStatusOrWildcardGrantIsNoticed() {
    ClusterRole role = new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder().withNewMetadata()
        .withName("x").endMetadata()
        .addNewRule().withApiGroups("bucketprotection.io").withResources("bucketprotections/status")
        .withVerbs("get").endRule()
        .addNewRule().withApiGroups("*").withResources("bucketprotections").withVerbs("get").endRule()
        .build();
    assertEquals(2, wideGrants(role).size(), wideGrants(role).toString());
  }

  private static ClusterRole role(List<HasMetadata> objects, String name) {
    return objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
        .filter(r -> name.equals(r.getMetadata().getName())).findFirst()
        .orElseThrow(() -> new AssertionError("deploy/ renders no ClusterRole " + name));
  }

  private static Map<String, String> aggregation(ClusterRole role) {
    Map<String, String> labels = new java.util.TreeMap<>(role.getMetadata().getLabels());
    labels.keySet().removeIf(k -> !k.startsWith(AGGREGATE_TO));
    return labels;
  }

  private static Set<String> resources(ClusterRole role) {
    Set<String> resources = new TreeSet<>();
    role.getRules().forEach(rule -> resources.addAll(rule.getResources()));
    return resources;
  }

  private static Set<String> verbs(ClusterRole role) {
    Set<String> verbs = new TreeSet<>();
    role.getRules().forEach(rule -> verbs.addAll(rule.getVerbs()));
    return verbs;
  }

  /** Grants on a subresource (status among them), on "*", or outside bucketprotection.io. */
  private static List<String> wideGrants(ClusterRole role) {
    List<String> wide = new ArrayList<>();
    for (PolicyRule rule : role.getRules()) {
      if (!List.of("bucketprotection.io").equals(rule.getApiGroups())) {
        wide.add("apiGroups " + rule.getApiGroups());
      }
      rule.getResources().stream().filter(r -> r.contains("/") || r.contains("*"))
          .forEach(r -> wide.add("resource " + r));
      rule.getVerbs().stream().filter("*"::equals).forEach(v -> wide.add("verb *"));
      if (rule.getResourceNames() != null && !rule.getResourceNames().isEmpty()
          || rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
        wide.add("resourceNames or nonResourceURLs");
      }
    }
    return wide;
  }
}
