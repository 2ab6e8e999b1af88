package io.bucketprotection.operator.check;

import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.AccountValidator;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.spec.UnsupportedFieldsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An account of the input, validated as the operator validates it ({@link AccountValidator}). A
 * merge that breaks an account breaks every resource using it, so an invalid one fails the check
 * even when no resource of the input names it.
 */
final class AccountReview {

  private AccountReview() {
  }

  /**
   * @param manifest holds a ClusterS3Account or an S3Account
   * @param unused why the check did not bind resources to it as written, if it did not
   */
  static CheckResult review(Manifest manifest, Optional<String> unused, OperatorConfig config) {
    try {
      if (manifest.object() instanceof ClusterS3Account cluster) {
        AccountValidator.validate(cluster, config);
      } else {
        AccountValidator.validate((S3Account) manifest.object(), config);
      }
    } catch (UnsupportedFieldsException e) {
      return CheckResult.refused(manifest, null, Reason.UnsupportedField.name(), e.getMessage());
    } catch (InvalidSpecException e) {
      return CheckResult.refused(manifest, null, Reason.InvalidSpec.name(), e.getMessage());
    }
    List<String> notes = new ArrayList<>(List.of("Valid. Its Secrets were not read (the operator checks them and"
        + " reports its Ready condition)."));
    unused.ifPresent(notes::add);
    return new CheckResult(CheckResult.Subject.of(manifest), null, CheckResult.Plan.none(notes));
  }
}
