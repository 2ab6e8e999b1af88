package io.bucketprotection.operator.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionSpec;
import io.bucketprotection.operator.api.CredentialsSource;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.SecretReference;
import io.bucketprotection.operator.api.SecretsManagerReference;
import io.bucketprotection.operator.api.SecretKeyReference;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.secrets.SecretSource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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

  /** The spec in a resource, as the operator validates it (namespace team, name x). */
  static BucketProtection resource(BucketProtectionSpec spec) {
    BucketProtection resource = new BucketProtection();
    resource.setMetadata(new ObjectMetaBuilder().withNamespace("team").withName("x").build());
    resource.setSpec(spec);
    return resource;
  }

  /** Inline keys: an inline mfa block needs them. */
  static BucketProtectionSpec withKeys(BucketProtectionSpec spec) {
    spec.setCredentials(new CredentialsSource(new SecretReference("root-keys")));
    return spec;
  }

  static MfaSpec mfa() {
    return new MfaSpec("arn:aws:iam::123456789012:mfa/root", new TotpSeedSource(new SecretKeyReference("root-mfa", "seed")), null);
  }

  @Test
  void aMinimalSpecGetsTheDefaults() throws Exception {
    ProtectionSpec desired = SpecValidator.validate(resource(spec("my-bucket", "Enabled")), CONFIG);
    assertEquals(VersioningStatus.ENABLED, desired.versioning());
    assertNull(desired.mfaDelete());
    assertEquals(Duration.ofMinutes(5), desired.checkInterval());
    assertEquals(false, desired.observeOnly());
    assertEquals(AccountId.DEFAULT, desired.account(), "neither accountRef nor credentials: the default account");
  }

  @Test
  void mfaDeleteNeedsVersioningEnabledAndAnMfaBlock() {
    BucketProtectionSpec spec = spec("my-bucket", "Suspended");
    spec.setMfaDelete("Enabled");
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(resource(spec), CONFIG));
    assertTrue(e.getMessage().contains("needs versioning: Enabled"), e.getMessage());
    assertTrue(e.getMessage().contains("needs an mfa block"), e.getMessage());
  }

  @Test
  void theMfaBlockGetsThirtySecondStepsByDefault() throws Exception {
    BucketProtectionSpec spec = withKeys(spec("my-bucket", "Enabled"));
    spec.setMfaDelete("Enabled");
    spec.setMfa(mfa());
    assertEquals(30, SpecValidator.validate(resource(spec), CONFIG).inline().mfa().periodSeconds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "My-Bucket", "bucket_", "-bucket", "bucket-", "a..b", "192.168.1.1",
      "xn--bucket", "sthree-x", "amzn-s3-demo-x", "bucket-s3alias", "bucket--ol-s3", "bucket.mrap",
      "bucket--x-s3", "bucket--table-s3",
      "a234567890123456789012345678901234567890123456789012345678901234"})
  void rejectsBucketNamesS3Rejects(String name) {
    assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(resource(spec(name, "Enabled")), CONFIG));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "twtech-mfa-delete", "logs.example.com", "a-1.b-2"})
  void acceptsValidBucketNames(String name) throws Exception {
    assertEquals(name, SpecValidator.validate(resource(spec(name, "Enabled")), CONFIG).bucket());
  }

  @Test
  void listsEveryProblemAtOnce() {
    BucketProtectionSpec spec = spec("ok-bucket", "enabled");
    spec.setMode("Audit");
    spec.setCheckInterval("5s");
    spec.setEndpoint("ftp://host");
    String message = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(resource(spec), CONFIG)).getMessage();
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
    String message = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(resource(spec), CONFIG)).getMessage();
    assertTrue(message.contains("totpSeed needs exactly one of"), message);
    assertTrue(message.contains("credentials needs exactly one of"), message);
    assertTrue(message.contains("12-digit"), message);
  }

  @Test
  void inlineSecretsManagerSourcesAreRefusedWithAPointerToAClusterS3Account() {
    BucketProtectionSpec spec = spec("my-bucket", "Enabled");
    spec.setMfaDelete("Enabled");
    spec.setMfa(new MfaSpec("arn:aws:iam::123456789012:mfa/root",
        new TotpSeedSource(new SecretsManagerReference("prod/root-mfa", "seed", "eu-west-1")), null));
    spec.setCredentials(new CredentialsSource(new SecretsManagerReference("prod/root-keys", null, null)));
    String message = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(resource(spec), CONFIG))
        .getMessage();
    assertTrue(message.contains("spec.credentials.secretsManager is refused"), message);
    assertTrue(message.contains("spec.mfa.totpSeed.secretsManager is refused"), message);
    assertTrue(message.contains("ClusterS3Account"), message);
  }

  @Test
  void inlineKeysAndSeedAreReadFromTheResourcesOwnNamespace() throws Exception {
    BucketProtectionSpec spec = withKeys(spec("my-bucket", "Enabled"));
    spec.setMfa(mfa());
    spec.setExpectedBucketOwner("123456789012");
    ProtectionSpec valid = SpecValidator.validate(resource(spec), CONFIG);
    assertNull(valid.account());
    assertEquals(new SecretSource.KubernetesSecret("team", "root-keys", null), valid.inline().credentials());
    assertEquals(new SecretSource.KubernetesSecret("team", "root-mfa", "seed"), valid.inline().mfa().seed());
    assertEquals("123456789012", valid.inline().expectedBucketOwner());
    assertNull(valid.region(), "no region: the operator finds it");
  }

  @Test
  void withAnAccountRefTheAccountGivesKeysDeviceEndpointAndOwner() {
    BucketProtectionSpec spec = withKeys(spec("my-bucket", "Enabled"));
    spec.setAccountRef(new io.bucketprotection.operator.api.AccountReference("ClusterS3Account", "prod"));
    spec.setMfa(mfa());
    spec.setEndpoint("http://127.0.0.1:7480");
    spec.setExpectedBucketOwner("123456789012");
    String message = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(resource(spec), CONFIG))
        .getMessage();
    for (String field : java.util.List.of("credentials", "mfa", "endpoint", "expectedBucketOwner")) {
      assertTrue(message.contains("spec." + field + " cannot be set together with spec.accountRef"), message);
    }
  }

  @Test
  void anInlineMfaBlockNeedsInlineCredentials() {
    BucketProtectionSpec spec = spec("my-bucket", "Enabled");
    spec.setMfa(mfa());
    String message = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(resource(spec), CONFIG))
        .getMessage();
    assertTrue(message.contains("spec.mfa needs spec.credentials"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://user:pass@127.0.0.1:7480", "http://127.0.0.1:7480/prefix", "http://127.0.0.1:7480?x=1",
      "http://127.0.0.1:7480#f", "ftp://127.0.0.1", "http://169.254.169.254", "https://metadata.internal",
      "HTTP://127.0.0.1:7480"})
  void endpointsAreBareAndOnTheAllowList(String endpoint) {
    BucketProtectionSpec spec = withKeys(spec("my-bucket", "Enabled"));
    spec.setEndpoint(endpoint);
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("BPO_ALLOWED_ENDPOINTS", "http://127.0.0.1:7480"));
    String message = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(resource(spec), config))
        .getMessage();
    assertTrue(message.contains("spec.endpoint"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:7480", "http://127.0.0.1:7480/"})
  void anAllowedEndpointIsAccepted(String endpoint) throws Exception {
    BucketProtectionSpec spec = withKeys(spec("my-bucket", "Enabled"));
    spec.setEndpoint(endpoint);
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("BPO_ALLOWED_ENDPOINTS", "http://127.0.0.1:7480/"));
    assertEquals(endpoint, SpecValidator.validate(resource(spec), config).inline().endpoint().toString());
  }

  @Test
  void theDefaultEndpointIsAlwaysAllowed() throws Exception {
    BucketProtectionSpec spec = withKeys(spec("my-bucket", "Enabled"));
    spec.setEndpoint("http://127.0.0.1:9000");
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000"));
    assertEquals("http://127.0.0.1:9000", SpecValidator.validate(resource(spec), config).inline().endpoint().toString());
  }

  @Test
  void serialNumbersWithSpacesWouldBreakTheHeader() {
    BucketProtectionSpec spec = withKeys(spec("my-bucket", "Enabled"));
    MfaSpec mfa = mfa();
    mfa.setSerialNumber("arn:aws:iam::1:mfa/root 123456");
    spec.setMfa(mfa);
    String message = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(resource(spec), CONFIG))
        .getMessage();
    assertTrue(message.contains("without spaces"), message);
  }

  /** A serial goes into a header and into every message about the device: printable characters only. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"arn:aws:iam::123456789012:mfa/ops\u202Egnp.exe",
      "arn:aws:iam::123456789012:mfa/ops\u0007", "arn:aws:iam::123456789012:mfa/\u200Bops", "GAHT\u00e912345678"})
  void serialNumbersWithControlOrBidiCharactersAreInvalid(String serial) {
    BucketProtectionSpec spec = withKeys(spec("my-bucket", "Enabled"));
    MfaSpec mfa = mfa();
    mfa.setSerialNumber(serial);
    spec.setMfa(mfa);
    String message = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(resource(spec), CONFIG))
        .getMessage();
    assertTrue(message.contains("printable"), message);
    assertTrue(message.chars().allMatch(c -> c >= 0x20 && c < 0x7F), "the message does not echo the characters");
  }

  @Test
  void fieldsThisVersionDoesNotKnowAreNamedWithTheirPaths() throws Exception {
    BucketProtection resource = io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
        {"apiVersion": "bucketprotection.io/v1alpha1", "kind": "BucketProtection",
         "metadata": {"name": "x", "namespace": "team"},
         "spec": {"bucket": "my-bucket", "versioning": "Enabled", "retentionGuard": {"minimumDays": 30},
                  "credentials": {"secretRef": {"name": "k", "namespace": "elsewhere"}},
                  "mfa": {"serialNumber": "s", "totpSeed": {"secretKeyRef": {"name": "s", "key": "k", "version": 2}}}}}""",
        BucketProtection.class);
    // JOSDK hands the reconciler a serialized copy of the cached resource: the fields survive it.
    BucketProtection copy = new io.javaoperatorsdk.operator.api.config.BaseConfigurationService()
        .getResourceCloner().clone(resource);
    assertEquals(java.util.List.of("spec.retentionGuard", "spec.credentials.secretRef.namespace",
        "spec.mfa.totpSeed.secretKeyRef.version"), SpecValidator.validate(copy, CONFIG).unsupportedFields());
  }
}
