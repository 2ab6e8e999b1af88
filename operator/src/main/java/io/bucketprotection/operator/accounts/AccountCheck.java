package io.bucketprotection.operator.accounts;

import io.bucketprotection.operator.mfa.InvalidTotpSeedException;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.observe.DeviceOwnership;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.IdentityChecks;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretResolver;
import io.bucketprotection.operator.api.DeviceProof;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.spec.AccountSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether an account can be used: its observer signs (its keys are there, or STS gives the
 * operator a session in its role) and its seed is Base32. It never reads the root keys (they are
 * read only for the coded request that needs them) and never makes or spends a code.
 */
public final class AccountCheck {

  /**
   * The account's Ready condition, as it should be.
   *
   * @param rootForReads the account names no observer: its root keys sign reads too (RootUsedForReads)
   */
  public record Result(boolean ready, String reason, String message, boolean rootForReads, DeviceProof proof) {
    public Result(boolean ready, String reason, String message, boolean rootForReads) {
      this(ready, reason, message, rootForReads, null);
    }
  }


  public static final String READY_REASON = "SecretsResolved";

  private final SecretResolver secrets;
  private final Signers signers;
  private final IdentityChecks identities;
  private final DeviceOwnership ownership;


  public AccountCheck(SecretResolver secrets, Signers signers, IdentityChecks identities, OperatorMetrics metrics) {
    this.secrets = secrets;
    this.signers = signers;
    this.identities = identities;
    this.ownership = new DeviceOwnership(signers, identities, metrics);
  }

  public Result check(Account account) {
    return check(account, null, 0);
  }

  /**
   * @param previous the device proof the account's status holds, reused for the same generation
   * @param generation the account's metadata.generation
   */
  public Result check(Account account, DeviceProof previous, long generation) {
    Result result = checkSigners(account);
    if (!result.ready() || account.admission() != null || account.settings().mfa() == null
        || account.settings().credentials() == null) {
      return result; // only a tenant's claim on a device needs proof: an admin's account beats every tenant's
    }
    var settings = account.settings();
    // Every device of a pool is proved: a tenant must not slip another's device in behind its own.
    List<DeviceProof> proofs = new ArrayList<>();
    List<String> proved = new ArrayList<>();
    for (AccountSettings.MfaSettings mfa : settings.mfaDevices()) {
      String serial = mfa.serialNumber();
      DeviceOwnership.Result owned = ownership.prove(account.id().toString(), generation, serial,
          previous != null && serial.equals(previous.getSerialNumber()) ? previous : null, settings.credentials(),
          settings.endpoint(), settings.region(), account.id());
      if (owned.proof() == null) {
        return new Result(false, owned.failure().name(), owned.message(), false);
      }
      if (owned.notOwned()) {
        return new Result(false, Reason.DeviceNotOwned.name(), DeviceOwnership.notOwnedMessage(serial,
            settings.credentials()), false, owned.proof());
      }
      proofs.add(owned.proof());
      proved.add(serial);
    }
    String note = DeviceOwnership.UNPROVABLE.equals(proofs.get(0).getOutcome()) ? " The endpoint has no"
        + " sts:GetCallerIdentity, so the claim on MFA device " + String.join(", ", proved) + " was not proved; a"
        + " ClusterS3Account naming the device still beats it." : " Its root keys were proved to own MFA device "
        + String.join(", ", proved) + ".";
    return new Result(true, result.reason(), result.message() + note, result.rootForReads(), proofs.get(0));
  }

  private Result checkSigners(Account account) {
    var settings = account.settings();
    boolean rootForReads = settings.observer() == null;
    if (!rootForReads) {
      URI endpoint = settings.endpoint();
      try {
        identities.checkObserver(signers.reader(settings.observer(), null, endpoint, settings.region(), account.id()));
      } catch (SecretProblem e) {
        return problem(FailureVerdicts.fromSecret(e, Signers.purpose(Signer.Role.OBSERVER), null), false);
      } catch (BucketStoreException e) {
        Reason reason = FailureVerdicts.reasonOf(e.kind());
        return new Result(false, reason.name(), e.getMessage() + ". Let the operator's own identity assume the role:"
            + " the role's trust policy must name it (and the external id, if set), and the operator's policy must"
            + " allow sts:AssumeRole on it (deploy/aws/). The operator never falls back to the root keys.", false);
      }
    }
    for (AccountSettings.MfaSettings mfa : settings.mfaDevices()) {
      if (mfa.seed() == null) {
        continue;
      }
      try {
        TotpSeed.parse(secrets.read(mfa.seed(), null));
      } catch (SecretProblem e) {
        return problem(FailureVerdicts.fromSecret(e, "the MFA seed of " + mfa.serialNumber(), null), rootForReads);
      } catch (InvalidTotpSeedException e) {
        return new Result(false, "InvalidTotpSeed", mfa.seed().describe() + ": " + e.getMessage()
            + ". Store the Base32 secret key shown when the virtual MFA device was created.", rootForReads);
      }
    }
    var mfa = settings.mfa();
    String signers = (rootForReads ? "The root keys in " + settings.credentials().describe() + " sign every request"
        : "The observer (" + settings.observer().describe() + ") signs reads and writes that need no code"
            + (settings.credentials() == null ? "; the account has no root keys, so a change that needs a code is"
                + " MfaRequired" : "; the root keys in " + settings.credentials().describe() + " sign only coded"
                + " requests and are read just in time for them"));
    return new Result(true, READY_REASON, signers
        + (settings.mfaDevices().size() > 1 ? "; a pool of " + settings.mfaDevices().size() + " MFA devices ("
            + settings.mfaDevices().stream().map(AccountSettings.MfaSettings::serialNumber).collect(Collectors.joining(", "))
            + "), every stored seed well-formed." : mfa == null ? "; no MFA device." : mfa.seed() == null
            ? "; MFA device " + mfa.serialNumber() + "."
            : "; the seed of MFA device " + mfa.serialNumber() + " in " + mfa.seed().describe() + " is well-formed.")
        + " Checking spent no code.", rootForReads);
  }

  private static Result problem(Verdict verdict, boolean rootForReads) {
    return new Result(false, verdict.reason().name(), verdict.message(), rootForReads);
  }
}
