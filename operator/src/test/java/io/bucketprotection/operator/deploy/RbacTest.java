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

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.reconcile.decide.CodeHolder;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.Configs;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.Manifests;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Policies;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
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

/**
 * The ClusterRole (and the leader-election Role) grant exactly the calls the operator makes: a
 * scenario with leader election, Secrets, status patches and events is run against the mock API
 * server, every request the operator sent is turned into (group, resource, verb), and the set
 * must equal what deploy/ grants. A missing grant or an unused one fails.
 */
class RbacTest {

  private static final String USER_AGENT = "bucket-protection-operator-rbac-test";
  private static final Pattern CORE = Pattern.compile("^/api/v1/(?:namespaces/[^/]+/)?([^/?]+)(/[^/?]+)?(/[^/?]+)?");
  private static final Pattern GROUP = Pattern.compile("^/apis/([^/]+)/[^/]+/(?:namespaces/[^/]+/)?([^/?]+)(/[^/?]+)?(/[^/?]+)?");

  @Test
  void theGrantedVerbsAreExactlyTheCallsTheOperatorMakes() throws Exception {
    Set<String> granted = new TreeSet<>();
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      for (HasMetadata object : Manifests.typed(kubernetes.client(), Manifests.kustomize(Path.of("../deploy")))) {
        List<PolicyRule> rules = object instanceof ClusterRole cr ? cr.getRules()
            : object instanceof Role role ? role.getRules() : List.of();
        for (PolicyRule rule : rules) {
          for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
              for (String verb : rule.getVerbs()) {
                granted.add(group + "/" + resource + " " + verb);
              }
            }
          }
        }
      }

      FakeBucketStore s3 = new FakeBucketStore(Clock.systemUTC());
      s3.registerDevice("rbac-device", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 1);
      s3.setState("rbac-bucket", new BucketState(VersioningStatus.ENABLED, false));
      OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("BPO_LEADER_ELECTION", "true",
          "POD_NAMESPACE", "bucket-protection-system", "POD_NAME", "rbac-0", "BPO_LEADER_ELECTION_LEASE_DURATION", "3s"));
      config = Configs.withoutExitOnLeaderLoss(config);
      kubernetes.drainRequests();
      KubernetesClient operatorClient = kubernetes.newClient(USER_AGENT);
      try (OperatorHarness operator = new OperatorHarness(operatorClient, s3, config)) {
        kubernetes.client().resource(rootKeys("team", "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDRBACTEST00000001",
            "AWS_SECRET_ACCESS_KEY", "rbac-secret-key-0123456789"))).create();
        kubernetes.client().resource(secret("team", "seed", Map.of("seed", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))).create();
        kubernetes.client().resource(withCredentials(withMfaDelete(protection("team", "rbac", "rbac-bucket", "Enabled"),
            "Enabled", "rbac-device", "seed", 1), "keys")).create();
        // Both account kinds, so their controllers patch their status, and a Namespace whose labels
        // a ClusterS3Account selects.
        kubernetes.ensureNamespace("team");
        kubernetes.client().resource(Accounts.defaultForEveryone()).create();
        kubernetes.client().resource(Accounts.namespaced("team", "own", List.of("*"), "keys")).create();
        s3.setState("rbac-default", new BucketState(VersioningStatus.SUSPENDED, false));
        s3.setState("rbac-own", new BucketState(VersioningStatus.SUSPENDED, false));
        kubernetes.client().resource(protection("team", "rbac-default", "rbac-default", "Enabled")).create();
        var own = protection("team", "rbac-own", "rbac-own", "Enabled");
        own.getSpec().setAccountRef(new io.bucketprotection.operator.api.AccountReference("S3Account", "own"));
        kubernetes.client().resource(own).create();
        // A Secret without the operator's label: the informer never sees it, and one GET tells
        // the user it exists but is unlabelled (that GET is the only reason for "secrets get").
        kubernetes.client().resource(unlabelledSecret("team", "plain", Map.of("seed", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))).create();
        kubernetes.client().resource(withCredentials(protection("team", "rbac-unlabelled", "rbac-plain", "Enabled"),
            "plain")).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> "SecretNotLabelled".equals(readyReason(
            kubernetes.client().resources(io.bucketprotection.operator.api.BucketProtection.class)
                .inNamespace("team").withName("rbac-unlabelled").get())));
        // Devices without a seed, inline and on both account kinds: a malformed code annotated on
        // each holder is removed (the only reason for "patch" on the three kinds).
        var codesCluster = Accounts.cluster("codes", List.of("rbac-code-cluster"));
        // Root keys in the cluster resource namespace: read with one GET when the coded write goes.
        kubernetes.client().resource(rootKeys("bucket-protection-system", "codes-root", Map.of("AWS_ACCESS_KEY_ID",
            "AKIDRBACCODESROOT001", "AWS_SECRET_ACCESS_KEY", "rbac-codes-secret-0123456789"))).create();
        codesCluster.getSpec().setCredentials(Accounts.secretRef("codes-root"));
        codesCluster.getSpec().setObserver(Accounts.operatorObserver());
        codesCluster.getSpec().setNamespaces(Accounts.names("team"));
        codesCluster.getSpec().setMfa(new MfaSpec("rbac-person-cluster", null, 30));
        kubernetes.client().resource(codesCluster).create();
        var codesOwn = Accounts.namespaced("team", "codes", List.of("rbac-code-own"), "keys");
        codesOwn.getSpec().setMfa(new MfaSpec("rbac-person-own", null, 30));
        kubernetes.client().resource(codesOwn).create();
        Map<String, AccountReference> codeResources = new java.util.LinkedHashMap<>();
        codeResources.put("rbac-code-inline", null);
        codeResources.put("rbac-code-cluster", new AccountReference("ClusterS3Account", "codes"));
        codeResources.put("rbac-code-own", new AccountReference("S3Account", "codes"));
        codeResources.forEach((name, account) -> {
          s3.setState(name, new BucketState(VersioningStatus.ENABLED, false));
          var resource = protection("team", name, name, "Enabled");
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
              kubernetes.client().resources(BucketProtection.class).inNamespace("team").withName(name).get())));
        }
        List<HasMetadata> holders = List.of(
            kubernetes.client().resources(BucketProtection.class).inNamespace("team").withName("rbac-code-inline").get(),
            kubernetes.client().resources(ClusterS3Account.class).withName("codes").get(),
            kubernetes.client().resources(S3Account.class).inNamespace("team").withName("codes").get());
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
        // A policy: it creates a child, puts back a child edited by hand, and deletes its children
        // when it is deleted (its finalizer).
        s3.setState("rbac-fleet-a", new BucketState(VersioningStatus.SUSPENDED, false));
        BucketProtectionPolicy policy = Policies.policy("team", "fleet", "default", List.of("rbac-fleet-*"), null);
        kubernetes.client().resource(policy).create();
        var children = kubernetes.client().resources(BucketProtection.class).inNamespace("team")
            .withLabel(BucketProtectionPolicy.POLICY_LABEL, "fleet");
        await().atMost(Duration.ofSeconds(30)).until(() -> children.list().getItems().size() == 1);
        BucketProtection child = children.list().getItems().get(0);
        kubernetes.client().resource(child).edit(c -> {
          c.getSpec().setVersioning("Suspended");
          return c;
        });
        await().atMost(Duration.ofSeconds(30)).until(() ->
            "Enabled".equals(kubernetes.client().resource(child).get().getSpec().getVersioning()));
        kubernetes.client().resource(policy).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> children.list().getItems().isEmpty()
            && kubernetes.client().resources(BucketProtectionPolicy.class).inNamespace("team").withName("fleet")
                .get() == null);
        for (String name : List.of("rbac", "rbac-default", "rbac-own")) {
          await().atMost(Duration.ofSeconds(30)).until(() -> List.of("Applied", "InSync").contains(readyReason(
              kubernetes.client().resources(io.bucketprotection.operator.api.BucketProtection.class)
                  .inNamespace("team").withName(name).get())));
        }
        // At least one lease renewal.
        var lease = kubernetes.client().leases().inNamespace("bucket-protection-system")
            .withName("bucket-protection-operator");
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
          if (call != null && !call.startsWith("authorization.k8s.io/selfsubjectrulesreviews")) {
            used.add(call);
          }
        }
      }
      // JOSDK's start-up self-check demands "update" on leases although fabric8 renews with patch.
      used.add("coordination.k8s.io/leases update");
      assertEquals(granted, used, "granted (left) must be exactly what the operator used (right)");
    }
  }

  /** "group/resource verb" as RBAC sees an HTTP request; null for non-resource paths. */
  static String toRbac(String method, String path) {
    String group;
    String resource;
    String name;
    String subresource;
    Matcher core = CORE.matcher(path);
    Matcher named = GROUP.matcher(path);
    if (core.find()) {
      group = "";
      resource = core.group(1);
      name = core.group(2);
      subresource = core.group(3);
    } else if (named.find()) {
      group = named.group(1);
      resource = named.group(2);
      name = named.group(3);
      subresource = named.group(4);
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
    return group + "/" + resource + (subresource == null ? "" : subresource) + " " + verb;
  }
}
