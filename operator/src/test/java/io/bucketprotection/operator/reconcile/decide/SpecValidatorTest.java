package io.bucketprotection.operator.reconcile.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtectionSpec;
import io.bucketprotection.operator.api.CredentialsSource;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.SecretsManagerReference;
import io.bucketprotection.operator.api.SecretKeyReference;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.secrets.SecretSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecValidatorTest {

  private static final OperatorConfig CONFIG = OperatorConfig.fromEnvironment(Map.of());

  static BucketProtectionSpec spec(String bucket, String versioning) {
    BucketProtectionSpec spec = new BucketProtectionSpec();
    spec.setBucket(bucket);
    spec.setVersioning(versioning);
    return spec;
  }

  static MfaSpec mfa() {
    return new MfaSpec("arn:aws:iam::123456789012:mfa/root", new TotpSeedSource(new SecretKeyReference("root-mfa", "seed")), null);
  }

  @Test
  void aMinimalSpecGetsTheDefaults() throws Exception {
    DesiredState desired = SpecValidator.validate(spec("my-bucket", "Enabled"), CONFIG);
    assertEquals(VersioningStatus.ENABLED, desired.versioning());
    assertNull(desired.mfaDelete());
    assertEquals(Duration.ofMinutes(5), desired.checkInterval());
    assertEquals(false, desired.observeOnly());
  }

  @Test
  void mfaDeleteNeedsVersioningEnabledAndAnMfaBlock() {
    BucketProtectionSpec spec = spec("my-bucket", "Suspended");
    spec.setMfaDelete("Enabled");
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(spec, CONFIG));
    assertTrue(e.getMessage().contains("needs versioning: Enabled"), e.getMessage());
    assertTrue(e.getMessage().contains("needs an mfa block"), e.getMessage());
  }

  @Test
  void theMfaBlockGetsThirtySecondStepsByDefault() throws Exception {
    BucketProtectionSpec spec = spec("my-bucket", "Enabled");
    spec.setMfaDelete("Enabled");
    spec.setMfa(mfa());
    assertEquals(30, SpecValidator.validate(spec, CONFIG).mfa().periodSeconds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "My-Bucket", "bucket_", "-bucket", "bucket-", "a..b", "192.168.1.1",
      "xn--bucket", "sthree-x", "amzn-s3-demo-x", "bucket-s3alias", "bucket--ol-s3", "bucket.mrap",
      "bucket--x-s3", "bucket--table-s3",
      "a234567890123456789012345678901234567890123456789012345678901234"})
  void rejectsBucketNamesS3Rejects(String name) {
    assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(spec(name, "Enabled"), CONFIG));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "twtech-mfa-delete", "logs.example.com", "a-1.b-2"})
  void acceptsValidBucketNames(String name) throws Exception {
    assertEquals(name, SpecValidator.validate(spec(name, "Enabled"), CONFIG).bucket());
  }

  @Test
  void listsEveryProblemAtOnce() {
    BucketProtectionSpec spec = spec("ok-bucket", "enabled");
    spec.setMode("Audit");
    spec.setCheckInterval("5s");
    spec.setEndpoint("ftp://host");
    String message = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(spec, CONFIG)).getMessage();
    assertTrue(message.contains("spec.versioning must be Enabled or Suspended"), message);
    assertTrue(message.contains("spec.mode"), message);
    assertTrue(message.contains("between 10s and 24h"), message);
    assertTrue(message.contains("spec.endpoint"), message);
  }

  @Test
  void secretsNeedExactlyOneSourceAndOwnersAreAccountIds() {
    BucketProtectionSpec spec = spec("my-bucket", "Enabled");
    spec.setMfaDelete("Enabled");
    MfaSpec mfa = mfa();
    mfa.getTotpSeed().setSecretsManager(new SecretsManagerReference("prod/root-mfa", "seed", null));
    spec.setMfa(mfa);
    spec.setCredentials(new CredentialsSource());
    spec.setExpectedBucketOwner("12345");
    String message = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(spec, CONFIG)).getMessage();
    assertTrue(message.contains("totpSeed needs exactly one of"), message);
    assertTrue(message.contains("credentials needs exactly one of"), message);
    assertTrue(message.contains("12-digit"), message);
  }

  @Test
  void secretsManagerSourcesAreAccepted() throws Exception {
    BucketProtectionSpec spec = spec("my-bucket", "Enabled");
    spec.setMfaDelete("Enabled");
    spec.setMfa(new MfaSpec("arn:aws:iam::123456789012:mfa/root",
        new TotpSeedSource(new SecretsManagerReference("prod/root-mfa", "seed", "eu-west-1")), null));
    spec.setCredentials(new CredentialsSource(new SecretsManagerReference("prod/root-keys", null, null)));
    spec.setExpectedBucketOwner("123456789012");
    DesiredState desired = SpecValidator.validate(spec, CONFIG);
    assertEquals(new SecretSource.SecretsManagerSecret("prod/root-mfa", "seed", "eu-west-1"), desired.mfa().seed());
    assertEquals(new SecretSource.SecretsManagerSecret("prod/root-keys", null, null), desired.credentials());
    assertEquals("123456789012", desired.expectedBucketOwner());
    assertNull(desired.region(), "no region: the operator finds it");
  }

  @Test
  void serialNumbersWithSpacesWouldBreakTheHeader() {
    BucketProtectionSpec spec = spec("my-bucket", "Enabled");
    MfaSpec mfa = mfa();
    mfa.setSerialNumber("arn:aws:iam::1:mfa/root 123456");
    spec.setMfa(mfa);
    assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(spec, CONFIG));
  }
}
