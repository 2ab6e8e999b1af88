package io.bucketprotection.operator.deploy;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.unlabelledSecret;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static io.bucketprotection.operator.testsupport.Resources.withMfaDelete;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.Configs;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.HelmChart;
import io.bucketprotection.operator.testsupport.Manifests;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Policies;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each install grants exactly the calls the operator makes, in the scopes it makes them: a scenario
 * with leader election, Secrets, status patches, events, code annotations and a policy's children
 * is run against the mock API server by an operator configured as the install's Deployment
 * configures it, every request it sent is turned into (namespace, group, resource, verb), and that
 * set must equal what the install's roles grant. A ClusterRole grants in every namespace and at
 * cluster scope, a Role only in its own namespace. A missing grant (a call RBAC would refuse,
 * including a cluster-wide call made by the namespaced install) or an unused one fails. The Helm
 * chart's default and namespaced renders are held to the same.
 */
class RbacTest {

  private static final String USER_AGENT = "bucket-protection-operator-rbac-test";
  private static final Pattern CORE = Pattern.compile("^/api/v1/(?:namespaces/([^/]+)/)?([^/?]+)(/[^/?]+)?(/[^/?]+)?");
  private static final Pattern GROUP = Pattern.compile("^/apis/([^/]+)/[^/]+/(?:namespaces/([^/]+)/)?([^/?]+)(/[^/?]+)?(/[^/?]+)?");
  /** The scope of a ClusterRole's grants: every namespace, and cluster-scoped objects. */
  private static final String EVERYWHERE = "*";

  /** The installs: kustomize's deploy/ and deploy/namespaced/, and the Helm chart's renders of the same. */
  private static String render(String install) throws Exception {
    return install.startsWith("helm:") ? HelmChart.render(install.substring("helm:".length()))
        : Manifests.kustomize(Path.of(install));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../deploy", "helm:default"})
  void theClusterWideInstallGrantsExactlyTheCallsTheOperatorMakes(String source) throws Exception {
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      List<HasMetadata> install = Manifests.typed(kubernetes.client(), render(source));
      assertEquals(Differences.NONE, Differences.of(granted(install), exercise(kubernetes, install, "team")));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../deploy/namespaced", "helm:namespaced"})
  void theNamespacedInstallGrantsExactlyTheCallsTheOperatorMakesInItsNamespace(String source) throws Exception {
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      List<HasMetadata> install = Manifests.typed(kubernetes.client(), render(source));
      assertTrue(install.stream().noneMatch(ClusterRole.class::isInstance), "the namespaced install has no ClusterRole");
      String own = deployment(install).getMetadata().getNamespace();
      assertEquals(Differences.NONE, Differences.of(granted(install), exercise(kubernetes, install, own)));
    }
  }

  /** The comparison itself: a Role that lost a rule, or gained a verb or a resource, differs. */
  @Test
  void aDroppedOrWidenedRuleIsADifference() throws Exception {
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      List<HasMetadata> install = Manifests.typed(kubernetes.client(), Manifests.kustomize(Path.of("../deploy/namespaced")));
      Set<String> granted = granted(install);
      String ns = deployment(install).getMetadata().getNamespace();
      assertTrue(granted.contains(ns + " bucketprotection.io/s3accounts/status patch"), granted.toString());
      Set<String> used = new TreeSet<>(granted);
      Role role = install.stream().filter(Role.class::isInstance).map(Role.class::cast)
          .filter(r -> r.getMetadata().getName().equals("bucket-protection-operator")).findFirst().orElseThrow();

      role.getRules().removeIf(r -> r.getResources().equals(List.of("s3accounts/status")));
      assertEquals(new Differences(Set.of(ns + " bucketprotection.io/s3accounts/status patch"), Set.of()),
          Differences.of(granted(install), used));

      role.getRules().add(new PolicyRuleBuilder().withApiGroups("").withResources("secrets", "configmaps")
          .withVerbs("get", "update").build());
      Differences widened = Differences.of(granted(install), used);
      assertTrue(widened.unused().containsAll(Set.of(ns + " /secrets update", ns + " /configmaps get")), widened.toString());

      // A Role reaches only its namespace: the same call elsewhere, or across all namespaces, is refused.
      assertEquals(Set.of("team bucketprotection.io/bucketprotections list", "- bucketprotection.io/bucketprotections watch"),
          Differences.of(granted, Set.of("team bucketprotection.io/bucketprotections list",
              "- bucketprotection.io/bucketprotections watch")).missing());
    }
  }

  /**
   * @param missing calls the operator made that no role grants (RBAC would refuse them)
   * @param unused grants no call used
   */
  record Differences(Set<String> missing, Set<String> unused) {

    static final Differences NONE = new Differences(Set.of(), Set.of());

    /** {@code granted}: "SCOPE group/resource verb" (SCOPE a namespace or *); {@code used}: "NAMESPACE group/resource verb" (NAMESPACE - at cluster scope). */
    static Differences of(Set<String> granted, Set<String> used) {
      Set<String> missing = new TreeSet<>();
      Set<String> unused = new TreeSet<>(granted);
      for (String call : used) {
        String what = call.substring(call.indexOf(' '));
        String namespace = call.substring(0, call.indexOf(' '));
        boolean byRole = !namespace.equals("-") && granted.contains(call);
        boolean byClusterRole = granted.contains(EVERYWHERE + what);
        if (!byRole && !byClusterRole) {
          missing.add(call);
        }
        if (byRole) {
          unused.remove(call);
        }
        if (byClusterRole) {
          unused.remove(EVERYWHERE + what);
        }
      }
      return new Differences(missing, unused);
    }
  }

  /** "SCOPE group/resource verb" for every rule of every Role (SCOPE its namespace) and ClusterRole (SCOPE *). */
  static Set<String> granted(List<HasMetadata> install) {
    Set<String> granted = new TreeSet<>();
    Set<String> bound = boundToOperator(install);
    for (HasMetadata object : install) {
      if (!bound.contains(object.getKind() + "/" + object.getMetadata().getName())) {
        continue; // a role for people (bucketprotection-edit, -view): not the operator's grants
      }
      List<PolicyRule> rules = object instanceof ClusterRole cr ? cr.getRules()
          : object instanceof Role role ? role.getRules() : List.of();
      String scope = object instanceof Role ? object.getMetadata().getNamespace() : EVERYWHERE;
      for (PolicyRule rule : rules) {
        for (String group : rule.getApiGroups()) {
          for (String resource : rule.getResources()) {
            for (String verb : rule.getVerbs()) {
              granted.add(scope + " " + group + "/" + resource + " " + verb);
            }
          }
        }
      }
    }
    return granted;
  }

  /** "Kind/name" of every role a binding in the install gives the operator's ServiceAccount. */
  private static Set<String> boundToOperator(List<HasMetadata> install) {
    Deployment deployment = deployment(install);
    String account = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    String namespace = deployment.getMetadata().getNamespace();
    Set<String> bound = new TreeSet<>();
    for (HasMetadata object : install) {
      List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects = object instanceof ClusterRoleBinding b
          ? b.getSubjects() : object instanceof io.fabric8.kubernetes.api.model.rbac.RoleBinding b ? b.getSubjects()
          : List.of();
      io.fabric8.kubernetes.api.model.rbac.RoleRef ref = object instanceof ClusterRoleBinding b ? b.getRoleRef()
          : object instanceof io.fabric8.kubernetes.api.model.rbac.RoleBinding b ? b.getRoleRef() : null;
      if (ref != null && subjects.stream().anyMatch(subject -> "ServiceAccount".equals(subject.getKind())
          && account.equals(subject.getName()) && namespace.equals(subject.getNamespace()))) {
        bound.add(ref.getKind() + "/" + ref.getName());
      }
    }
    return bound;
  }

  private static Deployment deployment(List<HasMetadata> install) {
    return install.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
  }

  /** The settings the install's Deployment gives the operator (the downward API filled in), and a short lease. */
  private static OperatorConfig configOf(List<HasMetadata> install) {
    Deployment deployment = deployment(install);
    Map<String, String> env = new java.util.HashMap<>();
    for (EnvVar var : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
        String field = var.getValueFrom().getFieldRef().getFieldPath();
        env.put(var.getName(), field.equals("metadata.namespace") ? deployment.getMetadata().getNamespace() : "rbac-0");
      } else {
        env.put(var.getName(), var.getValue());
      }
    }
    env.put("BPO_LEADER_ELECTION_LEASE_DURATION", "3s");
    return Configs.withoutExitOnLeaderLoss(OperatorConfig.fromEnvironment(env));
  }

  /**
   * Runs an operator configured as {@code install}'s Deployment through every kind of call it makes,
   * with the users' objects in {@code ns} (ClusterS3Accounts too when the install serves them), and
   * returns the calls it sent as "NAMESPACE group/resource verb".
   */
  private static Set<String> exercise(MockKubernetes kubernetes, List<HasMetadata> install, String ns) throws Exception {
    OperatorConfig config = configOf(install);
    boolean cluster = config.clusterAccounts();
    String operatorNamespace = deployment(install).getMetadata().getNamespace();
    FakeBucketStore s3 = new FakeBucketStore(Clock.systemUTC());
    s3.registerDevice("rbac-device", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 1);
    s3.setState("rbac-bucket", new BucketState(VersioningStatus.ENABLED, false));
    kubernetes.ensureNamespace(ns);
    kubernetes.drainRequests();
    KubernetesClient operatorClient = kubernetes.newClient(USER_AGENT);
    try (OperatorHarness operator = new OperatorHarness(operatorClient, s3, config)) {
      kubernetes.client().resource(rootKeys(ns, "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDRBACTEST00000001",
          "AWS_SECRET_ACCESS_KEY", "rbac-secret-key-0123456789"))).create();
      kubernetes.client().resource(secret(ns, "seed", Map.of("seed", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))).create();
      kubernetes.client().resource(withCredentials(withMfaDelete(protection(ns, "rbac", "rbac-bucket", "Enabled"),
          "Enabled", "rbac-device", "seed", 1), "keys")).create();
      // The account kinds the install serves, so their controllers patch their status; a
      // ClusterS3Account's namespace selector reads the Namespaces' labels.
      List<String> converging = new java.util.ArrayList<>(List.of("rbac", "rbac-own"));
      if (cluster) {
        kubernetes.client().resource(Accounts.defaultForEveryone()).create();
        s3.setState("rbac-default", new BucketState(VersioningStatus.SUSPENDED, false));
        kubernetes.client().resource(protection(ns, "rbac-default", "rbac-default", "Enabled")).create();
        converging.add("rbac-default");
      }
      var ownAccount = Accounts.namespaced(ns, "own", List.of("*"), "keys");
      ownAccount.getSpec().setVersionDeletion("Allow");
      kubernetes.client().resource(ownAccount).create();
      s3.setState("rbac-own", new BucketState(VersioningStatus.SUSPENDED, false));
      var own = protection(ns, "rbac-own", "rbac-own", "Enabled");
      own.getSpec().setAccountRef(new AccountReference("S3Account", "own"));
      kubernetes.client().resource(own).create();
      // A Secret without the operator's label: the informer never sees it, and one GET tells
      // the user it exists but is unlabelled (that GET is the only reason for "secrets get").
      kubernetes.client().resource(unlabelledSecret(ns, "plain", Map.of("seed", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))).create();
      kubernetes.client().resource(withCredentials(protection(ns, "rbac-unlabelled", "rbac-plain", "Enabled"),
          "plain")).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> "SecretNotLabelled".equals(readyReason(
          kubernetes.client().resources(BucketProtection.class).inNamespace(ns).withName("rbac-unlabelled").get())));
      // Devices without a seed, inline and on each account kind: a malformed code annotated on
      // each holder is removed (the only reason for "patch" on the kinds).
      Map<String, AccountReference> codeResources = new java.util.LinkedHashMap<>();
      codeResources.put("rbac-code-inline", null);
      if (cluster) {
        var codesCluster = Accounts.cluster("codes", List.of("rbac-code-cluster"));
        // Root keys in the cluster resource namespace: read with one GET when the coded write goes.
        kubernetes.client().resource(rootKeys(operatorNamespace, "codes-root", Map.of("AWS_ACCESS_KEY_ID",
            "AKIDRBACCODESROOT001", "AWS_SECRET_ACCESS_KEY", "rbac-codes-secret-0123456789"))).create();
        codesCluster.getSpec().setCredentials(Accounts.secretRef("codes-root"));
        codesCluster.getSpec().setObserver(Accounts.operatorObserver());
        codesCluster.getSpec().setNamespaces(Accounts.names(ns));
        codesCluster.getSpec().setMfa(new MfaSpec("rbac-person-cluster", null, 30));
        kubernetes.client().resource(codesCluster).create();
        codeResources.put("rbac-code-cluster", new AccountReference("ClusterS3Account", "codes"));
      }
      var codesOwn = Accounts.namespaced(ns, "codes", List.of("rbac-code-own"), "keys");
      codesOwn.getSpec().setMfa(new MfaSpec("rbac-person-own", null, 30));
      kubernetes.client().resource(codesOwn).create();
      codeResources.put("rbac-code-own", new AccountReference("S3Account", "codes"));
      codeResources.forEach((name, account) -> {
        s3.setState(name, new BucketState(VersioningStatus.ENABLED, false));
        var resource = protection(ns, name, name, "Enabled");
        resource.getSpec().setMfaDelete("Enabled");
        if (account == null) {
          withCredentials(resource, "keys");
          resource.getSpec().setMfa(new MfaSpec("rbac-person-inline", null, 30));
        } else {
          resource.getSpec().setAccountRef(account);
        }
        kubernetes.client().resource(resource).create();
      });
      for (String name : codeResources.keySet()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> "AwaitingMfaCode".equals(readyReason(
            kubernetes.client().resources(BucketProtection.class).inNamespace(ns).withName(name).get())));
      }
      List<HasMetadata> holders = new java.util.ArrayList<>(List.of(
          kubernetes.client().resources(BucketProtection.class).inNamespace(ns).withName("rbac-code-inline").get(),
          kubernetes.client().resources(S3Account.class).inNamespace(ns).withName("codes").get()));
      if (cluster) {
        holders.add(kubernetes.client().resources(ClusterS3Account.class).withName("codes").get());
      }
      for (HasMetadata holder : holders) {
        kubernetes.client().resource(holder).edit(object -> {
          object.getMetadata().getAnnotations().put(CodeHolder.ANNOTATION, "not-a-code");
          return object;
        });
      }
      for (HasMetadata holder : holders) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          HasMetadata now = kubernetes.client().resource(holder).get();
          return !now.getMetadata().getAnnotations().containsKey(CodeHolder.ANNOTATION);
        });
      }
      // A version deletion, approved on its account: it carries a finalizer, patches its status,
      // and removes the approval from the account once complete (a patch); deleted, it lets go.
      s3.setState("rbac-erase", new BucketState(VersioningStatus.ENABLED, false));
      String version = s3.putVersion("rbac-erase", "object");
      var deletion = new io.bucketprotection.operator.api.ObjectVersionDeletion();
      deletion.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(ns)
          .withName("erase").build());
      var deletionSpec = new io.bucketprotection.operator.api.ObjectVersionDeletionSpec();
      deletionSpec.setAccountRef(new AccountReference("S3Account", "own"));
      deletionSpec.setBucket("rbac-erase");
      deletionSpec.setVersions(List.of(new io.bucketprotection.operator.api.ObjectVersionDeletionSpec
          .VersionReference("object", version)));
      deletionSpec.setReason("RBAC test");
      deletion.setSpec(deletionSpec);
      var created = kubernetes.client().resource(deletion).create();
      kubernetes.client().resources(S3Account.class).inNamespace(ns).withName("own").patch(
          io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
              io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
          io.fabric8.kubernetes.client.utils.Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(
              io.bucketprotection.operator.deletion.Approval.key(created),
              io.bucketprotection.operator.deletion.Approval.value(created))))));
      var erase = kubernetes.client().resources(io.bucketprotection.operator.api.ObjectVersionDeletion.class)
          .inNamespace(ns).withName("erase");
      await().atMost(Duration.ofSeconds(30)).until(() -> erase.get().getStatus() != null
          && erase.get().getStatus().getCompletionTime() != null && !kubernetes.client().resources(S3Account.class)
          .inNamespace(ns).withName("own").get().getMetadata().getAnnotations()
          .containsKey(io.bucketprotection.operator.deletion.Approval.key(created)));
      erase.delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> erase.get() == null);
      // A policy: it creates a child, puts back a child edited by hand, and deletes its children
      // when it is deleted (its finalizer).
      s3.setState("rbac-fleet-a", new BucketState(VersioningStatus.SUSPENDED, false));
      BucketProtectionPolicy policy = Policies.policy(ns, "fleet", "default", List.of("rbac-fleet-*"), null);
      if (!cluster) {
        policy.getSpec().setAccountRef(new AccountReference("S3Account", "own"));
      }
      kubernetes.client().resource(policy).create();
      var children = kubernetes.client().resources(BucketProtection.class).inNamespace(ns)
          .withLabel(BucketProtectionPolicy.POLICY_LABEL, "fleet");
      await().atMost(Duration.ofSeconds(30)).until(() -> children.list().getItems().size() == 1);
      BucketProtection child = children.list().getItems().get(0);
      // Edited by hand, as a person would: read, change, write; the operator may patch the child's
      // status in between (409), and then the person reads again.
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        try {
          kubernetes.client().resources(BucketProtection.class).inNamespace(ns)
              .withName(child.getMetadata().getName()).edit(c -> {
                c.getSpec().setVersioning("Suspended");
                return c;
              });
          return true;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
          if (e.getCode() == 409) {
            return false;
          }
          throw e;
        }
      });
      await().atMost(Duration.ofSeconds(30)).until(() ->
          "Enabled".equals(kubernetes.client().resource(child).get().getSpec().getVersioning()));
      kubernetes.client().resource(policy).delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> children.list().getItems().isEmpty()
          && kubernetes.client().resources(BucketProtectionPolicy.class).inNamespace(ns).withName("fleet")
              .get() == null);
      for (String name : converging) {
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("Applied", "InSync").contains(readyReason(
            kubernetes.client().resources(BucketProtection.class).inNamespace(ns).withName(name).get())));
      }
      // At least one lease renewal.
      var lease = kubernetes.client().leases().inNamespace(config.leaderElection().leaseNamespace())
          .withName(config.leaderElection().leaseName());
      await().atMost(Duration.ofSeconds(10)).until(() -> lease.get() != null);
      var firstRenewal = lease.get().getSpec().getRenewTime();
      await().atMost(Duration.ofSeconds(10)).until(() -> !java.util.Objects.equals(firstRenewal,
          lease.get().getSpec().getRenewTime()));
    } finally {
      operatorClient.close();
    }

    Set<String> used = new TreeSet<>();
    for (RecordedRequest request : kubernetes.drainRequests()) {
      if (USER_AGENT.equals(request.getHeader("User-Agent"))) {
        String call = toRbac(request.getMethod(), request.getPath());
        // JOSDK's lease-access self-check: every authenticated user may (system:basic-user).
        if (call != null && !call.contains(" authorization.k8s.io/selfsubjectrulesreviews ")) {
          used.add(call);
        }
      }
    }
    // JOSDK's start-up self-check demands "update" on leases although fabric8 renews with patch.
    used.add(config.leaderElection().leaseNamespace() + " coordination.k8s.io/leases update");
    return used;
  }

  /** "NAMESPACE group/resource verb" as RBAC sees an HTTP request (NAMESPACE - at cluster scope); null for non-resource paths. */
  static String toRbac(String method, String path) {
    String namespace;
    String group;
    String resource;
    String name;
    String subresource;
    Matcher core = CORE.matcher(path);
    Matcher named = GROUP.matcher(path);
    if (core.find()) {
      group = "";
      namespace = core.group(1);
      resource = core.group(2);
      name = core.group(3);
      subresource = core.group(4);
    } else if (named.find()) {
      group = named.group(1);
      namespace = named.group(2);
      resource = named.group(3);
      name = named.group(4);
      subresource = named.group(5);
    } else {
      return null;
    }
    String verb = switch (method) {
      case "GET" -> path.contains("watch=true") ? "watch" : name == null ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> method.toLowerCase();
    };
    return (namespace == null ? "-" : namespace) + " " + group + "/" + resource + (subresource == null ? "" : subresource)
        + " " + verb;
  }
}
