package io.bucketprotection.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CRDs in crds/ are what the build generates from the Java model, byte for byte, all of them. */
class CrdUpToDateTest {

  static final List<String> CRDS = List.of("bucketprotections.bucketprotection.io-v1.yml",
      "clusters3accounts.bucketprotection.io-v1.yml", "s3accounts.bucketprotection.io-v1.yml",
      "bucketprotectionpolicies.bucketprotection.io-v1.yml", "objectversiondeletions.bucketprotection.io-v1.yml");

  @Test
  void committedCrdsMatchTheGeneratedOnes() throws Exception {
    for (String crd : CRDS) {
      String generated;
      try (InputStream in = CrdUpToDateTest.class.getResourceAsStream("/META-INF/fabric8/" + crd)) {
        generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertEquals(generated, Files.readString(Path.of("..", "crds", crd)),
          "crds/" + crd + " is out of date: run hack/update-crds.sh (it copies what the build generated) and commit it");
    }
  }

  @Test
  void everyGeneratedCrdIsCommittedAndListed() throws Exception {
    List<String> generated;
    try (Stream<Path> files = Files.list(Path.of("target", "classes", "META-INF", "fabric8"))) {
      generated = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(CRDS.stream().sorted().toList(), generated);
    String kustomization = Files.readString(Path.of("..", "crds", "kustomization.yaml"));
    for (String crd : CRDS) {
      assertEquals(true, kustomization.contains("- " + crd), "crds/kustomization.yaml lists " + crd);
    }
  }
}
