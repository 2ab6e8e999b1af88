package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.AccountSpec;
import io.bucketprotection.operator.api.AccountStatus;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionSpec;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.mfa.PersonCodes;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.bucketprotection.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The accounts and namespaces the BucketProtection controller sees, from informers of its own:
 * a change to an account, or to a namespace's labels, re-checks the resources it concerns at once.
 * ClusterS3Accounts and Namespaces are watched only when this installation serves
 * ClusterS3Accounts; accounts only when they match BPO_ACCOUNT_SELECTOR.
 */
public final class TenancyCaches implements Tenancy.View {

  /** Primary-cache index: the account a resource uses ("ClusterS3Account/default", "S3Account/ns/name"). */
  public static final String ACCOUNT_INDEX = "bucketprotection.io/account";

  private final OperatorConfig config;
  private final PersonCodes personCodes;
  private volatile InformerEventSource<ClusterS3Account, BucketProtection> clusterAccounts;
  private volatile InformerEventSource<S3Account, BucketProtection> accounts;
  private volatile InformerEventSource<Namespace, BucketProtection> namespaces;

  public TenancyCaches(OperatorConfig config, PersonCodes personCodes) {
    this.config = config;
    this.personCodes = personCodes;
  }

  /**
   * An account update concerns its users when its spec changed, its readiness did, or a person
   * annotated a code (noted here: only the filter sees the old object beside the new). Its
   * status's other fields (the "next" line for codes) are the users' own doing.
   */
  private <A extends HasMetadata> boolean relevant(A updated, A previous, AccountId id) {
    String code = annotation(updated, CodeHolder.ANNOTATION);
    String before = annotation(previous, CodeHolder.ANNOTATION);
    personCodes.changed(CodeHolder.of(id).key(), before, code);
    return !Objects.equals(updated.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
        || !Objects.equals(readiness(updated), readiness(previous))
        || (code != null && !code.equals(before));
  }

  private static String annotation(HasMetadata object, String key) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  private static String readiness(HasMetadata account) {
    AccountStatus status = account instanceof ClusterS3Account c ? c.getStatus()
        : account instanceof S3Account s ? s.getStatus() : null;
    return status == null ? null : Conditions.find(status.getConditions(), Conditions.READY)
        .map(c -> c.getStatus() + "/" + c.getObservedGeneration()).orElse(null);
  }

  /** The account key a resource is indexed under; none for a resource with inline credentials. Never throws. */
  public static List<String> accountKeys(BucketProtection resource) {
    BucketProtectionSpec spec = resource.getSpec();
    if (spec == null) {
      return List.of();
    }
    if (spec.getAccountRef() != null) {
      String kind = spec.getAccountRef().getKind();
      String name = spec.getAccountRef().getName();
      return "S3Account".equals(kind) ? List.of(key(AccountId.namespaced(resource.getMetadata().getNamespace(), name)))
          : List.of(key(AccountId.cluster(name)));
    }
    return spec.getCredentials() == null ? List.of(key(AccountId.DEFAULT)) : List.of();
  }

  static String key(AccountId id) {
    return id.kind() + "/" + (id.namespace() == null ? "" : id.namespace() + "/") + id.name();
  }

  /** The informers, created when the controller registers (JOSDK's moment for event sources). */
  List<EventSource<?, BucketProtection>> createEventSources(EventSourceContext<BucketProtection> context) {
    List<EventSource<?, BucketProtection>> sources = new ArrayList<>();
    var s3Accounts = InformerEventSourceConfiguration.from(S3Account.class, BucketProtection.class)
        .withName("s3accounts")
        .withOnUpdateFilter((updated, previous) -> relevant(updated, previous,
            AccountId.namespaced(updated.getMetadata().getNamespace(), updated.getMetadata().getName())))
        .withSecondaryToPrimaryMapper(account -> users(context, AccountId.namespaced(
            account.getMetadata().getNamespace(), account.getMetadata().getName())));
    if (config.accountSelector() != null) {
      s3Accounts.withLabelSelector(config.accountSelector());
    }
    accounts = new InformerEventSource<>(s3Accounts.build(), context);
    sources.add(accounts);
    if (config.clusterAccounts()) {
      var cluster = InformerEventSourceConfiguration.from(ClusterS3Account.class, BucketProtection.class)
          .withName("clusters3accounts")
          .withWatchAllNamespaces()
          .withOnUpdateFilter((updated, previous) -> relevant(updated, previous,
              AccountId.cluster(updated.getMetadata().getName())))
          .withSecondaryToPrimaryMapper(account -> users(context, AccountId.cluster(account.getMetadata().getName())));
      if (config.accountSelector() != null) {
        cluster.withLabelSelector(config.accountSelector());
      }
      clusterAccounts = new InformerEventSource<>(cluster.build(), context);
      namespaces = new InformerEventSource<>(InformerEventSourceConfiguration
          .from(Namespace.class, BucketProtection.class)
          .withName("namespaces")
          .withWatchAllNamespaces()
          // New labels may admit or refuse a namespace: re-check its resources that use a ClusterS3Account.
          .withSecondaryToPrimaryMapper(namespace -> context.getPrimaryCache()
              .list(namespace.getMetadata().getName(), bp -> bp.getSpec() == null || bp.getSpec().getCredentials() == null)
              .map(ResourceID::fromResource)
              .collect(Collectors.toSet()))
          .build(), context);
      sources.add(clusterAccounts);
      sources.add(namespaces);
    }
    return sources;
  }

  private static Set<ResourceID> users(EventSourceContext<BucketProtection> context, AccountId id) {
    return context.getPrimaryCache().byIndex(ACCOUNT_INDEX, key(id)).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /**
   * The resources to re-check when a Secret changes that an account reads: the account's users.
   * (A resource's own inline Secrets are found through its own index.)
   */
  Set<ResourceID> usersOfAccountsReading(Secret secret, EventSourceContext<BucketProtection> context) {
    String namespace = secret.getMetadata().getNamespace();
    String name = secret.getMetadata().getName();
    Set<ResourceID> users = new java.util.HashSet<>();
    if (namespace.equals(config.clusterResourceNamespace())) {
      clusterAccounts().filter(a -> reads(a.getSpec(), name))
          .forEach(a -> users.addAll(users(context, AccountId.cluster(a.getMetadata().getName()))));
    }
    s3Accounts().filter(a -> namespace.equals(a.getMetadata().getNamespace()) && reads(a.getSpec(), name))
        .forEach(a -> users.addAll(users(context, AccountId.namespaced(namespace, a.getMetadata().getName()))));
    return users;
  }

  private static boolean reads(AccountSpec spec, String secretName) {
    if (spec == null) {
      return false;
    }
    boolean keys = (spec.getCredentials() != null && spec.getCredentials().getSecretRef() != null
        && secretName.equals(spec.getCredentials().getSecretRef().getName()))
        || (spec.getObserver() != null && spec.getObserver().getSecretRef() != null
        && secretName.equals(spec.getObserver().getSecretRef().getName()));
    boolean seed = spec.getMfa() != null && spec.getMfa().getTotpSeed() != null
        && spec.getMfa().getTotpSeed().getSecretKeyRef() != null
        && secretName.equals(spec.getMfa().getTotpSeed().getSecretKeyRef().getName());
    return keys || seed;
  }

  /** Every ClusterS3Account this operator serves (few: an admin writes them). */
  Stream<ClusterS3Account> clusterAccounts() {
    InformerEventSource<ClusterS3Account, BucketProtection> source = clusterAccounts;
    return source == null ? Stream.empty() : source.list(a -> true);
  }

  /** Every S3Account this operator serves. */
  Stream<S3Account> s3Accounts() {
    InformerEventSource<S3Account, BucketProtection> source = accounts;
    return source == null ? Stream.empty() : source.list(a -> true);
  }

  @Override
  public Optional<ClusterS3Account> clusterAccount(String name) {
    InformerEventSource<ClusterS3Account, BucketProtection> source = clusterAccounts;
    return source == null ? Optional.empty() : source.get(new ResourceID(name));
  }

  @Override
  public Optional<S3Account> account(String namespace, String name) {
    InformerEventSource<S3Account, BucketProtection> source = accounts;
    return source == null ? Optional.empty() : source.get(new ResourceID(name, namespace));
  }

  @Override
  public Optional<Map<String, String>> namespaceLabels(String namespace) {
    InformerEventSource<Namespace, BucketProtection> source = namespaces;
    return source == null ? Optional.empty()
        : source.get(new ResourceID(namespace)).map(ns -> Objects.requireNonNullElse(ns.getMetadata().getLabels(),
            Map.<String, String>of()));
  }

  @Override
  public boolean servesClusterAccounts() {
    return config.clusterAccounts();
  }

  /** The account object a resource's desired state came from, for device claims (its age and uid). */
  Optional<? extends HasMetadata> object(AccountId id) {
    return id.kind() == AccountId.Kind.ClusterS3Account ? clusterAccount(id.name()) : account(id.namespace(), id.name());
  }
}
