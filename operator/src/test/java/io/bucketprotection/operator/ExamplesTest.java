package io.bucketprotection.operator;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.deletion.DeletionSpec;
import io.bucketprotection.operator.spec.AccountValidator;
import io.bucketprotection.operator.spec.PolicyValidator;
import io.bucketprotection.operator.spec.SpecValidator;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every example manifest is a valid BucketProtection, policy, account, ObjectVersionDeletion or
 * Secret, with no misspelt field; every example CSV is a deletion manifest that an example request
 * names, in the format the operator reads.
 */
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
    Map<String, DeletionSpec> manifests = new HashMap<>();
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
          } else if (ObjectVersionDeletion.KIND.equals(kind)) {
            ObjectVersionDeletion request = STRICT.treeToValue(doc, ObjectVersionDeletion.class);
            DeletionSpec spec = assertDoesNotThrow(() -> DeletionSpec.validate(request),
                file + ": " + request.getMetadata().getName());
            if (spec.manifest() != null) {
              manifests.put(spec.manifest().key(), spec);
            }
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
    assertTrue(kinds.stream().filter(ObjectVersionDeletion.KIND::equals).count() >= 2, kinds.toString());
    everyExampleCsvIsAManifestAnExampleRequestNames(manifests);
  }

  /**
   * The CSV next to a request is the manifest it names (by file name), in the S3 Batch Operations
   * format the operator reads: bucket,key,versionId, keys URL-encoded, the bucket column equal to
   * the request's spec.bucket, a version id other than null; blank lines skipped. And its key lies
   * under the prefix deploy/aws/observer-deletion-manifests-policy.json lets the observer read.
   */
  private static void everyExampleCsvIsAManifestAnExampleRequestNames(Map<String, DeletionSpec> manifests)
      throws Exception {
    List<Path> csvs;
    try (Stream<Path> walk = Files.walk(Path.of("..", "examples"))) {
      csvs = walk.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
    }
    assertFalse(csvs.isEmpty(), "an example manifest");
    String policy = Files.readString(Path.of("..", "deploy", "aws", "observer-deletion-manifests-policy.json"));
    assertTrue(policy.contains("\"arn:aws:s3:::*/" + DeletionSpec.MANIFEST_PREFIX + "*\""), policy);
    for (Path csv : csvs) {
      String name = csv.getFileName().toString();
      DeletionSpec request = manifests.entrySet().stream().filter(e -> e.getKey().endsWith("/" + name))
          .map(Map.Entry::getValue).findFirst().orElse(null);
      assertTrue(request != null, csv + ": no example request names it in spec.manifest.key: " + manifests.keySet());
      assertTrue(request.manifest().key().startsWith(DeletionSpec.MANIFEST_PREFIX), request.manifest().key());
      int line = 0;
      int versions = 0;
      for (String text : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        String[] fields = text.split(",", -1);
        assertEquals(3, fields.length, csv + " line " + line + ": bucket,key,versionId");
        assertEquals(request.bucket(), unquote(fields[0]), csv + " line " + line + ": the request's spec.bucket");
        String key = URLDecoder.decode(unquote(fields[1]), StandardCharsets.UTF_8);
        assertFalse(key.isEmpty(), csv + " line " + line);
        String versionId = unquote(fields[2]);
        assertFalse(versionId.isEmpty() || versionId.equals("null"), csv + " line " + line + ": a version id");
        versions++;
      }
      assertTrue(versions > 0, csv + ": lists no version");
    }
  }

  private static String unquote(String field) {
    String f = field.strip();
    return f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"") ? f.substring(1, f.length() - 1) : f;
  }
}
