package io.bucketprotection.operator.accounts;

import io.bucketprotection.operator.api.AccountSpec;
import io.bucketprotection.operator.api.AccountStatus;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaDeviceStatus;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.S3Account;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.bucketprotection.operator.mfa.DeviceReport;
import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.mfa.PersonCodes;
import io.bucketprotection.operator.s3.S3Endpoints;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.ObserverIdentity;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.spec.UnsupportedFieldsException;
import io.bucketprotection.operator.secrets.InformerSecretLookup;
import io.bucketprotection.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps an account's Ready condition: its spec is valid and its secrets resolve (checking spends
 * no code). BucketProtections use an account only while it is Ready for its current generation.
 * The account's Secrets are watched, so a fixed Secret makes it Ready at once.
 */
abstract class AccountReconciler<A extends CustomResource<? extends AccountSpec, AccountStatus>>
    implements Reconciler<A> {

  /** The condition that says whether root signs reads (True: the account names no observer). */
  public static final String ROOT_USED_FOR_READS = "RootUsedForReads";

  /** How often the "next" line is refreshed while changes wait for a code. */
  private static final String READY = "Ready";
  static final Duration WAITING_REFRESH = Duration.ofSeconds(5);

  private final OperatorConfig config;
  private final AccountCheck check;
  private final InformerSecretLookup secrets;
  private final PersonCodes personCodes;
  private final MfaCodeLedger ledger;
  private final Clock clock;

  AccountReconciler(OperatorConfig config, AccountCheck check, InformerSecretLookup secrets, PersonCodes personCodes,
      MfaCodeLedger ledger, Clock clock) {
    this.config = config;
    this.check = check;
    this.secrets = secrets;
    this.personCodes = personCodes;
    this.ledger = ledger;
    this.clock = clock;
  }

  /** The account as the object a person annotates with codes. */
  abstract CodeHolder codeHolder(A account);

  /** The account in the operator's types; throws for an invalid spec. */
  abstract Account validate(A account, OperatorConfig config) throws InvalidSpecException;

  /** Where this kind's Secrets are watched (empty: everywhere the controller watches). */
  abstract Set<String> secretNamespaces(OperatorConfig config);

  @Override
  public List<EventSource<?, A>> prepareEventSources(EventSourceContext<A> context) {
    // A change joining or leaving an account's line of codes updates the account's mfaCodes line.
    SimpleInboundEventSource<A> lines = new SimpleInboundEventSource<>(getClass().getSimpleName() + "-code-lines");
    personCodes.watchLines(key -> CodeHolder.fromKey(key)
        .filter(holder -> holder.kind().equals(context.getPrimaryResourceClass().getSimpleName()))
        .ifPresent(holder -> lines.propagateEvent(new ResourceID(holder.name(), holder.namespace()))));
    // A pool's line filling or emptying, or a device pausing, updates status.mfaDevices of the accounts naming it.
    ledger.watch(devices -> context.getPrimaryCache().list(account -> names(account, devices))
        .forEach(account -> lines.propagateEvent(ResourceID.fromResource(account))));
    return List.of(secrets.createEventSource(context, secret -> readers(secret, context), secretNamespaces(config)),
        lines);
  }

  /** The account's spec names one of these devices (by serial: an endpoint that differs only costs a look). */
  private static boolean names(HasMetadata account, List<MfaDevice> devices) {
    AccountSpec spec = account instanceof ClusterS3Account cluster ? cluster.getSpec() : ((S3Account) account).getSpec();
    if (spec == null) {
      return false;
    }
    List<MfaSpec> named = spec.getMfaDevices() != null ? spec.getMfaDevices()
        : spec.getMfa() != null ? List.of(spec.getMfa()) : List.of();
    return named.stream().filter(Objects::nonNull)
        .anyMatch(mfa -> devices.stream().anyMatch(device -> device.serialNumber().equals(mfa.getSerialNumber())));
  }

  private Set<ResourceID> readers(Secret secret, EventSourceContext<A> context) {
    return context.getPrimaryCache().list(account -> reads(account, secret))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private boolean reads(A account, Secret secret) {
    try {
      Account valid = validate(account, config);
      return isSecret(valid.settings().credentials(), secret)
          || (valid.settings().observer() instanceof ObserverIdentity.Keys keys && isSecret(keys.secret(), secret))
          || valid.settings().mfaDevices().stream().anyMatch(mfa -> isSecret(mfa.seed(), secret));
    } catch (InvalidSpecException e) {
      return false;
    }
  }

  private static boolean isSecret(io.bucketprotection.operator.secrets.SecretSource source, Secret secret) {
    return source instanceof io.bucketprotection.operator.secrets.SecretSource.KubernetesSecret k8s
        && k8s.namespace().equals(secret.getMetadata().getNamespace())
        && k8s.name().equals(secret.getMetadata().getName());
  }

  @Override
  public UpdateControl<A> reconcile(A account, Context<A> context) {
    AccountCheck.Result result;
    Account valid = null;
    try {
      valid = validate(account, config);
      result = check.check(valid, account.getStatus() == null ? null
          : account.getStatus().getDeviceProof(), Objects.requireNonNullElse(account.getMetadata().getGeneration(), 0L));
    } catch (UnsupportedFieldsException e) {
      result = new AccountCheck.Result(false, Reason.UnsupportedField.name(), e.getMessage(), false);
    } catch (InvalidSpecException e) {
      result = new AccountCheck.Result(false, Reason.InvalidSpec.name(), e.getMessage()
          + " Correct the spec; no BucketProtection uses this account until then.", false);
    }
    long generation = Objects.requireNonNullElse(account.getMetadata().getGeneration(), 0L);
    Instant now = clock.instant();
    AccountStatus previous = account.getStatus();
    AccountStatus next = new AccountStatus();
    next.setObservedGeneration(generation);
    // kstatus as for BucketProtections: an account that is not ready waits for a person, except
    // while Secrets Manager is passing through an outage (the account is checked again by itself).
    boolean passing = !result.ready() && Reason.SecretUnavailable.name().equals(result.reason());
    List<Condition> conditions = Conditions.kstatus(previous == null ? null : previous.getConditions(),
        result.ready() ? "True" : "False", passing, !result.ready() && !passing, result.reason(), result.message(),
        generation, now);
    // Not part of readiness or GitOps health: a finding for the security review.
    conditions = result.rootForReads()
        ? Conditions.with(conditions, ROOT_USED_FOR_READS, "True", "NoObserver", "Reads, listings and writes that"
            + " need no code are signed with the account's root keys (spec.credentials): every drift check is a"
            + " root call. Add spec.observer (assumeRole, operatorIdentity or secretRef) so that root signs only"
            + " requests that carry an MFA code.", generation, now)
        : Conditions.with(conditions, ROOT_USED_FOR_READS, "False", "ObserverSigns", "The account's observer signs"
            + " every request that carries no MFA code.", generation, now);
    next.setConditions(conditions);
    next.setDeviceProof(result.proof());
    next.setMfaDevices(valid == null ? null : devices(valid, personCodes.waitingByDevice()));
    Optional<PersonCodes.Next> waiting = personCodes.next(codeHolder(account).key());
    // The command names the change: a code typed from it signs that change, whatever the line became meanwhile.
    next.setMfaCodes(waiting.map(line -> line.describe() + ". Type a fresh code: "
        + codeHolder(account).annotateCommand(line.change().id())).orElse(null));
    UpdateControl<A> control;
    if (next.equals(previous)) {
      control = UpdateControl.noUpdate();
    } else {
      account.setStatus(next);
      control = UpdateControl.patchStatus(account);
    }
    // Secrets Manager values change without an event: look again at the check interval; while
    // changes wait for a person's code, soon, so the line above stays current for the person.
    boolean busy = waiting.isPresent() || (next.getMfaDevices() != null && next.getMfaDevices().stream()
        .anyMatch(device -> device.getWaiting() > 0 || !READY.equals(device.getState())));
    return control.rescheduleAfter(busy ? WAITING_REFRESH : config.defaultCheckInterval());
  }

  /**
   * Each device of the account's pool as the ledger and the person-code lines see it; null
   * without a device. The next free step is the one the ledger holds, not the current step, so
   * an idle account's status does not change as time passes (a quiet account costs no writes).
   */
  private List<MfaDeviceStatus> devices(Account valid, Map<String, Integer> awaitingPerson) {
    List<AccountSettings.MfaSettings> pool = valid.settings().mfaDevices();
    if (pool.isEmpty()) {
      return null;
    }
    String endpoint = S3Endpoints.identity(valid.settings().endpoint(), config.defaultRegion());
    List<MfaDevice> devices = pool.stream().map(mfa -> new MfaDevice(endpoint, mfa.serialNumber())).toList();
    List<DeviceReport> reports = ledger.report(devices,
        pool.stream().map(AccountSettings.MfaSettings::periodSeconds).toList());
    List<MfaDeviceStatus> statuses = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      DeviceReport report = reports.get(i);
      int person = awaitingPerson.getOrDefault(devices.get(i).toString(), 0);
      String state = report.paused() ? "Paused" : person > 0 ? "AwaitingCode" : READY;
      statuses.add(new MfaDeviceStatus(pool.get(i).serialNumber(), state,
          report.known() ? report.nextFreeStep() : null, report.waiting() + person,
          report.paused() ? report.pausedUntil().toString() : null));
    }
    return statuses;
  }
}
