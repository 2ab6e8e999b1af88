package io.bucketprotection.operator.accounts;

import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.mfa.PersonCodes;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.AccountValidator;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.secrets.InformerSecretLookup;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;
import java.util.Set;

/** Keeps each ClusterS3Account's Ready condition; its Secrets live in the cluster resource namespace. */
@ControllerConfiguration(name = ClusterS3AccountReconciler.NAME)
public class ClusterS3AccountReconciler extends AccountReconciler<ClusterS3Account> {

  public static final String NAME = "clusters3account";

  public ClusterS3AccountReconciler(OperatorConfig config, AccountCheck check, InformerSecretLookup secrets,
      PersonCodes personCodes, MfaCodeLedger ledger, Clock clock) {
    super(config, check, secrets, personCodes, ledger, clock);
  }

  @Override
  Account validate(ClusterS3Account account, OperatorConfig config) throws InvalidSpecException {
    return AccountValidator.validate(account, config);
  }

  @Override
  Set<String> secretNamespaces(OperatorConfig config) {
    return Set.of(config.clusterResourceNamespace());
  }

  @Override
  CodeHolder codeHolder(ClusterS3Account account) {
    return CodeHolder.of(AccountId.cluster(account.getMetadata().getName()));
  }
}
