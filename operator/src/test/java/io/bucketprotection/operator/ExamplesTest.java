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
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.reconcile.decide.SpecValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example manifest is a valid BucketProtection (or Secret), with no misspelt field. */
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
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of());
    List<String> kinds = new ArrayList<>();
    for (Path file : files) {
      try (var parser = new YAMLFactory().createParser(file.toFile())) {
        for (JsonNode doc : new YAMLMapper().readValues(parser, JsonNode.class).readAll()) {
          String kind = doc.path("kind").asText();
          kinds.add(kind);
          if ("BucketProtection".equals(kind)) {
            BucketProtection bp = STRICT.treeToValue(doc, BucketProtection.class);
            assertDoesNotThrow(() -> SpecValidator.validate(bp.getSpec(), config), file + ": " + bp.getMetadata().getName());
          } else {
            assertTrue("Secret".equals(kind), file + ": unexpected kind " + kind);
            assertFalse(doc.path("stringData").isMissingNode() && doc.path("data").isMissingNode(), file.toString());
          }
        }
      }
    }
    assertTrue(kinds.stream().filter("BucketProtection"::equals).count() >= 7, kinds.toString());
  }
}
