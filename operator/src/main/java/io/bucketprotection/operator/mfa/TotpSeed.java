package io.bucketprotection.operator.mfa;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Base32 TOTP seed, normalised (upper case, no spaces or padding) and checked. Never printed:
 * {@link #toString()} is redacted, and the validation message never quotes the value.
 */
public final class TotpSeed {

  private static final Pattern BASE32 = Pattern.compile("[A-Z2-7]+");
  /** 80 bits: RFC 4226 asks for at least 128, but some hardware tokens use 80. */
  private static final int MIN_LENGTH = 16;

  private final String base32;

  private TotpSeed(String base32) {
    this.base32 = base32;
  }

  /** @throws InvalidTotpSeedException when the value is not a usable Base32 seed */
  public static TotpSeed parse(String raw) throws InvalidTotpSeedException {
    if (raw == null) {
      throw new InvalidTotpSeedException("the seed is empty");
    }
    String normalised = raw.replace(" ", "").replace("-", "").replace("=", "").trim()
        .toUpperCase(Locale.ROOT);
    if (normalised.isEmpty()) {
      throw new InvalidTotpSeedException("the seed is empty");
    }
    if (!BASE32.matcher(normalised).matches()) {
      throw new InvalidTotpSeedException(
          "the seed is not Base32 (only the letters A-Z and the digits 2-7 are allowed)");
    }
    if (normalised.length() < MIN_LENGTH) {
      throw new InvalidTotpSeedException("the seed is shorter than " + MIN_LENGTH + " Base32 characters");
    }
    return new TotpSeed(normalised);
  }

  String base32() {
    return base32;
  }

  /** SHA-256 of the seed: tells two seeds apart without keeping or showing either. */
  public String fingerprint() {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(base32.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "TotpSeed[<redacted>]";
  }
}
