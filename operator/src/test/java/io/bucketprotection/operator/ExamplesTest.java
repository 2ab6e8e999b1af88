package io.bucketprotection.operator;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.AccountValidator;
import io.bucketprotection.operator.spec.PolicyValidator;
import io.bucketprotection.operator.spec.SpecValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example manifest is a valid BucketProtection, account or Secret, with no misspelt field. */
class ExamplesTest {

  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  @Test
  void everyExampleParsesStrictlyAndPassesTheOperatorsValidation() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("..", "examples"))) {
      files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 5, "examples found: " + files);
    // The S3-compatible example names RGW's endpoint, which an admin must allow.
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("BPO_ALLOWED_ENDPOINTS", "http://127.0.0.1:7480"));
    List<String> kinds = new ArrayList<>();
    for (Path file : files) {
      try (var parser = new YAMLFactory().createParser(file.toFile())) {
        for (JsonNode doc : new YAMLMapper().readValues(parser, JsonNode.class).readAll()) {
          String kind = doc.path("kind").asText();
          kinds.add(kind);
          if ("BucketProtection".equals(kind)) {
            BucketProtection bp = STRICT.treeToValue(doc, BucketProtection.class);
            if (bp.getMetadata().getNamespace() == null) {
              bp.getMetadata().setNamespace("demo");
            }
            assertDoesNotThrow(() -> SpecValidator.validate(bp, config), file + ": " + bp.getMetadata().getName());
          } else if ("ClusterS3Account".equals(kind)) {
            ClusterS3Account account = STRICT.treeToValue(doc, ClusterS3Account.class);
            assertDoesNotThrow(() -> AccountValidator.validate(account, config), file + ": " + account.getMetadata().getName());
          } else if ("BucketProtectionPolicy".equals(kind)) {
            BucketProtectionPolicy policy = STRICT.treeToValue(doc, BucketProtectionPolicy.class);
            assertDoesNotThrow(() -> PolicyValidator.validate(policy, config), file + ": " + policy.getMetadata().getName());
          } else if ("S3Account".equals(kind)) {
            S3Account account = STRICT.treeToValue(doc, S3Account.class);
            assertDoesNotThrow(() -> AccountValidator.validate(account, config), file + ": " + account.getMetadata().getName());
          } else {
            assertTrue("Secret".equals(kind), file + ": unexpected kind " + kind);
            assertFalse(doc.path("stringData").isMissingNode() && doc.path("data").isMissingNode(), file.toString());
          }
        }
      }
    }
    assertTrue(kinds.stream().filter("BucketProtection"::equals).count() >= 7, kinds.toString());
    assertTrue(kinds.stream().filter("ClusterS3Account"::equals).count() >= 4, kinds.toString());
    assertTrue(kinds.contains("BucketProtectionPolicy"), kinds.toString());
  }
}
