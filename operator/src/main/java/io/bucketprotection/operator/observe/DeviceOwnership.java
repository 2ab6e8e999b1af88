package io.bucketprotection.operator.observe;

import io.bucketprotection.operator.api.DeviceProof;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.IdentityChecks;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretSource;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a tenant's root keys own the MFA device it names: one sts:GetCallerIdentity signed with
 * them (a request root must sign) must answer the root of the device's account. Made once per
 * holder, generation and serial and remembered (a holder's status keeps it across restarts), so a
 * tenant cannot claim an admin's device by naming its serial.
 */
public final class DeviceOwnership {

  public static final String OWNED = "Owned";
  public static final String NOT_OWNED = "NotOwned";
  public static final String UNPROVABLE = "Unprovable";

  /** arn:PARTITION:iam::ACCOUNT:mfa/NAME: the account a virtual device belongs to. */
  private static final Pattern DEVICE_ACCOUNT = Pattern.compile("arn:(aws[a-z-]*):iam::([0-9]{12}):mfa/.+");

  /**
   * A proof, or why none could be made (then {@code proof} is null).
   *
   * @param failure the reason the proof could not be made (the keys unreadable, STS unreachable)
   */
  public record Result(DeviceProof proof, Reason failure, String message) {
    public boolean notOwned() {
      return proof != null && NOT_OWNED.equals(proof.getOutcome());
    }
  }

  private final Signers signers;
  private final IdentityChecks identities;
  private final OperatorMetrics metrics;
  /** Proofs made lately: a reconcile that runs before the status with the proof is stored must not ask again. */
  private final Map<String, DeviceProof> proofs = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, DeviceProof> eldest) {
      return size() > 4096;
    }
  };

  public DeviceOwnership(Signers signers, IdentityChecks identities, OperatorMetrics metrics) {
    this.signers = signers;
    this.identities = identities;
    this.metrics = metrics;
  }

  /**
   * @param holder the object that claims the device ("S3Account ns/name", a resource's uid)
   * @param previous the proof the holder's status keeps, reused for the same generation and serial
   * @param endpoint the resolved endpoint (null: AWS's regional STS)
   */
  public Result prove(String holder, long generation, String serial, DeviceProof previous, SecretSource credentials,
      URI endpoint, String region, AccountId account) {
    String key = key(holder, generation, serial);
    if (previous != null && previous.getSerialNumber() != null && key.equals(key(holder, generation,
        previous.getSerialNumber())) && Long.valueOf(generation).equals(previous.getGeneration())) {
      return new Result(new DeviceProof(serial, generation, previous.getOutcome()), null, null);
    }
    synchronized (proofs) {
      DeviceProof known = proofs.get(key);
      if (known != null) {
        return new Result(new DeviceProof(serial, generation, known.getOutcome()), null, null);
      }
    }
    Result made = make(serial, generation, credentials, endpoint, region, account);
    if (made.proof() != null) {
      synchronized (proofs) {
        proofs.put(key, made.proof());
      }
    }
    return made;
  }

  /**
   * What a proof is kept under: the holder, its generation, and the account root the device's ARN
   * names. The proof is of the root keys' account (sts:GetCallerIdentity), so every device of one
   * account shares it: a pool of devices costs one root-signed call, not one a device. A hardware
   * serial names no account and is kept under itself.
   */
  private static String key(String holder, long generation, String serial) {
    Matcher device = DEVICE_ACCOUNT.matcher(serial);
    return holder + " " + generation + " " + (device.matches() ? "arn:" + device.group(1) + ":iam::" + device.group(2)
        + ":root" : serial);
  }

  /** What a refused claim is told: whose device it is, and that nothing was spent. */
  public static String notOwnedMessage(String serial, SecretSource credentials) {
    Matcher device = DEVICE_ACCOUNT.matcher(serial);
    return "The root keys in " + credentials.describe() + " are not the root user of "
        + (device.matches() ? "account " + device.group(2) + ", to which MFA device " + serial + " belongs"
            : "the account of MFA device " + serial) + " (sts:GetCallerIdentity). A namespace may name only its own"
        + " account's device. No code was made.";
  }

  private Result make(String serial, long generation, SecretSource credentials, URI endpoint, String region,
      AccountId account) {
    Matcher device = DEVICE_ACCOUNT.matcher(serial);
    if (!device.matches()) {
      return new Result(new DeviceProof(serial, generation, UNPROVABLE), null, null); // a hardware token names no account
    }
    Signer root;
    try {
      root = signers.root(credentials, Signers.accountLabel(account));
    } catch (SecretProblem e) {
      var verdict = FailureVerdicts.fromSecret(e, FailureVerdicts.ROOT_KEYS, null);
      return new Result(null, verdict.reason(), verdict.message());
    }
    metrics.rootRequest(root, OperatorMetrics.RootPurpose.PROOF);
    Optional<String> caller;
    try {
      caller = identities.callerArn(BucketAddress.account(endpoint, region, root));
    } catch (BucketStoreException e) {
      return new Result(null, FailureVerdicts.reasonOf(e.kind()), "Proving that the root keys own MFA device "
          + serial + " (sts:GetCallerIdentity) failed: " + e.getMessage() + ".");
    }
    if (caller.isEmpty()) {
      return new Result(new DeviceProof(serial, generation, UNPROVABLE), null, null);
    }
    String expected = "arn:" + device.group(1) + ":iam::" + device.group(2) + ":root";
    return new Result(new DeviceProof(serial, generation, expected.equals(caller.get()) ? OWNED : NOT_OWNED), null,
        null);
  }

  /** Whether a holder's claim was refused lately (its proof said NotOwned), for the claims contest. */
  public boolean knownNotOwned(String holder, long generation, String serial) {
    synchronized (proofs) {
      DeviceProof known = proofs.get(key(holder, generation, serial));
      return known != null && NOT_OWNED.equals(known.getOutcome());
    }
  }
}
