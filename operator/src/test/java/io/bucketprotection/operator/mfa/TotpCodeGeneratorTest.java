package io.bucketprotection.operator.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpCodeGeneratorTest {

  /** ASCII "12345678901234567890", the RFC 6238 SHA1 seed. */
  private static final String RFC_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

  /** RFC 6238 appendix B (SHA1), last 6 of the 8 digits. */
  @ParameterizedTest
  @CsvSource({
      "59, 287082",
      "1111111109, 081804",
      "1111111111, 050471",
      "1234567890, 005924",
      "2000000000, 279037",
      "20000000000, 353130"})
  void matchesRfc6238Vectors(long epochSeconds, String expected) throws Exception {
    TotpSeed seed = TotpSeed.parse(RFC_SEED);
    assertEquals(expected, new TotpCodeGenerator().code(seed, epochSeconds / 30));
  }

  @Test
  void acceptsSeedsAsAwsAndAuthenticatorAppsShowThem() throws Exception {
    TotpSeed spaced = TotpSeed.parse("gezd gnbv gy3t qojq gezd gnbv gy3t qojq==");
    assertEquals("287082", new TotpCodeGenerator().code(spaced, 1));
  }

  @Test
  void rejectsNonBase32WithoutQuotingTheValue() {
    String notBase32 = "THIS-IS-NOT-BASE32-0189!";
    InvalidTotpSeedException e = assertThrows(InvalidTotpSeedException.class, () -> TotpSeed.parse(notBase32));
    assertFalse(e.getMessage().contains("THIS"));
    assertTrue(e.getMessage().contains("Base32"));
    assertThrows(InvalidTotpSeedException.class, () -> TotpSeed.parse("ABCDEF"));
    assertThrows(InvalidTotpSeedException.class, () -> TotpSeed.parse("  "));
  }

  @Test
  void neverPrintsTheSeed() throws Exception {
    assertFalse(TotpSeed.parse(RFC_SEED).toString().contains("GEZD"));
  }
}
