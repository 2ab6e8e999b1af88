package io.bucketprotection.operator.accounts;

import io.bucketprotection.operator.mfa.InvalidTotpSeedException;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.reconcile.decide.Account;
import io.bucketprotection.operator.reconcile.decide.FailureVerdicts;
import io.bucketprotection.operator.reconcile.decide.Verdict;
import io.bucketprotection.operator.reconcile.observe.Observer;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretResolver;
import io.bucketprotection.operator.secrets.SecretSource;

/**
 * Whether an account's secrets resolve and are well-formed: the access keys are there, the seed
 * is Base32. It reads them as a reconcile would, and never makes or spends a code.
 */
public final class AccountCheck {

  /** The account's Ready condition, as it should be. */
  public record Result(boolean ready, String reason, String message) {
  }

  public static final String READY_REASON = "SecretsResolved";

  private final SecretResolver secrets;

  public AccountCheck(SecretResolver secrets) {
    this.secrets = secrets;
  }

  public Result check(Account account) {
    SecretSource credentials = account.settings().credentials();
    if (credentials != null) {
      try {
        secrets.read(credentials, Observer.ACCESS_KEY_ID);
        secrets.read(credentials, Observer.SECRET_ACCESS_KEY);
      } catch (SecretProblem e) {
        return problem(FailureVerdicts.fromSecret(e, "the S3 credentials", null));
      }
    }
    var mfa = account.settings().mfa();
    if (mfa != null && mfa.seed() != null) {
      try {
        TotpSeed.parse(secrets.read(mfa.seed(), null));
      } catch (SecretProblem e) {
        return problem(FailureVerdicts.fromSecret(e, "the MFA seed", null));
      } catch (InvalidTotpSeedException e) {
        return new Result(false, "InvalidTotpSeed", mfa.seed().describe() + ": " + e.getMessage()
            + ". Store the Base32 secret key shown when the virtual MFA device was created.");
      }
    }
    return new Result(true, READY_REASON, (credentials == null ? "Uses the operator's own AWS identity"
        : "The access keys in " + credentials.describe() + " are present")
        + (mfa == null ? "; no MFA device." : mfa.seed() == null ? "; MFA device " + mfa.serialNumber() + "."
            : "; the seed of MFA device " + mfa.serialNumber() + " in " + mfa.seed().describe() + " is well-formed.")
        + " Checking spent no code.");
  }

  private static Result problem(Verdict verdict) {
    return new Result(false, verdict.reason().name(), verdict.message());
  }
}
