package io.bucketprotection.operator.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.deletion.DeletionSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Each rule once: every CEL fixture (operator/src/test/resources/cel, which CelRulesTest runs
 * through the CRDs' x-kubernetes-validations) also goes through the Java validators, so the two
 * statements of a rule cannot drift apart. A fixture the CEL rules refuse (invalid/) must be
 * refused by Java, with the words in {@link #JAVA_REFUSES}; a fixture CEL accepts (valid/) must
 * be accepted by Java, unless it is in {@link #JAVA_IS_STRICTER}, which says why (a check CEL
 * cannot state; once that check is met, Java accepts it too). Every invalid fixture needs a line
 * here, so a new one cannot slip past Java.
 */
class CelAndJavaAgreeTest {

  /** Tests run in operator/. */
  private static final Path FIXTURES = Path.of("src/test/resources/cel");
  private static final YAMLMapper YAML = new YAMLMapper();
  /** The operator's defaults: AWS, no BPO_ALLOWED_ENDPOINTS. */
  private static final OperatorConfig CONFIG = OperatorConfig.fromEnvironment(Map.of());

  /** The same, with the endpoints of {@link #JAVA_IS_STRICTER}'s fixtures allowed. */
  private static final OperatorConfig ALLOWING = OperatorConfig.fromEnvironment(Map.of("BPO_ALLOWED_ENDPOINTS",
      "http://rgw.storage.svc:7480,https://s3.eu-central-1.wasabisys.com"));

  /** Invalid fixture (CRD folder's first word / file) -> what the Java validator's refusal says. */
  private static final Map<String, String> JAVA_REFUSES = Map.ofEntries(
      Map.entry("bucketprotections/account-ref-mfa-delete-with-versioning-suspended.yaml",
          "mfaDelete: Enabled needs versioning: Enabled"),
      Map.entry("bucketprotections/account-ref-with-credentials-and-mfa.yaml",
          "spec.credentials cannot be set together with spec.accountRef"),
      Map.entry("bucketprotections/account-ref-with-credentials.yaml",
          "spec.credentials cannot be set together with spec.accountRef"),
      Map.entry("bucketprotections/account-ref-with-endpoint.yaml",
          "spec.endpoint cannot be set together with spec.accountRef"),
      Map.entry("bucketprotections/account-ref-with-expected-bucket-owner.yaml",
          "spec.expectedBucketOwner cannot be set together with spec.accountRef"),
      Map.entry("bucketprotections/account-ref-with-mfa.yaml",
          "spec.mfa cannot be set together with spec.accountRef"),
      Map.entry("bucketprotections/credentials-and-totp-seed-both.yaml",
          "spec.credentials.secretsManager is refused"),
      Map.entry("bucketprotections/credentials-both.yaml", "spec.credentials.secretsManager is refused"),
      Map.entry("bucketprotections/credentials-neither.yaml", "spec.credentials needs exactly one of its sources"),
      Map.entry("bucketprotections/inline-secrets-manager-credentials-and-seed.yaml",
          "spec.credentials.secretsManager is refused"),
      Map.entry("bucketprotections/inline-secrets-manager-credentials.yaml",
          "spec.credentials.secretsManager is refused"),
      Map.entry("bucketprotections/inline-secrets-manager-seed.yaml", "spec.mfa.totpSeed.secretsManager"),
      Map.entry("bucketprotections/mfa-delete-with-versioning-suspended.yaml",
          "mfaDelete: Enabled needs versioning: Enabled"),
      Map.entry("bucketprotections/mfa-delete-without-mfa.yaml", "mfaDelete: Enabled needs an mfa block"),
      Map.entry("bucketprotections/mfa-without-credentials.yaml", "spec.mfa needs spec.credentials"),
      Map.entry("bucketprotections/totp-seed-both.yaml", "spec.mfa.totpSeed needs exactly one"),
      Map.entry("bucketprotections/totp-seed-neither.yaml", "spec.mfa.totpSeed needs exactly one"),
      Map.entry("clusters3accounts/credentials-all-three.yaml", "spec.credentials needs exactly one of secretRef,"
          + " secretsManager or operatorIdentity"),
      Map.entry("clusters3accounts/credentials-neither.yaml", "spec.credentials needs exactly one of secretRef,"
          + " secretsManager or operatorIdentity"),
      Map.entry("clusters3accounts/credentials-secret-ref-and-operator-identity.yaml", "spec.credentials needs"
          + " exactly one of secretRef, secretsManager or operatorIdentity"),
      Map.entry("clusters3accounts/observer-two-kinds.yaml",
          "spec.observer needs exactly one of operatorIdentity, assumeRole or secretRef"),
      Map.entry("clusters3accounts/totp-seed-both.yaml", "spec.mfa.totpSeed needs exactly one"),
      Map.entry("clusters3accounts/totp-seed-neither.yaml", "spec.mfa.totpSeed needs exactly one"),
      Map.entry("s3accounts/credentials-neither.yaml", "spec.credentials needs exactly one of secretRef,"
          + " secretsManager or operatorIdentity"),
      Map.entry("s3accounts/credentials-secret-ref-and-secrets-manager.yaml", "spec.credentials needs exactly one"
          + " of secretRef, secretsManager or operatorIdentity"),
      Map.entry("s3accounts/observer-two-kinds.yaml",
          "spec.observer needs exactly one of operatorIdentity, assumeRole or secretRef"),
      Map.entry("s3accounts/s3account-observer-assume-role.yaml",
          "an S3Account's observer reads its keys from a Secret in its own namespace"),
      Map.entry("s3accounts/s3account-operator-identity.yaml",
          "an S3Account reads its keys from a Secret in its own namespace"),
      Map.entry("s3accounts/s3account-secrets-manager-credentials.yaml",
          "an S3Account reads its keys from a Secret in its own namespace"),
      Map.entry("s3accounts/s3account-secrets-manager-seed.yaml", "spec.mfa.totpSeed.secretsManager"),
      Map.entry("s3accounts/totp-seed-both.yaml", "spec.mfa.totpSeed needs exactly one"),
      Map.entry("s3accounts/mfa-and-mfa-devices.yaml", "spec.mfa and spec.mfaDevices both name MFA devices"),
      Map.entry("s3accounts/s3account-secrets-manager-pool-seed.yaml", "spec.mfaDevices[1].totpSeed.secretsManager"),
      Map.entry("clusters3accounts/pool-totp-seed-both.yaml", "spec.mfaDevices[0].totpSeed needs exactly one"),
      Map.entry("s3accounts/pool-totp-seed-both.yaml", "spec.mfaDevices[0].totpSeed needs exactly one"),
      Map.entry("clusters3accounts/mfa-and-mfa-devices.yaml", "spec.mfa and spec.mfaDevices both name MFA devices"),
      Map.entry("s3accounts/totp-seed-neither.yaml", "spec.mfa.totpSeed needs exactly one"),
      Map.entry("objectversiondeletions/versions-and-manifest.yaml",
          "give exactly one of spec.versions and spec.manifest"),
      Map.entry("objectversiondeletions/neither-versions-nor-manifest.yaml",
          "give exactly one of spec.versions and spec.manifest"),
      // Java cannot see the old object: the generation the API server gives a changed spec says it.
      Map.entry("objectversiondeletions/spec-changed.yaml", "a deletion's spec is immutable"),
      Map.entry("objectversiondeletions/manifest-swapped-for-versions.yaml", "a deletion's spec is immutable"),
      Map.entry("objectversiondeletions/null-version-id.yaml", "version id null names the unversioned copy"),
      Map.entry("objectversiondeletions/manifest-outside-prefix.yaml",
          "spec.manifest.key must start with bucketprotection-manifests/"));

  /**
   * Valid fixtures Java refuses on purpose, with the check CEL cannot state: fixture -> {the
   * refusal's words, why}.
   */
  private static final Map<String, List<String>> JAVA_IS_STRICTER = Map.of(
      "bucketprotections/endpoint-with-secret-ref.yaml", List.of("is not on the operator's BPO_ALLOWED_ENDPOINTS list",
          "a namespace's endpoint must be the default or on BPO_ALLOWED_ENDPOINTS, an operator setting CEL never sees"),
      "s3accounts/secret-ref.yaml", List.of("is not on the operator's BPO_ALLOWED_ENDPOINTS list",
          "an S3Account's endpoint must be the default or on BPO_ALLOWED_ENDPOINTS, an operator setting CEL never"
              + " sees"));

  @TestFactory
  List<DynamicTest> everyFixtureGetsTheSameVerdictFromJava() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : fixtures()) {
      String key = key(file);
      boolean celValid = file.getParent().getFileName().toString().equals("valid");
      tests.add(DynamicTest.dynamicTest(key, () -> {
        if (celValid && !JAVA_IS_STRICTER.containsKey(key)) {
          validate(file, CONFIG); // throws, with Java's words, when Java refuses what CEL accepts
          return;
        }
        if (celValid) {
          validate(file, ALLOWING); // the check CEL cannot make is the only one that refuses it
        }
        String words = celValid ? JAVA_IS_STRICTER.get(key).get(0) : JAVA_REFUSES.get(key);
        if (words == null) {
          fail(key + ": CEL refuses it; add the words of Java's refusal to JAVA_REFUSES");
        }
        InvalidSpecException refused = assertThrows(InvalidSpecException.class, () -> validate(file, CONFIG),
            key + ": CEL " + (celValid ? "accepts" : "refuses") + " it, Java accepts it");
        assertTrue(refused.getMessage().contains(words), key + ": Java refuses it, but says: " + refused.getMessage());
      }));
    }
    return tests;
  }

  @Test
  void everyTableLineNamesAFixtureInTheRightFolder() throws IOException {
    Set<String> valid = new TreeSet<>();
    Set<String> invalid = new TreeSet<>();
    for (Path file : fixtures()) {
      (file.getParent().getFileName().toString().equals("valid") ? valid : invalid).add(key(file));
    }
    assertEquals(invalid, new TreeSet<>(JAVA_REFUSES.keySet()), "JAVA_REFUSES must list exactly the invalid fixtures");
    assertTrue(valid.containsAll(JAVA_IS_STRICTER.keySet()), "JAVA_IS_STRICTER lists no valid fixture: "
        + JAVA_IS_STRICTER.keySet().stream().filter(k -> !valid.contains(k)).collect(Collectors.toList()));
    assertTrue(valid.size() > JAVA_IS_STRICTER.size(), "some valid fixture must be accepted by Java as it is");
  }

  private static void validate(Path file, OperatorConfig config) throws IOException, InvalidSpecException {
    JsonNode object = lastDocument(file);
    ObjectNode metadata = (ObjectNode) object.path("metadata");
    if (!metadata.has("namespace")) {
      metadata.put("namespace", "team"); // the API server gives a namespaced object its namespace
    }
    switch (object.path("kind").asText()) {
      case "BucketProtection" -> SpecValidator.validate(Serialization.jsonMapper().treeToValue(object,
          BucketProtection.class), config);
      case "ClusterS3Account" -> {
        metadata.remove("namespace");
        AccountValidator.validate(Serialization.jsonMapper().treeToValue(object, ClusterS3Account.class), config);
      }
      case "S3Account" -> AccountValidator.validate(Serialization.jsonMapper().treeToValue(object, S3Account.class),
          config);
      case "ObjectVersionDeletion" -> DeletionSpec.validate(Serialization.jsonMapper().treeToValue(object,
          ObjectVersionDeletion.class));
      default -> fail(file + ": no Java validator for kind " + object.path("kind").asText());
    }
  }

  /** An update fixture is old --- new: the new object is what Java validates. */
  private static JsonNode lastDocument(Path file) throws IOException {
    List<JsonNode> documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file)).readAll()
        .stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).collect(Collectors.toList());
    return documents.get(documents.size() - 1);
  }

  private static String key(Path file) {
    String crd = file.getParent().getParent().getFileName().toString();
    return crd.substring(0, crd.indexOf('.')) + "/" + file.getFileName();
  }

  private static List<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.walk(FIXTURES)) {
      List<Path> found = files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
          .collect(Collectors.toList());
      assertTrue(found.size() > 10, "no CEL fixtures under " + FIXTURES.toAbsolutePath());
      return found;
    }
  }
}
