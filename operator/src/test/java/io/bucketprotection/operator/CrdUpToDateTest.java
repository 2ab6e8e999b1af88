package io.bucketprotection.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bucketprotection.operator.testsupport.MockKubernetes;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CRD in crds/ is what the build generates from the Java model, byte for byte. */
class CrdUpToDateTest {

  @Test
  void committedCrdMatchesTheGeneratedOne() throws Exception {
    String generated;
    try (InputStream in = CrdUpToDateTest.class.getResourceAsStream(MockKubernetes.CRD_RESOURCE)) {
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path committed = Path.of("..", "crds", "bucketprotections.bucketprotection.io-v1.yml");
    assertEquals(generated, Files.readString(committed),
        "crds/ is out of date: run deploy/update-crds.sh (it copies the CRD the build generated) and commit it");
  }
}
