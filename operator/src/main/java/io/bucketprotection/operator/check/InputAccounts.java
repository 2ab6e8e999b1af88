package io.bucketprotection.operator.check;

import io.bucketprotection.operator.api.AccountStatus;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.reconcile.decide.Account;
import io.bucketprotection.operator.reconcile.decide.AccountValidator;
import io.bucketprotection.operator.reconcile.decide.InvalidSpecException;
import io.bucketprotection.operator.reconcile.decide.ProtectionSpec;
import io.bucketprotection.operator.reconcile.decide.AccountId;
import io.bucketprotection.operator.reconcile.decide.Tenancy;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The accounts found in the input, bound to with the operator's own {@link Tenancy#bind}. Two
 * things only a running operator knows are decided in the resource's favour, and each says so in
 * a note: whether an account's Secrets resolve (the operator checks them and sets its Ready
 * condition; here every input account counts as ready) and which Namespaces a label selector
 * admits (the check reads no Namespaces; a namespace a selector might admit counts as admitted).
 * Names in {@code spec.namespaces.names} are compared exactly, as the operator does.
 */
final class InputAccounts {

  /** What binding one resource gave, and what the check had to assume for it. */
  record Bound(Tenancy.Binding binding, List<String> notes) {
  }

  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

  private final Map<String, ClusterS3Account> clusterAccounts = new HashMap<>();
  private final Map<String, S3Account> accounts = new HashMap<>();
  private final OperatorConfig config;

  InputAccounts(List<Manifest> manifests, OperatorConfig config) {
    this.config = config;
    for (Manifest manifest : manifests) {
      if (manifest.object() instanceof ClusterS3Account cluster) {
        clusterAccounts.put(manifest.name(), cluster);
      } else if (manifest.object() instanceof S3Account account) {
        accounts.put(manifest.namespace() + "/" + manifest.name(), account);
      }
    }
  }

  Bound bind(BucketProtection resource, ProtectionSpec spec) {
    String namespace = resource.getMetadata().getNamespace();
    List<String> notes = new ArrayList<>();
    Tenancy.View view = view(namespace, notes);
    Tenancy.Binding binding = Tenancy.bind(resource, spec, view, config);
    if (binding.desired() == null) {
      return new Bound(binding, List.of()); // refused: what was assumed on the way does not matter
    }
    if (binding.desired().account() != null) {
      notes.add(0, binding.desired().account() + " comes from the input and was counted as ready: its Secrets were"
          + " not read (the operator checks them first).");
    }
    return new Bound(binding, List.copyOf(notes));
  }

  /** An account for a policy of {@code namespace}, bound as the operator binds it; the notes say what was assumed. */
  BoundAccount bindAccount(String namespace, AccountId id) {
    List<String> notes = new ArrayList<>();
    Tenancy.AccountBinding binding = Tenancy.bindAccount(namespace, id, null, view(namespace, notes), config);
    if (binding.refusal() == null) {
      notes.add(0, id + " comes from the input and was counted as ready: its Secrets were not read (the operator"
          + " checks them first).");
    }
    return new BoundAccount(binding, List.copyOf(notes));
  }

  record BoundAccount(Tenancy.AccountBinding binding, List<String> notes) {
  }

  /** The input's accounts as {@code namespace} sees them, each counted as ready. */
  private Tenancy.View view(String namespace, List<String> notes) {
    return new Tenancy.View() {
      @Override
      public Optional<ClusterS3Account> clusterAccount(String name) {
        return Optional.ofNullable(clusterAccounts.get(name)).map(account -> asSeenFrom(account, namespace, notes));
      }

      @Override
      public Optional<S3Account> account(String accountNamespace, String name) {
        return Optional.ofNullable(accounts.get(accountNamespace + "/" + name)).map(InputAccounts::ready);
      }

      @Override
      public Optional<Map<String, String>> namespaceLabels(String ignored) {
        return Optional.of(Map.of()); // unknown; a selector that could admit the namespace was emptied above
      }

      @Override
      public boolean servesClusterAccounts() {
        return config.clusterAccounts();
      }
    };
  }

  /**
   * A ClusterS3Account as the resource's namespace sees it: ready, and with a selector that admits
   * the namespace when only the selector could. An invalid account is left as it is, for
   * Tenancy to refuse the operator's way.
   */
  private ClusterS3Account asSeenFrom(ClusterS3Account account, String namespace, List<String> notes) {
    ClusterS3Account copy = ready(account);
    Account valid;
    try {
      valid = AccountValidator.validate(account, config);
    } catch (InvalidSpecException e) {
      return copy;
    }
    if (valid.admission() != null && valid.admission().selector() != null
        && !valid.admission().names().contains(namespace)) {
      copy.getSpec().getNamespaces().setSelector(new LabelSelector()); // {} selects every namespace
      notes.add(valid.id() + " admits namespaces by a label selector, which this check cannot evaluate (it reads no"
          + " Namespaces): namespace " + namespace + " was counted as admitted.");
    }
    return copy;
  }

  /** A copy whose Ready condition is True for its current generation, as if the operator had checked it. */
  private static <A extends CustomResource<?, AccountStatus>> A ready(A account) {
    A copy = KUBERNETES.clone(account);
    AccountStatus status = new AccountStatus();
    status.setObservedGeneration(copy.getMetadata().getGeneration());
    status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("True")
        .withReason("SecretsResolved").withMessage("assumed by check: the input holds the account").build()));
    copy.setStatus(status);
    return copy;
  }
}
