package io.bucketprotection.operator.check;

import io.bucketprotection.operator.api.AccountStatus;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.AccountValidator;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.ProtectionSpec;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.bucketprotection.operator.decide.Verdict;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The accounts the check binds to, with the operator's own {@link Tenancy#bind}: those of
 * {@code --accounts} (the CI owner's), and the input's only with {@code --trust-input-accounts}.
 * The input of a pull request is its author's: an account it brings would choose the endpoint and
 * region the job's credentials are sent to, so a resource naming one is refused
 * ({@link CheckResult#ACCOUNT_NOT_TRUSTED}) before anything is read.
 *
 * <p>Two things only a running operator knows are decided in the resource's favour, and each says
 * so in a note: whether an account's Secrets resolve (the operator checks them and sets its Ready
 * condition; here every bound account counts as ready) and which Namespaces a label selector
 * admits (the check reads no Namespaces; a namespace a selector might admit counts as admitted).
 * Names in {@code spec.namespaces.names} are compared exactly, as the operator does.
 */
final class InputAccounts {

  /**
   * What binding one resource gave: exactly one of {@code desired} and {@code reason} is set.
   *
   * @param notes what the check had to assume
   */
  record Bound(DesiredState desired, String reason, String message, List<String> notes) {
  }

  /** An account bound for a policy: exactly one of {@code account} and {@code reason} is set. */
  record BoundAccount(Account account, String reason, String message, List<String> notes) {
  }

  /** Where a bound account came from, for the notes. */
  private enum Source {
    FILE("--accounts"), INPUT("the input");

    private final String words;

    Source(String words) {
      this.words = words;
    }
  }

  private record Held(HasMetadata account, Source source) {
  }

  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

  private final Map<AccountId, Held> bindable = new HashMap<>();
  /** The input's accounts, when the input is not trusted: never bound. */
  private final Set<AccountId> untrustedInput = new HashSet<>();
  /** Accounts of --accounts that the trusted input replaced. */
  private final Set<AccountId> replacedFileAccounts = new HashSet<>();
  private final TrustedAccounts trust;
  private final OperatorConfig config;

  InputAccounts(List<Manifest> input, TrustedAccounts trust, OperatorConfig config) {
    this.trust = trust;
    this.config = config;
    for (Manifest manifest : trust.fromFiles()) {
      id(manifest).ifPresent(id -> bindable.put(id, new Held(manifest.object(), Source.FILE)));
    }
    for (Manifest manifest : input) {
      Optional<AccountId> id = id(manifest);
      if (id.isEmpty()) {
        continue;
      }
      if (!trust.trustInput()) {
        untrustedInput.add(id.get());
      } else if (bindable.put(id.get(), new Held(manifest.object(), Source.INPUT)) != null) {
        replacedFileAccounts.add(id.get());
      }
    }
  }

  Bound bind(BucketProtection resource, ProtectionSpec spec) {
    String namespace = resource.getMetadata().getNamespace();
    if (spec.inline() == null) {
      Optional<String> untrusted = untrusted(spec.account());
      if (untrusted.isPresent()) {
        return new Bound(null, CheckResult.ACCOUNT_NOT_TRUSTED, untrusted.get(), List.of());
      }
    }
    List<String> notes = new ArrayList<>();
    Tenancy.Binding binding = Tenancy.bind(resource, spec, view(namespace, notes), config);
    if (binding.desired() == null) {
      // Refused: what was assumed on the way does not matter.
      return new Bound(null, binding.refusal().reason().name(), binding.refusal().message(), List.of());
    }
    if (binding.desired().account() != null) {
      notes.addAll(0, origin(binding.desired().account()));
    }
    return new Bound(binding.desired(), null, null, List.copyOf(notes));
  }

  /** An account for a policy of {@code namespace}, bound as the operator binds it; the notes say what was assumed. */
  BoundAccount bindAccount(String namespace, AccountId id) {
    return bindAccount(namespace, id, null);
  }

  /**
   * The same for one bucket (a version deletion's, or its manifest's): the account must cover it.
   *
   * @param bucket null for a policy, which checks each bucket it lists
   */
  BoundAccount bindAccount(String namespace, AccountId id, String bucket) {
    Optional<String> untrusted = untrusted(id);
    if (untrusted.isPresent()) {
      return new BoundAccount(null, CheckResult.ACCOUNT_NOT_TRUSTED, untrusted.get(), List.of());
    }
    List<String> notes = new ArrayList<>();
    Tenancy.AccountBinding binding = Tenancy.bindAccount(namespace, id, bucket, view(namespace, notes), config);
    if (binding.refusal() != null) {
      Verdict refusal = binding.refusal();
      return new BoundAccount(null, refusal.reason().name(), refusal.message(), List.of());
    }
    notes.addAll(0, origin(id));
    return new BoundAccount(binding.account(), null, null, List.copyOf(notes));
  }

  /** For an account of the input, when it was not used as the input has it; for the account's own result. */
  Optional<String> note(Manifest account) {
    Optional<AccountId> id = id(account);
    if (id.isEmpty() || !untrustedInput.contains(id.get())) {
      return Optional.empty();
    }
    return Optional.of(bindable.containsKey(id.get())
        ? "It is not used to bind resources: the version in --accounts is used (accounts in the input are trusted"
            + " only with --trust-input-accounts)."
        : "It is not used to bind resources: accounts in the input are trusted only with --trust-input-accounts, or"
            + " when --accounts FILE holds them.");
  }

  /**
   * Why the check may not bind to {@code id}: only the untrusted input holds it. (When --accounts
   * holds it too, that version is bound; when nobody does, Tenancy says AccountNotFound.)
   */
  private Optional<String> untrusted(AccountId id) {
    if (!untrustedInput.contains(id) || bindable.containsKey(id)
        || (id.kind() == AccountId.Kind.ClusterS3Account && !config.clusterAccounts())) {
      return Optional.empty();
    }
    return Optional.of(id + " comes from the input" + (trust.filesGiven() ? " and is not in --accounts FILE" : "")
        + ", and the check binds resources only to trusted accounts: "
        + (trust.filesGiven() ? "add it to that file once it is reviewed" : "pass --accounts FILE with the cluster's"
            + " accounts (a file the pull request cannot change)")
        + ", or pass --trust-input-accounts when the input is trusted (never a pull request's). Nothing was read.");
  }

  /** Where the bound account came from, and what was assumed about it. */
  private List<String> origin(AccountId id) {
    Held held = bindable.get(id);
    List<String> notes = new ArrayList<>();
    notes.add(id + " comes from " + held.source().words + " and was counted as ready: its Secrets were not read"
        + " (the operator checks them first).");
    if (replacedFileAccounts.contains(id)) {
      notes.add(id + " is also in --accounts; the input's version was used (--trust-input-accounts).");
    } else if (untrustedInput.contains(id)) {
      notes.add(id + " is also in the input; the version in --accounts was used (the input's is trusted only with"
          + " --trust-input-accounts).");
    }
    return notes;
  }

  private static Optional<AccountId> id(Manifest manifest) {
    if (manifest.object() instanceof ClusterS3Account) {
      return Optional.of(AccountId.cluster(manifest.name()));
    }
    if (manifest.object() instanceof S3Account) {
      return Optional.of(AccountId.namespaced(manifest.namespace(), manifest.name()));
    }
    return Optional.empty();
  }

  /** The bindable accounts as {@code namespace} sees them, each counted as ready. */
  private Tenancy.View view(String namespace, List<String> notes) {
    return new Tenancy.View() {
      @Override
      public Optional<ClusterS3Account> clusterAccount(String name) {
        return Optional.ofNullable(bindable.get(AccountId.cluster(name)))
            .map(held -> asSeenFrom((ClusterS3Account) held.account(), namespace, notes));
      }

      @Override
      public Optional<S3Account> account(String accountNamespace, String name) {
        return Optional.ofNullable(bindable.get(AccountId.namespaced(accountNamespace, name)))
            .map(held -> ready((S3Account) held.account()));
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
        .withReason("SecretsResolved").withMessage("assumed by check: the account was counted as ready").build()));
    copy.setStatus(status);
    return copy;
  }
}
