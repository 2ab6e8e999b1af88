package io.bucketprotection.operator.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AccountNamespaces;
import io.bucketprotection.operator.api.AccountStatus;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionSpec;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.CredentialsSource;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.api.SecretReference;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.secrets.SecretSource;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.spec.SpecValidator;
import io.bucketprotection.operator.testsupport.Accounts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Tenancy's binding as a table whose cases are sentences (crossplane-runtime's case tables): a
 * resource in namespace team, the accounts and namespaces the caches hold, the settings; then
 * either the reason of the refusal or what the bound state must say. Pure: no API server.
 */
class TenancyTest {

  private static final OperatorConfig AWS = OperatorConfig.fromEnvironment(Map.of());
  private static final URI RGW = URI.create("http://rgw.storage.svc:7480");
  private static final OperatorConfig RADOSGW = OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3",
      RGW.toString()));

  /** One case: the resource's spec, the caches, the settings, and what must come out. */
  record Case(UnaryOperator<BucketProtectionSpec> spec, boolean annotated, Caches caches, OperatorConfig config,
      Reason refused, Consumer<DesiredState> bound) {
  }

  static Case refused(UnaryOperator<BucketProtectionSpec> spec, Caches caches, Reason reason) {
    return new Case(spec, false, caches, AWS, reason, null);
  }

  static Case bound(UnaryOperator<BucketProtectionSpec> spec, Caches caches, Consumer<DesiredState> check) {
    return new Case(spec, false, caches, AWS, null, check);
  }

  @TestFactory
  List<DynamicTest> binding() {
    Map<String, Case> cases = new LinkedHashMap<>();
    cases.put("a resource with inline credentials is bound to its own Secret, its namespace alone uses the device,"
        + " and no account is consulted", bound(TenancyTest::inline, new Caches(), d -> {
          assertNull(d.account());
          assertEquals(new SecretSource.KubernetesSecret("team", "root-keys", null), d.credentials());
          assertTrue(d.soleNamespace());
          assertTrue(d.guard().accountAllows());
          assertFalse(d.guard().allows());
        }));
    cases.put("inline credentials and the allow-weakening annotation naming the bucket let a write weaken",
        new Case(TenancyTest::inline, true, new Caches(), AWS, null, d -> assertTrue(d.guard().allows())));
    cases.put("a resource naming neither account nor credentials uses the ClusterS3Account named default",
        bound(s -> s, new Caches().cluster(ready(Accounts.defaultForEveryone())).labels("team", Map.of()),
            d -> assertEquals(AccountId.DEFAULT, d.account())));
    cases.put("without a ClusterS3Account named default, a bare resource is refused",
        refused(s -> s, new Caches(), Reason.AccountNotFound));
    cases.put("an S3Account of the resource's namespace is bound, and only that namespace uses its device",
        bound(s -> ref(s, "S3Account", "keys"), new Caches().account(ready(tenantAccount("team"))), d -> {
          assertEquals(AccountId.namespaced("team", "keys"), d.account());
          assertEquals(new SecretSource.KubernetesSecret("team", "tenant-keys", null), d.credentials());
          assertTrue(d.soleNamespace());
        }));
    cases.put("an S3Account of another namespace is not found from this one",
        refused(s -> ref(s, "S3Account", "keys"), new Caches().account(ready(tenantAccount("other"))),
            Reason.AccountNotFound));
    cases.put("a ClusterS3Account admitting the namespace by name is bound, and that namespace alone uses its device",
        bound(s -> ref(s, "ClusterS3Account", "shared"), new Caches().cluster(ready(admin(Accounts.names("team")))),
            d -> {
              assertEquals(AccountId.cluster("shared"), d.account());
              assertTrue(d.soleNamespace());
            }));
    cases.put("a ClusterS3Account admitting the namespace by label selector is bound, and its device is shared",
        bound(s -> ref(s, "ClusterS3Account", "shared"), new Caches().cluster(ready(admin(selector())))
            .labels("team", Map.of("tier", "gold")), d -> assertFalse(d.soleNamespace())));
    cases.put("a namespace whose labels the account's selector does not match is refused",
        refused(s -> ref(s, "ClusterS3Account", "shared"), new Caches().cluster(ready(admin(selector())))
            .labels("team", Map.of("tier", "bronze")), Reason.NamespaceNotAllowed));
    cases.put("a namespace the account does not admit is refused before its validity is judged",
        refused(s -> ref(s, "ClusterS3Account", "shared"), new Caches().cluster(ready(invalid(admin(
            Accounts.names("elsewhere"))))), Reason.NamespaceNotAllowed));
    cases.put("an invalid account that admits the namespace cannot be used, and says no more",
        refused(s -> ref(s, "ClusterS3Account", "shared"), new Caches().cluster(ready(invalid(admin(
            Accounts.names("team"))))), Reason.AccountNotReady));
    cases.put("a bucket none of the account's globs matches is refused",
        refused(s -> bucket(ref(s, "ClusterS3Account", "shared"), "finance-ledger"),
            new Caches().cluster(ready(admin(Accounts.names("team")))), Reason.BucketNotAllowed));
    cases.put("an account the operator has not checked for its current generation is not ready",
        refused(s -> ref(s, "ClusterS3Account", "shared"), new Caches().cluster(
            checked(admin(Accounts.names("team")), "True", 1L, 2L)), Reason.AccountPending));
    cases.put("an account whose secrets are not usable is not ready",
        refused(s -> ref(s, "ClusterS3Account", "shared"), new Caches().cluster(
            checked(admin(Accounts.names("team")), "False", 1L, 1L)), Reason.AccountNotReady));
    cases.put("the namespaced installation serves no ClusterS3Accounts, even one that exists",
        refused(s -> ref(s, "ClusterS3Account", "shared"), new Caches().cluster(ready(admin(Accounts.names("team"))))
            .namespacedInstall(), Reason.AccountNotFound));
    cases.put("the namespaced installation still binds an S3Account",
        bound(s -> ref(s, "S3Account", "keys"), new Caches().account(ready(tenantAccount("team"))).namespacedInstall(),
            d -> assertEquals(AccountId.namespaced("team", "keys"), d.account())));
    cases.put("on AWS, a spec.region that is no AWS region is refused",
        refused(s -> region(inline(s), "lab-1"), new Caches(), Reason.InvalidSpec));
    cases.put("on AWS, an account's region that is no AWS region is refused too",
        refused(s -> ref(s, "ClusterS3Account", "shared"), new Caches().cluster(ready(region(admin(
            Accounts.names("team")), "lab-1"))), Reason.InvalidSpec));
    cases.put("off AWS, any well-formed region is bound",
        new Case(s -> region(inline(s), "lab-1"), false, new Caches(), RADOSGW, null,
            d -> assertEquals("lab-1", d.region())));
    cases.put("an account that says weakening: Allow and the annotation together let a write weaken",
        new Case(s -> ref(s, "ClusterS3Account", "shared"), true, new Caches().cluster(ready(allow(admin(
            Accounts.names("team"))))), AWS, null, d -> assertTrue(d.guard().allows())));
    cases.put("the annotation alone does not let a write weaken through an account that denies it",
        new Case(s -> ref(s, "ClusterS3Account", "shared"), true, new Caches().cluster(ready(admin(
            Accounts.names("team")))), AWS, null, d -> assertFalse(d.guard().allows())));
    cases.put("an account that names no endpoint is bound to the operator's default endpoint",
        new Case(s -> ref(s, "ClusterS3Account", "shared"), false, new Caches().cluster(ready(admin(
            Accounts.names("team")))), RADOSGW, null, d -> assertEquals(RGW, d.endpoint())));
    cases.put("inline credentials without spec.endpoint are bound to the operator's default endpoint",
        new Case(TenancyTest::inline, false, new Caches(), RADOSGW, null, d -> assertEquals(RGW, d.endpoint())));
    cases.put("an account that names its endpoint keeps it",
        new Case(s -> ref(s, "ClusterS3Account", "shared"), false, new Caches().cluster(ready(endpoint(admin(
            Accounts.names("team")), "https://s3.example.com"))), RADOSGW, null,
            d -> assertEquals(URI.create("https://s3.example.com"), d.endpoint())));
    cases.put("on AWS without a default endpoint, the endpoint stays null: the S3 client's own",
        bound(TenancyTest::inline, new Caches(), d -> assertNull(d.endpoint())));

    List<DynamicTest> tests = new ArrayList<>();
    cases.forEach((sentence, c) -> tests.add(DynamicTest.dynamicTest(sentence, () -> run(c))));
    return tests;
  }

  private static void run(Case c) throws Exception {
    BucketProtectionSpec spec = new BucketProtectionSpec();
    spec.setBucket("team-logs");
    spec.setVersioning("Enabled");
    BucketProtection resource = new BucketProtection();
    resource.setSpec(c.spec().apply(spec));
    resource.setMetadata(new ObjectMetaBuilder().withNamespace("team").withName("logs").withAnnotations(c.annotated()
        ? Map.of(Tenancy.ALLOW_WEAKENING, spec.getBucket()) : Map.of()).build());
    Tenancy.Binding binding = Tenancy.bind(resource, SpecValidator.validate(resource, c.config()), c.caches(),
        c.config());
    if (c.refused() != null) {
      assertNull(binding.desired(), "bound, but should be refused with " + c.refused());
      assertEquals(c.refused(), binding.refusal().reason(), binding.refusal().message());
      assertTrue(binding.refusal().message().endsWith("Nothing was read or written."), binding.refusal().message());
    } else {
      assertNull(binding.refusal(), () -> "refused: " + binding.refusal().message());
      assertNotNull(binding.desired());
      c.bound().accept(binding.desired());
    }
  }

  // ---- specs ----

  static BucketProtectionSpec inline(BucketProtectionSpec spec) {
    spec.setCredentials(new CredentialsSource(new SecretReference("root-keys")));
    return spec;
  }

  static BucketProtectionSpec ref(BucketProtectionSpec spec, String kind, String name) {
    AccountReference ref = new AccountReference();
    ref.setKind(kind);
    ref.setName(name);
    spec.setAccountRef(ref);
    return spec;
  }

  static BucketProtectionSpec bucket(BucketProtectionSpec spec, String bucket) {
    spec.setBucket(bucket);
    return spec;
  }

  static BucketProtectionSpec region(BucketProtectionSpec spec, String region) {
    spec.setRegion(region);
    return spec;
  }

  // ---- accounts ----

  /** A ClusterS3Account "shared" with root keys for team-* buckets, admitting {@code namespaces}. */
  static ClusterS3Account admin(AccountNamespaces namespaces) {
    ClusterS3Account account = Accounts.cluster("shared", List.of("team-*"));
    account.getSpec().setCredentials(Accounts.secretRef("admin-keys"));
    account.getSpec().setNamespaces(namespaces);
    return account;
  }

  static S3Account tenantAccount(String namespace) {
    return Accounts.namespaced(namespace, "keys", List.of("*"), "tenant-keys");
  }

  static AccountNamespaces selector() {
    AccountNamespaces namespaces = new AccountNamespaces();
    namespaces.setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "gold")).build());
    return namespaces;
  }

  static ClusterS3Account invalid(ClusterS3Account account) {
    account.getSpec().setBuckets(List.of());
    return account;
  }

  static ClusterS3Account allow(ClusterS3Account account) {
    account.getSpec().setWeakening("Allow");
    return account;
  }

  static ClusterS3Account region(ClusterS3Account account, String region) {
    account.getSpec().setRegion(region);
    return account;
  }

  static ClusterS3Account endpoint(ClusterS3Account account, String endpoint) {
    account.getSpec().setEndpoint(endpoint);
    return account;
  }

  /** The operator found the account's secrets usable for its current generation. */
  static <T extends HasMetadata> T ready(T account) {
    return checked(account, "True", 1L, 1L);
  }

  static <T extends HasMetadata> T checked(T account, String ready, long observed, long generation) {
    account.getMetadata().setGeneration(generation);
    AccountStatus status = new AccountStatus();
    status.setObservedGeneration(observed);
    Condition condition = new ConditionBuilder().withType("Ready").withStatus(ready)
        .withReason("True".equals(ready) ? "Ready" : "SecretNotFound").build();
    status.getConditions().add(condition);
    if (account instanceof ClusterS3Account cluster) {
      cluster.setStatus(status);
    } else {
      ((S3Account) account).setStatus(status);
    }
    return account;
  }

  /** The caches as {@link Tenancy.View} reads them. */
  static final class Caches implements Tenancy.View {
    private final Map<String, ClusterS3Account> clusters = new LinkedHashMap<>();
    private final Map<String, S3Account> accounts = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> labels = new LinkedHashMap<>();
    private boolean servesClusterAccounts = true;

    Caches cluster(ClusterS3Account account) {
      clusters.put(account.getMetadata().getName(), account);
      return this;
    }

    Caches account(S3Account account) {
      accounts.put(account.getMetadata().getNamespace() + "/" + account.getMetadata().getName(), account);
      return this;
    }

    Caches labels(String namespace, Map<String, String> namespaceLabels) {
      labels.put(namespace, namespaceLabels);
      return this;
    }

    Caches namespacedInstall() {
      servesClusterAccounts = false;
      return this;
    }

    @Override
    public Optional<ClusterS3Account> clusterAccount(String name) {
      return Optional.ofNullable(clusters.get(name));
    }

    @Override
    public Optional<S3Account> account(String namespace, String name) {
      return Optional.ofNullable(accounts.get(namespace + "/" + name));
    }

    @Override
    public Optional<Map<String, String>> namespaceLabels(String namespace) {
      return Optional.ofNullable(labels.get(namespace));
    }

    @Override
    public boolean servesClusterAccounts() {
      return servesClusterAccounts;
    }
  }
}
