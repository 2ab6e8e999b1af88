package io.bucketprotection.operator.tenancy;

import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.AccountValidator;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.NamespaceSelector;
import io.bucketprotection.operator.spec.ProtectionSpec;
import io.bucketprotection.operator.spec.SettingsRules;
import io.bucketprotection.operator.api.AccountStatus;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.S3Endpoints;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Binds a validated spec to the account it may use, or refuses it: the gate between a namespace
 * user and the root credentials an admin holds. Pure: the accounts and namespaces come from the
 * operator's caches through {@link View}, and a refusal happens before any secret is read or any
 * request is sent.
 *
 * <p>The checks, in order: the account exists (and is served by this operator); a ClusterS3Account
 * admits the resource's namespace (by name or label selector); one of the account's bucket globs
 * matches the bucket; the account's spec is valid; the operator has found its secrets usable
 * (its Ready condition, for its current generation). Nothing about an account is told to a
 * namespace it does not admit.
 */
public final class Tenancy {

  /** The resource's own key for a weakening write: its value must be exactly spec.bucket. */
  public static final String ALLOW_WEAKENING = BucketProtection.ALLOW_WEAKENING;

  /** The accounts and namespaces as the operator's caches hold them. */
  public interface View {

    /** Empty when it does not exist or this operator does not serve it (BPO_ACCOUNT_SELECTOR). */
    Optional<ClusterS3Account> clusterAccount(String name);

    Optional<S3Account> account(String namespace, String name);

    /** The namespace's labels; empty when the namespace is not known. */
    Optional<Map<String, String>> namespaceLabels(String namespace);

    /** False in the namespaced installation, which serves S3Accounts and inline resources only. */
    boolean servesClusterAccounts();
  }

  /** The outcome: exactly one of the two is set. */
  public record Binding(DesiredState desired, Verdict refusal) {
    static Binding bound(DesiredState desired) {
      return new Binding(desired, null);
    }

    static Binding refused(Reason reason, String message) {
      return new Binding(null, Verdict.problem(reason, message + " Nothing was read or written.", null));
    }
  }

  private Tenancy() {
  }

  public static Binding bind(BucketProtection resource, ProtectionSpec spec, View view, OperatorConfig config) {
    String namespace = resource.getMetadata().getNamespace();
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    boolean annotated = annotations != null && spec.bucket().equals(annotations.get(ALLOW_WEAKENING));
    if (spec.inline() != null) {
      // The namespace owns these credentials: the annotation alone guards against accidents.
      return checked(desired(spec, spec.inline(), null, new DesiredState.WeakeningGuard(annotated, true), true),
          spec, config);
    }
    AccountBinding bound = bindAccount(namespace, spec.account(), spec.bucket(), view, config);
    if (bound.refusal() != null) {
      return new Binding(null, bound.refusal());
    }
    AccountId id = bound.id();
    Account account = bound.account();
    boolean soleNamespace = account.admission() == null
        || (account.admission().selector() == null && account.admission().names().size() == 1);
    return checked(desired(spec, account.settings(), id,
        new DesiredState.WeakeningGuard(annotated, account.weakeningAllowed()), soleNamespace), spec, config);
  }

  /**
   * What only the bound state can show: on AWS a region must be one of AWS's (us-east-1, not zz),
   * which the spec alone cannot say, as its endpoint may come from the account.
   */
  private static Binding checked(DesiredState desired, ProtectionSpec spec, OperatorConfig config) {
    if (desired.region() != null && !SettingsRules.isAwsRegion(desired.region())
        && S3Endpoints.isAws(desired.endpoint(), config.defaultRegion())) {
      return Binding.refused(Reason.InvalidSpec, (spec.region() != null ? "spec.region" : desired.account()
          + "'s region") + " '" + desired.region() + "' is not an AWS region (they look like us-east-1 or"
          + " eu-central-2), and the bucket's endpoint is AWS. Correct it, or leave spec.region out: the operator"
          + " finds the bucket's region.");
    }
    return Binding.bound(desired);
  }

  /**
   * The account {@code id} as namespace {@code namespace} may use it, or why it may not: it must
   * exist, be valid, admit the namespace, cover {@code bucket} (unless null: a policy checks each
   * bucket it lists) and be Ready. Reads nothing but the caches.
   */
  public static AccountBinding bindAccount(String namespace, AccountId id, String bucket, View view,
      OperatorConfig config) {
    Optional<? extends HasMetadata> object;
    if (id.kind() == AccountId.Kind.ClusterS3Account) {
      if (!view.servesClusterAccounts()) {
        return AccountBinding.refused(Reason.AccountNotFound, "This operator serves no ClusterS3Accounts (it is the"
            + " namespaced installation)" + (id.equals(AccountId.DEFAULT) ? ", and a resource without spec.accountRef"
            + " or spec.credentials uses the ClusterS3Account named default" : "")
            + ": name an S3Account of this namespace in spec.accountRef, or give inline credentials.");
      }
      object = view.clusterAccount(id.name());
    } else {
      object = view.account(namespace, id.name());
    }
    if (object.isEmpty()) {
      return AccountBinding.refused(Reason.AccountNotFound, id.equals(AccountId.DEFAULT)
          ? "There is no ClusterS3Account named default, which a resource without spec.accountRef or"
              + " spec.credentials uses. Ask an admin for one, name an account in spec.accountRef, or give inline"
              + " credentials."
          : id + " does not exist" + (id.kind() == AccountId.Kind.ClusterS3Account
              ? " (or this operator does not serve it)" : " in this namespace") + ". Create it, or correct spec.accountRef.");
    }
    // Admission first, from the spec as written: a namespace the account does not admit learns
    // nothing of it, not even that its spec is invalid or that it is not ready.
    if (object.get() instanceof ClusterS3Account cluster && !admitsAsWritten(cluster, namespace, view)) {
      return AccountBinding.refused(Reason.NamespaceNotAllowed, id + " does not admit namespace " + namespace
          + " (its spec.namespaces). Ask the admin who owns it, or use another account.");
    }
    Account account;
    try {
      account = object.get() instanceof ClusterS3Account cluster ? AccountValidator.validate(cluster, config)
          : AccountValidator.validate((S3Account) object.get(), config);
    } catch (InvalidSpecException e) {
      // Admission is unknown for an invalid account: say no more than that it cannot be used.
      return AccountBinding.refused(Reason.AccountNotReady, id + " cannot be used: its spec is invalid (its owner sees why"
          + " in its status).");
    }
    if (account.admission() != null && !admits(account.admission(), namespace, view)) {
      return AccountBinding.refused(Reason.NamespaceNotAllowed, id + " does not admit namespace " + namespace
          + " (its spec.namespaces). Ask the admin who owns it, or use another account.");
    }
    if (bucket != null && !account.coversBucket(bucket)) {
      return AccountBinding.refused(Reason.BucketNotAllowed, id + " may not be used for bucket " + bucket
          + ": none of its spec.buckets globs matches. Ask its owner, or correct spec.bucket.");
    }
    if (!checked(object.get())) {
      // Every first start meets this for a moment (accounts and resources are reconciled side by
      // side): a wait with a reason of its own, not a problem, so it raises no Warning event.
      return AccountBinding.refused(Reason.AccountPending, id + " has not been checked by the operator yet (its"
          + " current spec). This resource goes on as soon as it is; if it stays here, see the account's status.");
    }
    Optional<String> notReady = notReady(object.get());
    if (notReady.isPresent()) {
      return AccountBinding.refused(Reason.AccountNotReady, id + " is not ready: " + notReady.get()
          + ". It is used as soon as it is.");
    }
    return new AccountBinding(id, account, null);
  }

  /** An account bound for a namespace: exactly one of {@code account} and {@code refusal} is set. */
  public record AccountBinding(AccountId id, Account account, Verdict refusal) {
    static AccountBinding refused(Reason reason, String message) {
      return new AccountBinding(null, null, Binding.refused(reason, message).refusal());
    }
  }

  /** Whether the ClusterS3Account's spec.namespaces, as written, admits the namespace (false when unreadable). */
  private static boolean admitsAsWritten(ClusterS3Account account, String namespace, View view) {
    try {
      var namespaces = account.getSpec() == null ? null : account.getSpec().getNamespaces();
      if (namespaces == null) {
        return false;
      }
      return admits(new Account.Admission(namespaces.getNames() == null ? java.util.Set.of()
          : java.util.Set.copyOf(namespaces.getNames()), namespaces.getSelector()), namespace, view);
    } catch (RuntimeException e) {
      return false; // a selector that cannot be read admits nobody
    }
  }

  private static boolean admits(Account.Admission admission, String namespace, View view) {
    if (admission.names().contains(namespace)) {
      return true;
    }
    if (admission.selector() == null) {
      return false;
    }
    return view.namespaceLabels(namespace).map(labels -> NamespaceSelector.matches(admission.selector(), labels))
        .orElse(false);
  }

  /** The account's own check passed for its current generation (for a tenant's: its device claim is proved). */
  public static boolean ready(HasMetadata account) {
    return notReady(account).isEmpty();
  }

  /** Whether the operator has checked the account's current generation (whatever it found). */
  private static boolean checked(HasMetadata account) {
    AccountStatus status = status(account);
    return readyCondition(status).isPresent()
        && Objects.equals(status.getObservedGeneration(), account.getMetadata().getGeneration());
  }

  /** Why the account's own check has not passed (for its current generation), if it has not. */
  private static Optional<String> notReady(HasMetadata account) {
    if (!checked(account)) {
      return Optional.of("the operator has not checked its current spec yet");
    }
    Condition ready = readyCondition(status(account)).orElseThrow();
    return "True".equals(ready.getStatus()) ? Optional.empty()
        : Optional.of("its secrets are not usable (" + ready.getReason() + ")");
  }

  private static AccountStatus status(HasMetadata account) {
    return account instanceof ClusterS3Account cluster ? cluster.getStatus() : ((S3Account) account).getStatus();
  }

  private static Optional<Condition> readyCondition(AccountStatus status) {
    return status == null ? Optional.empty()
        : status.getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }

  private static DesiredState desired(ProtectionSpec spec, AccountSettings settings, AccountId account,
      DesiredState.WeakeningGuard guard, boolean soleNamespace) {
    AccountSettings.MfaSettings mfa = settings.mfa();
    return new DesiredState(spec.bucket(), spec.versioning(), spec.mfaDelete(), spec.observeOnly(),
        settings.endpoint(), spec.region() != null ? spec.region() : settings.region(), settings.credentials(),
        settings.expectedBucketOwner(), mfa, spec.checkInterval(), account, guard, spec.unsupportedFields(),
        settings.observer(), soleNamespace, settings.mfaDevices());
  }
}
