package io.bucketprotection.operator.mfa;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;

/** RFC 6238 codes as AWS virtual MFA devices make them: HMAC-SHA1, 6 digits. */
public final class TotpCodeGenerator {

  private final CodeGenerator generator = new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6);

  /** The code for time step {@code step} (epoch seconds divided by the device's period). */
  public String code(TotpSeed seed, long step) throws InvalidTotpSeedException {
    try {
      return generator.generate(seed.base32(), step);
    } catch (CodeGenerationException e) {
      // The library's message may quote its input: keep only our own words.
      throw new InvalidTotpSeedException("no code could be computed from the seed");
    }
  }
}
