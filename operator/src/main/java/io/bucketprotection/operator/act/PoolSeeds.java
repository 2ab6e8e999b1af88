package io.bucketprotection.operator.act;

import io.bucketprotection.operator.decide.DeviceState;
import io.bucketprotection.operator.mfa.InvalidTotpSeedException;
import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.mfa.PoolDevice;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretResolver;
import io.bucketprotection.operator.spec.AccountSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The seeded devices of a pool with their seeds read, as the ledger is asked for them: a device
 * whose seed cannot be read or parsed drops out, and the first such problem is kept for when no
 * device is left. Seedless devices are left to the person-code path.
 *
 * @param pool the usable seeded devices, in pool order
 * @param seeds each usable device's settings and seed
 * @param unusable the answer for the first device that dropped out, or null
 */
record PoolSeeds(List<PoolDevice> pool, Map<MfaDevice, Seeded> seeds, Asked unusable) {

  /** A seeded device of the pool, with its seed read. */
  record Seeded(AccountSettings.MfaSettings mfa, TotpSeed seed, PoolDevice.Seed seedId) {
  }

  static PoolSeeds read(List<AccountSettings.MfaSettings> devices,
      Function<AccountSettings.MfaSettings, MfaDevice> deviceOf, SecretResolver secrets) {
    List<PoolDevice> pool = new ArrayList<>();
    Map<MfaDevice, Seeded> seeds = new HashMap<>();
    Asked unusable = null;
    for (AccountSettings.MfaSettings mfa : devices) {
      if (mfa.personCodes()) {
        continue;
      }
      MfaDevice device = deviceOf.apply(mfa);
      try {
        TotpSeed seed = TotpSeed.parse(secrets.read(mfa.seed(), null));
        PoolDevice.Seed seedId = new PoolDevice.Seed(mfa.seed().describe(), seed.fingerprint());
        pool.add(new PoolDevice(device, mfa.periodSeconds(), mfa.lookAheadSteps(), seedId));
        seeds.put(device, new Seeded(mfa, seed, seedId));
      } catch (SecretProblem e) {
        unusable = unusable != null ? unusable : Asked.stopped(new DeviceState.SeedUnreadable(e), device).on(mfa);
      } catch (InvalidTotpSeedException e) {
        unusable = unusable != null ? unusable
            : Asked.stopped(new DeviceState.SeedInvalid(e.getMessage()), device).on(mfa);
      }
    }
    return new PoolSeeds(pool, seeds, unusable);
  }
}
