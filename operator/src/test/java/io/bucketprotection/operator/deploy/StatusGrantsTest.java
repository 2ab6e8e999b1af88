package io.bucketprotection.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.testsupport.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No role this project ships lets anyone but the operator write a status. Status holds evidence
 * the operator trusts (who owns a bucket, which device proved itself), so a tenant who could patch
 * it could vouch for themselves. Every Role and ClusterRole in the rendered installs, the
 * monitoring manifests and the examples that grants any verb on a status subresource ({@code
 * x/status}, {@code x/*} or {@code *}) must be bound only to the operator's ServiceAccount (the
 * one its Deployment runs as), and must not aggregate into the built-in user roles (admin, edit,
 * view) or into any other aggregated ClusterRole.
 */
class StatusGrantsTest {

  private static final String AGGREGATE_TO = "rbac.authorization.k8s.io/aggregate-to-";

  @Test
  void onlyTheOperatorsServiceAccountMayWriteAnyStatus() throws Exception {
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      for (String install : List.of("../deploy", "../deploy/namespaced")) {
        List<HasMetadata> objects = Manifests.typed(client, Manifests.kustomize(Path.of(install)));
        String operator = operatorServiceAccount(objects);
        assertEquals(List.of(), problems(objects, operator), install);
        // Not vacuous: the operator's own status grants were seen, and are bound to it.
        assertTrue(objects.stream().anyMatch(o -> !statusGrants(o).isEmpty()), install + ": no status grant seen at all");
      }
      List<HasMetadata> loose = new ArrayList<>();
      for (Path dir : List.of(Path.of("../deploy/monitoring"), Path.of("../examples"))) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).toList()) {
            loose.addAll(Manifests.typed(client, Files.readString(file)));
          }
        }
      }
      assertFalse(loose.isEmpty(), "the examples were read");
      assertEquals(List.of(), problems(loose, "system:serviceaccount:bucket-protection-system:bucket-protection-operator"),
          "deploy/monitoring and examples/");
    }
  }

  /** The check itself: a role that hands status to users, however it is done, is reported. */
  @Test
  void aUserRoleThatTouchesStatusIsReported() throws Exception {
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      List<HasMetadata> objects = new ArrayList<>(Manifests.typed(client, Manifests.kustomize(Path.of("../deploy"))));
      String operator = operatorServiceAccount(objects);
      assertEquals(List.of(), problems(objects, operator));

      // An aggregated "edit" role that may update the status of BucketProtections.
      List<HasMetadata> aggregated = new ArrayList<>(objects);
      aggregated.add(new ClusterRoleBuilder().withNewMetadata().withName("bucketprotection-edit")
          .addToLabels(AGGREGATE_TO + "edit", "true").endMetadata()
          .addNewRule().withApiGroups("bucketprotection.io").withResources("bucketprotections", "bucketprotections/status")
          .withVerbs("get", "update").endRule().build());
      assertReported(problems(aggregated, operator), "bucketprotection-edit");

      // A view role: even reading through the status subresource is a grant on it; and "*" covers it.
      List<HasMetadata> wildcard = new ArrayList<>(objects);
      wildcard.add(new ClusterRoleBuilder().withNewMetadata().withName("bucketprotection-view")
          .addToLabels(AGGREGATE_TO + "view", "true").endMetadata()
          .addNewRule().withApiGroups("bucketprotection.io").withResources("*").withVerbs("get").endRule().build());
      assertReported(problems(wildcard, operator), "bucketprotection-view");

      // The operator's own ClusterRole, also bound to a group of people.
      List<HasMetadata> shared = new ArrayList<>(objects);
      shared.add(new RoleBindingBuilder().withNewMetadata().withName("team-a-operator").withNamespace("team-a").endMetadata()
          .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "bucket-protection-operator")
          .addNewSubject().withKind("Group").withName("team-a").withApiGroup("rbac.authorization.k8s.io").endSubject()
          .build());
      assertReported(problems(shared, operator), "Group team-a");
    }
  }

  private static void assertReported(List<String> problems, String culprit) {
    assertFalse(problems.isEmpty(), culprit + " was not reported");
    assertTrue(problems.stream().allMatch(p -> p.contains(culprit)), problems.toString());
  }

  /** "system:serviceaccount:NAMESPACE:NAME" of the operator's Deployment. */
  static String operatorServiceAccount(List<HasMetadata> objects) {
    Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .filter(d -> "bucket-protection-operator".equals(d.getMetadata().getName())).findFirst().orElseThrow();
    return "system:serviceaccount:" + deployment.getMetadata().getNamespace() + ":"
        + deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
  }

  /** Why each role that grants a verb on a status reaches someone other than {@code operator}. */
  static List<String> problems(List<HasMetadata> objects, String operator) {
    List<String> problems = new ArrayList<>();
    for (HasMetadata role : objects) {
      List<String> grants = statusGrants(role);
      if (grants.isEmpty()) {
        continue;
      }
      String name = role.getKind() + " " + (role.getMetadata().getNamespace() == null ? ""
          : role.getMetadata().getNamespace() + "/") + role.getMetadata().getName();
      Map<String, String> labels = role.getMetadata().getLabels() == null ? Map.of() : role.getMetadata().getLabels();
      labels.keySet().stream().filter(k -> k.startsWith(AGGREGATE_TO))
          .forEach(k -> problems.add(name + " grants " + grants + " and aggregates into user roles (" + k + ")"));
      for (HasMetadata other : objects) {
        if (other instanceof ClusterRole aggregating && aggregating.getAggregationRule() != null
            && aggregating.getAggregationRule().getClusterRoleSelectors().stream().anyMatch(s -> selects(s, labels))) {
          problems.add(name + " grants " + grants + " and is aggregated into ClusterRole "
              + aggregating.getMetadata().getName());
        }
      }
      List<String> subjects = subjectsOf(objects, role);
      if (subjects.isEmpty()) {
        problems.add(name + " grants " + grants + " and is bound to nobody here: a role for users to bind");
      }
      subjects.stream().filter(s -> !s.equals(operator))
          .forEach(s -> problems.add(name + " grants " + grants + " to " + s));
    }
    return problems;
  }

  /** "group resource verb" for each verb a Role or ClusterRole grants on a status subresource. */
  static List<String> statusGrants(HasMetadata object) {
    List<PolicyRule> rules = object instanceof ClusterRole cr ? cr.getRules()
        : object instanceof Role r ? r.getRules() : List.of();
    List<String> grants = new ArrayList<>();
    for (PolicyRule rule : rules == null ? List.<PolicyRule>of() : rules) {
      for (String resource : rule.getResources() == null ? List.<String>of() : rule.getResources()) {
        // "*" is every resource and subresource; "x/*" every subresource of x; "*/status" every status.
        if (resource.equals("*") || resource.endsWith("/*") || resource.endsWith("/status")) {
          for (String verb : rule.getVerbs()) {
            grants.add(String.join(",", rule.getApiGroups()) + " " + resource + " " + verb);
          }
        }
      }
    }
    return grants;
  }

  /** Everyone a binding in {@code objects} gives {@code role} to, as RBAC names them. */
  private static List<String> subjectsOf(List<HasMetadata> objects, HasMetadata role) {
    List<String> subjects = new ArrayList<>();
    for (HasMetadata object : objects) {
      List<Subject> bound;
      String refKind;
      String refName;
      String bindingNamespace;
      if (object instanceof ClusterRoleBinding b) {
        bound = b.getSubjects();
        refKind = b.getRoleRef().getKind();
        refName = b.getRoleRef().getName();
        bindingNamespace = null;
      } else if (object instanceof RoleBinding b) {
        bound = b.getSubjects();
        refKind = b.getRoleRef().getKind();
        refName = b.getRoleRef().getName();
        bindingNamespace = b.getMetadata().getNamespace();
      } else {
        continue;
      }
      boolean refers = refKind.equals(role.getKind()) && refName.equals(role.getMetadata().getName())
          && (role instanceof ClusterRole || java.util.Objects.equals(bindingNamespace, role.getMetadata().getNamespace()));
      if (!refers) {
        continue;
      }
      for (Subject s : bound == null ? List.<Subject>of() : bound) {
        subjects.add("ServiceAccount".equals(s.getKind())
            ? "system:serviceaccount:" + (s.getNamespace() == null ? bindingNamespace : s.getNamespace()) + ":" + s.getName()
            : s.getKind() + " " + s.getName());
      }
    }
    return subjects;
  }

  /** A label selector of an aggregation rule against a role's labels. */
  private static boolean selects(LabelSelector selector, Map<String, String> labels) {
    boolean matchLabels = selector.getMatchLabels() == null
        || selector.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    boolean expressions = selector.getMatchExpressions() == null || selector.getMatchExpressions().stream().allMatch(e ->
        switch (e.getOperator()) {
          case "In" -> e.getValues().contains(labels.get(e.getKey()));
          case "NotIn" -> !e.getValues().contains(labels.get(e.getKey()));
          case "Exists" -> labels.containsKey(e.getKey());
          case "DoesNotExist" -> !labels.containsKey(e.getKey());
          default -> true;
        });
    return matchLabels && expressions;
  }
}
