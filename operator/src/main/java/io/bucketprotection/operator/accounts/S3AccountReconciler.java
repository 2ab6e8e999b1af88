package io.bucketprotection.operator.accounts;

import io.bucketprotection.operator.api.S3Account;
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

/** Keeps each S3Account's Ready condition; its Secrets live in its own namespace. */
@ControllerConfiguration(name = S3AccountReconciler.NAME)
public class S3AccountReconciler extends AccountReconciler<S3Account> {

  public static final String NAME = "s3account";

  public S3AccountReconciler(OperatorConfig config, AccountCheck check, InformerSecretLookup secrets,
      PersonCodes personCodes, MfaCodeLedger ledger, Clock clock) {
    super(config, check, secrets, personCodes, ledger, clock);
  }

  @Override
  Account validate(S3Account account, OperatorConfig config) throws InvalidSpecException {
    return AccountValidator.validate(account, config);
  }

  @Override
  Set<String> secretNamespaces(OperatorConfig config) {
    return config.namespaces();
  }

  @Override
  CodeHolder codeHolder(S3Account account) {
    return CodeHolder.of(AccountId.namespaced(account.getMetadata().getNamespace(), account.getMetadata().getName()));
  }
}
