package io.bucketprotection.operator.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs ({@code crds/*.yml}) explain themselves: the resource and every property of
 * every schema, at every depth, has a description ({@code kubectl explain bucketprotection.spec.mfa}),
 * every printer column has one, and {@code kubectl get bp} shows Bucket, Versioning, MFA-Delete,
 * Ready, Reason and Age, with Mode and Endpoint added by {@code -o wide}.
 *
 * <p>It reads what is committed, not what CrdFinisher made, and walks the schemas on its own, so a
 * bug in the finisher's walk cannot hide a bare field. The last tests prove both checks can fail,
 * and that the finisher itself refuses to finish a CRD with a bare property or an unordered column.
 */
class CrdDocumentationTest {

  /** Tests run in operator/. */
  private static final Path CRDS = Path.of("../crds");
  private static final String BUCKET_PROTECTION = "bucketprotections.bucketprotection.io-v1.yml";

  /** Name/priority: priority 1 only with -o wide. */
  private static final List<String> BUCKET_PROTECTION_COLUMNS = List.of("Bucket/0", "Versioning/0", "MFA-Delete/0",
      "Ready/0", "Reason/0", "Age/0", "Mode/1", "Endpoint/1");
  private static final List<String> ACCOUNT_COLUMNS = List.of("Endpoint/0", "Ready/0", "Reason/0", "Age/0");

  @Test
  void everyPropertyOfEveryCrdHasADescription() throws IOException {
    Map<String, CustomResourceDefinition> crds = committedCrds();
    assertEquals(5, crds.size(), "crds/ holds the five CRDs: " + crds.keySet());
    for (Map.Entry<String, CustomResourceDefinition> crd : crds.entrySet()) {
      assertEquals(List.of(), undescribed(crd.getValue()), "crds/" + crd.getKey()
          + ": properties without a description (give the field @JsonPropertyDescription, or add its path to"
          + " CrdFinisher.DESCRIPTIONS, then run hack/update-crds.sh)");
    }
  }

  @Test
  void kubectlGetBpShowsTheAgreedColumnsInOrder() throws IOException {
    CustomResourceDefinition crd = committedCrds().get(BUCKET_PROTECTION);
    assertEquals(BUCKET_PROTECTION_COLUMNS, columns(crd));
    Map<String, String> paths = new LinkedHashMap<>();
    onlyVersion(crd).getAdditionalPrinterColumns().forEach(column -> paths.put(column.getName(), column.getJsonPath()));
    assertEquals(".spec.mode", paths.get("Mode"));
    assertEquals(".spec.endpoint", paths.get("Endpoint"));
  }

  @Test
  void accountColumnsAreEndpointReadyReasonAge() throws IOException {
    Map<String, CustomResourceDefinition> crds = committedCrds();
    assertEquals(ACCOUNT_COLUMNS, columns(crds.get("clusters3accounts.bucketprotection.io-v1.yml")));
    assertEquals(ACCOUNT_COLUMNS, columns(crds.get("s3accounts.bucketprotection.io-v1.yml")));
  }

  @Test
  void everyPrinterColumnHasADescription() throws IOException {
    for (Map.Entry<String, CustomResourceDefinition> crd : committedCrds().entrySet()) {
      for (CustomResourceDefinitionVersion version : crd.getValue().getSpec().getVersions()) {
        for (CustomResourceColumnDefinition column : version.getAdditionalPrinterColumns()) {
          assertFalse(column.getDescription() == null || column.getDescription().isBlank(),
              "crds/" + crd.getKey() + ": column " + column.getName() + " has no description");
        }
      }
    }
  }

  // The checks above can fail.

  @Test
  void aBarePropertyAtAnyDepthIsFound() throws IOException {
    CustomResourceDefinition crd = committedCrds().get(BUCKET_PROTECTION);
    JSONSchemaProps spec = onlyVersion(crd).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    spec.getProperties().get("mfa").getProperties().get("totpSeed").getProperties().get("secretKeyRef")
        .getProperties().get("key").setDescription(null);
    onlyVersion(crd).getSchema().getOpenAPIV3Schema().getProperties().get("status").getProperties().get("conditions")
        .getItems().getSchema().getProperties().get("reason").setDescription(" ");
    assertEquals(List.of(".spec.mfa.totpSeed.secretKeyRef.key", ".status.conditions[].reason"), undescribed(crd));
  }

  @Test
  void swappedOrPromotedColumnsAreFound() throws IOException {
    CustomResourceDefinition swapped = committedCrds().get(BUCKET_PROTECTION);
    Collections.swap(onlyVersion(swapped).getAdditionalPrinterColumns(), 0, 1);
    assertNotEquals(BUCKET_PROTECTION_COLUMNS, columns(swapped));

    CustomResourceDefinition promoted = committedCrds().get(BUCKET_PROTECTION);
    onlyVersion(promoted).getAdditionalPrinterColumns().get(6).setPriority(0);
    assertNotEquals(BUCKET_PROTECTION_COLUMNS, columns(promoted));
  }

  @Test
  void theFinisherFailsTheBuildOnABareProperty() throws IOException {
    CustomResourceDefinition crd = committedCrds().get(BUCKET_PROTECTION);
    onlyVersion(crd).getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties().get("mfa")
        .getProperties().get("periodSeconds").setDescription(null);
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> CrdFinisher.finish(Serialization.asYaml(crd)));
    assertTrue(refused.getMessage().contains("without a description at [.spec.mfa.periodSeconds]"),
        refused.getMessage());
  }

  @Test
  void theFinisherFailsTheBuildOnAColumnItDoesNotOrder() throws IOException {
    CustomResourceDefinition crd = committedCrds().get(BUCKET_PROTECTION);
    onlyVersion(crd).getAdditionalPrinterColumns().add(new CustomResourceColumnDefinitionBuilder()
        .withName("Region").withJsonPath(".spec.region").withType("string").withDescription("The region.").build());
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> CrdFinisher.finish(Serialization.asYaml(crd)));
    assertTrue(refused.getMessage().contains("printer columns [Region] are not in CrdFinisher.COLUMNS"),
        refused.getMessage());
  }

  @Test
  void theFinisherPutsColumnsBackInOrderAndChangesNothingElse() throws IOException {
    String committed = Files.readString(CRDS.resolve(BUCKET_PROTECTION), StandardCharsets.UTF_8);
    assertEquals(committed, CrdFinisher.finish(committed), "finishing a finished CRD changes nothing");
    CustomResourceDefinition shuffled = committedCrds().get(BUCKET_PROTECTION);
    Collections.reverse(onlyVersion(shuffled).getAdditionalPrinterColumns());
    assertEquals(committed, CrdFinisher.finish(Serialization.asYaml(shuffled)));
  }

  /** Paths of the properties (and of the resource itself, "") with no or a blank description. */
  static List<String> undescribed(CustomResourceDefinition crd) {
    List<String> bare = new ArrayList<>();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      collectBare(version.getSchema().getOpenAPIV3Schema(), "", true, bare);
    }
    return bare;
  }

  /** @param property the root or a named property; list items and map values are described by theirs */
  private static void collectBare(JSONSchemaProps node, String path, boolean property, List<String> bare) {
    if (property && (node.getDescription() == null || node.getDescription().isBlank())) {
      bare.add(path);
    }
    if (node.getProperties() != null) {
      node.getProperties().forEach((name, child) -> collectBare(child, path + "." + name, true, bare));
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      collectBare(node.getItems().getSchema(), path + "[]", false, bare);
    }
    if (node.getAdditionalProperties() != null && node.getAdditionalProperties().getSchema() != null) {
      collectBare(node.getAdditionalProperties().getSchema(), path + "{}", false, bare);
    }
  }

  /** The printer columns as "Name/priority", in the CRD's order. */
  static List<String> columns(CustomResourceDefinition crd) {
    return onlyVersion(crd).getAdditionalPrinterColumns().stream()
        .map(column -> column.getName() + "/" + Objects.requireNonNullElse(column.getPriority(), 0)).toList();
  }

  private static CustomResourceDefinitionVersion onlyVersion(CustomResourceDefinition crd) {
    assertEquals(1, crd.getSpec().getVersions().size(), crd.getMetadata().getName() + " has one version");
    return crd.getSpec().getVersions().get(0);
  }

  /** File name -> CRD, read afresh on every call, so a test may change what it gets. */
  private static Map<String, CustomResourceDefinition> committedCrds() throws IOException {
    Map<String, CustomResourceDefinition> crds = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        crds.put(file.getFileName().toString(),
            Serialization.unmarshal(Files.readString(file, StandardCharsets.UTF_8), CustomResourceDefinition.class));
      }
    }
    return crds;
  }
}
