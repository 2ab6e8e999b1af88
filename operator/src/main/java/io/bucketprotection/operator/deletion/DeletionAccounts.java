package io.bucketprotection.operator.deletion;

import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The accounts as the deletion controller sees them, from informers of its own: an approval
 * annotation, a person's code, or a changed spec wakes the requests it concerns at once, and
 * the approval is read from the same cache that heard it. Namespaces come from the BucketProtection
 * controller's caches.
 */
final class DeletionAccounts implements Tenancy.View {

  /** Primary-cache index: the account a request uses ("ClusterS3Account/default", "S3Account/ns/name"). */
  static final String ACCOUNT_INDEX = "bucketprotection.io/deletion-account";

  private final OperatorConfig config;
  private final Tenancy.View namespaces;
  private volatile InformerEventSource<S3Account, ObjectVersionDeletion> accounts;
  private volatile InformerEventSource<ClusterS3Account, ObjectVersionDeletion> clusterAccounts;

  DeletionAccounts(OperatorConfig config, Tenancy.View namespaces) {
    this.config = config;
    this.namespaces = namespaces;
  }

  /** The index key of a request's account; none when it names none. Never throws. */
  static List<String> accountKeys(ObjectVersionDeletion request) {
    try {
      var ref = request.getSpec().getAccountRef();
      return List.of("S3Account".equals(ref.getKind())
          ? "S3Account/" + request.getMetadata().getNamespace() + "/" + ref.getName()
          : "ClusterS3Account/" + ref.getName());
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  List<EventSource<?, ObjectVersionDeletion>> createEventSources(EventSourceContext<ObjectVersionDeletion> context) {
    context.getPrimaryCache().addIndexer(ACCOUNT_INDEX, DeletionAccounts::accountKeys);
    List<EventSource<?, ObjectVersionDeletion>> sources = new ArrayList<>();
    var s3Accounts = InformerEventSourceConfiguration.from(S3Account.class, ObjectVersionDeletion.class)
        .withName("deletion-s3accounts")
        .withOnUpdateFilter(DeletionAccounts::relevant)
        .withSecondaryToPrimaryMapper(account -> concerned(context, account, "S3Account/"
            + account.getMetadata().getNamespace() + "/" + account.getMetadata().getName()));
    if (config.accountSelector() != null) {
      s3Accounts.withLabelSelector(config.accountSelector());
    }
    accounts = new InformerEventSource<>(s3Accounts.build(), context);
    sources.add(accounts);
    if (config.clusterAccounts()) {
      var cluster = InformerEventSourceConfiguration.from(ClusterS3Account.class, ObjectVersionDeletion.class)
          .withName("deletion-clusters3accounts")
          .withWatchAllNamespaces()
          .withOnUpdateFilter(DeletionAccounts::relevant)
          .withSecondaryToPrimaryMapper(account -> concerned(context, account, "ClusterS3Account/"
              + account.getMetadata().getName()));
      if (config.accountSelector() != null) {
        cluster.withLabelSelector(config.accountSelector());
      }
      clusterAccounts = new InformerEventSource<>(cluster.build(), context);
      sources.add(clusterAccounts);
    }
    return sources;
  }

  /** An account's spec, readiness or annotations (approvals, a person's code) changed. */
  private static <A extends HasMetadata> boolean relevant(A updated, A previous) {
    return !Objects.equals(updated.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
        || !Objects.equals(updated.getMetadata().getAnnotations(), previous.getMetadata().getAnnotations())
        || Tenancy.ready(updated) != Tenancy.ready(previous);
  }

  /**
   * The requests an account's change concerns: its users (by index), and those its approval
   * annotations name (each is checked against the request's uid when it reconciles).
   */
  private static Set<ResourceID> concerned(EventSourceContext<ObjectVersionDeletion> context, HasMetadata account,
      String key) {
    Set<ResourceID> ids = new HashSet<>();
    context.getPrimaryCache().byIndex(ACCOUNT_INDEX, key).forEach(r -> ids.add(ResourceID.fromResource(r)));
    Map<String, String> annotations = account.getMetadata().getAnnotations();
    if (annotations != null) {
      annotations.forEach((k, v) -> {
        int slash = v == null ? -1 : v.indexOf('/');
        if (k.startsWith(ObjectVersionDeletion.APPROVAL_PREFIX) && slash > 0) {
          ids.add(new ResourceID(v.substring(slash + 1), v.substring(0, slash)));
        }
      });
    }
    return ids;
  }

  @Override
  public Optional<ClusterS3Account> clusterAccount(String name) {
    var source = clusterAccounts;
    return source == null ? Optional.empty() : source.get(new ResourceID(name));
  }

  @Override
  public Optional<S3Account> account(String namespace, String name) {
    var source = accounts;
    return source == null ? Optional.empty() : source.get(new ResourceID(name, namespace));
  }

  @Override
  public Optional<Map<String, String>> namespaceLabels(String namespace) {
    return namespaces.namespaceLabels(namespace);
  }

  @Override
  public boolean servesClusterAccounts() {
    return config.clusterAccounts();
  }

  /** The account object {@code id} names, from this controller's caches. */
  Optional<? extends HasMetadata> object(AccountId id) {
    return id.kind() == AccountId.Kind.ClusterS3Account ? clusterAccount(id.name()) : account(id.namespace(), id.name());
  }
}
