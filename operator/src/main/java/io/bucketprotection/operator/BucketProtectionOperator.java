package io.bucketprotection.operator;

import io.bucketprotection.operator.accounts.AccountCheck;
import io.bucketprotection.operator.accounts.ClusterS3AccountReconciler;
import io.bucketprotection.operator.accounts.S3AccountReconciler;
import io.bucketprotection.operator.policy.PolicyReconciler;
import io.bucketprotection.operator.reconcile.EndpointSlots;
import io.bucketprotection.operator.audit.AuditLog;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.metrics.MeteredBucketStore;
import io.bucketprotection.operator.metrics.MeteredVersionStore;
import io.bucketprotection.operator.metrics.MeteredSecretsManagerReader;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.mfa.PersonCodes;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.reconcile.BucketOwnership;
import io.bucketprotection.operator.reconcile.BucketProtectionReconciler;
import io.bucketprotection.operator.reconcile.BucketReconciliation;
import io.bucketprotection.operator.reconcile.ProtectionIndex;
import io.bucketprotection.operator.reconcile.TenancyCaches;
import io.bucketprotection.operator.act.Actor;
import io.bucketprotection.operator.act.KubernetesCodeAnnotations;
import io.bucketprotection.operator.decide.Decider;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.observe.DeviceOwnership;
import io.bucketprotection.operator.observe.Observer;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.s3.IdentityChecks;
import io.bucketprotection.operator.s3.VersionStore;
import io.bucketprotection.operator.deletion.ObjectVersionDeletionReconciler;
import io.bucketprotection.operator.metrics.MeteredBucketLister;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.secrets.CachingSecretsManagerReader;
import io.bucketprotection.operator.secrets.InformerSecretLookup;
import io.bucketprotection.operator.secrets.SecretReader;
import io.bucketprotection.operator.secrets.SecretResolver;
import io.bucketprotection.operator.secrets.SecretsManagerReader;
import io.bucketprotection.operator.status.KubernetesEventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Wires the operator by hand, with constructors: the one place that knows every part. Used by
 * {@link Main}, by the tests and by the local demo, so all three run the same assembly.
 */
public final class BucketProtectionOperator {

  private BucketProtectionOperator() {
  }

  /**
   * An operator ready to {@link Operator#start()}; the caller owns {@code client}, {@code store}
   * and {@code secretsManager}.
   */
  public static Operator create(OperatorConfig config, KubernetesClient client, BucketStore store,
      SecretsManagerReader secretsManager, OperatorMetrics metrics, Clock clock) {
    BucketLister lister = store instanceof BucketLister listing ? listing : account -> {
      throw new BucketStoreException(S3ErrorKind.REQUEST_REJECTED, "NotImplemented", 501,
          "this operator's S3 store cannot list buckets");
    };
    return create(config, client, store, lister, secretsManager, metrics, clock);
  }

  /** The version deletions a store can make; a store that cannot answers every call NotImplemented. */
  static VersionStore versionStore(Object store) {
    return store instanceof VersionStore versions ? versions : VersionStore.UNSUPPORTED;
  }

  /** The STS checks a store can make (an observer role, a caller's identity); none for stores that cannot. */
  static IdentityChecks identityChecks(Object store) {
    return store instanceof IdentityChecks checks ? checks : IdentityChecks.NONE;
  }

  /** As above, with the ListBuckets that policies use given apart. */
  public static Operator create(OperatorConfig config, KubernetesClient client, BucketStore store,
      BucketLister lister, SecretsManagerReader secretsManager, OperatorMetrics metrics, Clock clock) {
    MfaCodeLedger ledger = new MfaCodeLedger(clock, config.mfaPause());
    PersonCodes personCodes = new PersonCodes(clock);
    Operator operator = new Operator(o -> configure(o, config, client, metrics, ledger, personCodes));
    metrics.watchMfaQueue(ledger::waitingByDevice);
    metrics.watchMfaDevices(ledger::devices);
    metrics.watchAwaitingMfaCode(personCodes::waitingByDevice);
    CachingSecretsManagerReader secretsManagerCache = new CachingSecretsManagerReader(
        new MeteredSecretsManagerReader(secretsManager, metrics), config.secretsCacheLifetime(), clock);
    InformerSecretLookup kubernetesSecrets = new InformerSecretLookup(clock);
    SecretResolver secrets = new SecretResolver(new SecretReader(kubernetesSecrets), secretsManagerCache);
    Signers signers = new Signers(secrets, config.defaultRegion());
    IdentityChecks identities = identityChecks(store);
    BucketStore meteredStore = new MeteredBucketStore(store, metrics);
    AuditLog audit = new AuditLog(clock);
    Actor actor = new Actor(meteredStore, ledger, new TotpCodeGenerator(), secrets, metrics, audit,
        config.defaultRegion(), personCodes, new KubernetesCodeAnnotations(client), signers, clock);
    BucketReconciliation reconciliation = new BucketReconciliation(
        new Observer(meteredStore, signers, clock),
        new Decider(config.maxClockSkew()),
        actor, secrets, new DeviceOwnership(signers, identities, metrics), clock);
    TenancyCaches tenancy = new TenancyCaches(config, personCodes);
    ProtectionIndex protections = new ProtectionIndex();
    BucketOwnership ownership = new BucketOwnership(config, clock);
    // One share per endpoint for every S3 call: resources' reads and writes and policies' listings.
    EndpointSlots endpointSlots = new EndpointSlots(config.maxThreadsPerEndpoint());
    operator.register(new BucketProtectionReconciler(config, reconciliation, ownership, tenancy, kubernetesSecrets,
        new KubernetesEventRecorder(client, clock), metrics, protections, endpointSlots, clock),
        scope(config.namespaces(), config.labelSelector(), BucketProtectionReconciler.relevantUpdate(personCodes)));
    // Each account kind reads its Secrets through an informer of its own (JOSDK event sources
    // belong to one controller); Secrets Manager values share one cache.
    InformerSecretLookup s3AccountSecrets = new InformerSecretLookup(clock);
    operator.register(new S3AccountReconciler(config, accountCheck(config, s3AccountSecrets, secretsManagerCache,
        identities, metrics), s3AccountSecrets, personCodes, ledger, clock),
        scope(config.namespaces(), config.accountSelector(), null));
    if (config.clusterAccounts()) {
      InformerSecretLookup clusterAccountSecrets = new InformerSecretLookup(clock);
      operator.register(new ClusterS3AccountReconciler(config, accountCheck(config, clusterAccountSecrets,
          secretsManagerCache, identities, metrics), clusterAccountSecrets, personCodes, ledger, clock),
          scope(Set.of(), config.accountSelector(), null));
    }
    // Policies see accounts, Secrets and BucketProtections through the BucketProtection controller's caches.
    operator.register(new PolicyReconciler(config, tenancy, signers, new MeteredBucketLister(lister, metrics),
        protections, ownership, endpointSlots, clock), scope(config.namespaces(), null, null));
    // Deletions take their codes from the same line as versioning changes (Actor#codes).
    operator.register(ObjectVersionDeletionReconciler.create(config, client, tenancy, meteredStore,
        new MeteredVersionStore(versionStore(store), metrics), actor.codes(), signers, audit, new KubernetesEventRecorder(client, clock), clock),
        scope(config.namespaces(), null, null));
    return operator;
  }

  /** The operator-wide settings: client, status patches, threads, metrics and leader election. */
  private static void configure(ConfigurationServiceOverrider o, OperatorConfig config, KubernetesClient client,
      OperatorMetrics metrics, MfaCodeLedger ledger, PersonCodes personCodes) {
    o.withKubernetesClient(client)
        .withCloseClientOnStop(false)
        // Status is patched with a JSON patch on /status: server-side apply is refused by the
        // fabric8 mock API server the tests use, and JSON patch works on both.
        .withUseSSAToPatchPrimaryResource(false)
        .withConcurrentReconciliationThreads(config.reconcileThreads())
        // Per-resource series would be 10,000 time series for 10,000 buckets.
        .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics.registry()));
    OperatorConfig.LeaderElection election = config.leaderElection();
    if (election == null) {
      return;
    }
    o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
        .aLeaderElectionConfiguration(election.leaseName())
        .withLeaseNamespace(election.leaseNamespace())
        .withIdentity(election.identity())
        .withLeaseDuration(election.leaseDuration())
        .withRenewDeadline(election.renewDeadline())
        .withRetryPeriod(election.retryPeriod())
        // JOSDK's own exit calls System.exit on the thread that stops leading, which is the
        // shutdown hook's thread when the pod is asked to stop (SIGTERM): System.exit inside a
        // shutdown hook blocks for ever, and the pod hangs until the kubelet kills it. The exit is
        // made here instead, from a thread of its own (GettingStartedTest: a replica stops on SIGTERM).
        .withExitOnStopLeading(false)
        // The MFA restart guard starts at the hand-over, before event processing starts: the
        // old leader may have used the current step moments ago.
        .withLeaderCallbacks(new LeaderCallbacks(() -> {
          ledger.startGuard();
          personCodes.clear();
        }, () -> {
          if (election.exitOnLoss()) {
            exitAfterLosingTheLease();
          }
        }, leader -> { }))
        .build());
  }

  /**
   * A replica that stopped leading ends at once, so that two never reconcile side by side. When the
   * process is already shutting down, this thread just waits for the end of it.
   */
  private static void exitAfterLosingTheLease() {
    Thread exit = new Thread(() -> {
      LoggerFactory.getLogger(BucketProtectionOperator.class).info("Stopped leading: exiting");
      System.exit(1);
    }, "lost-lease-exit");
    exit.setDaemon(true);
    exit.start();
  }

  /**
   * What one controller watches: the namespaces (empty: all, or cluster-scoped), a label selector
   * (null: none) and an update filter (null: every update), with the retry every controller shares.
   */
  private static <R extends HasMetadata> Consumer<ControllerConfigurationOverrider<R>> scope(
      Set<String> namespaces, String labelSelector, OnUpdateFilter<R> onUpdate) {
    return o -> {
      if (!namespaces.isEmpty()) {
        o.settingNamespaces(namespaces);
      }
      if (labelSelector != null) {
        o.withLabelSelector(labelSelector);
      }
      if (onUpdate != null) {
        o.withOnUpdateFilter(onUpdate);
      }
      o.withRetry(unexpectedErrorRetry());
    };
  }

  /** An account controller's check, reading that controller's Secrets (and the shared Secrets Manager cache). */
  private static AccountCheck accountCheck(OperatorConfig config, InformerSecretLookup accountSecrets,
      CachingSecretsManagerReader secretsManagerCache, IdentityChecks identities, OperatorMetrics metrics) {
    SecretResolver resolver = new SecretResolver(new SecretReader(accountSecrets), secretsManagerCache);
    return new AccountCheck(resolver, new Signers(resolver, config.defaultRegion()), identities, metrics);
  }

  /**
   * Only unexpected exceptions reach JOSDK's retry (expected failures become conditions and are
   * re-checked by the reconcilers themselves): retry them indefinitely, at most every 5 min.
   */
  private static GenericRetry unexpectedErrorRetry() {
    return new GenericRetry().setInitialInterval(2_000).setIntervalMultiplier(2).setMaxInterval(300_000)
        .withoutMaxAttempts();
  }

  /**
   * The S3 store the operator uses on AWS and S3-compatible servers: transient failures (those
   * the reason table rechecks with back-off) get a quick second attempt inside the call.
   */
  public static AwsBucketStore awsBucketStore(OperatorConfig config) {
    return new AwsBucketStore(config.defaultRegion(), config.contentMd5Endpoints(), FailureVerdicts::isTransient);
  }
}
