package io.bucketprotection.operator.deletion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestLinesTest {

  private static ManifestLines lines(String text, long offset) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    InputStream in = new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
    return new ManifestLines(in, "logs", 0, offset);
  }

  private static List<ObjectVersion> all(ManifestLines lines) throws Exception {
    List<ObjectVersion> versions = new ArrayList<>();
    ObjectVersion version;
    while ((version = lines.next()) != null) {
      versions.add(version);
    }
    return versions;
  }

  @Test
  void readsTheBatchOperationsFormatWithEncodedKeysQuotesAndCrlf() throws Exception {
    String csv = "logs,a%2Fb%20c.txt,v1\r\n\"logs\",\"with+space\",\"v2\"\n\nlogs,%C3%A9t%C3%A9,v3";
    List<ObjectVersion> versions = all(lines(csv, 0));
    assertEquals(List.of(new ObjectVersion("a/b c.txt", "v1"), new ObjectVersion("with space", "v2"),
        new ObjectVersion("été", "v3")), versions);
  }

  @Test
  void aBatchStartsWhereTheLastEnded() throws Exception {
    String csv = "logs,k1,v1\nlogs,k2,v2\nlogs,k3,v3\n";
    ManifestLines first = lines(csv, 0);
    first.next();
    first.next();
    long offset = first.offset();
    assertEquals("logs,k1,v1\nlogs,k2,v2\n".length(), offset);
    assertEquals(List.of(new ObjectVersion("k3", "v3")), all(lines(csv, offset)));
  }

  @Test
  void problemsNameTheLineAndNeverItsContent() {
    String secretKey = "customer-4711-passport.pdf";
    var wrongBucket = assertThrows(ManifestLines.InvalidManifest.class,
        () -> all(lines("logs,a,v1\nother," + secretKey + ",v2\n", 0)));
    assertEquals("line 2 names another bucket than spec.bucket", wrongBucket.getMessage());
    var fields = assertThrows(ManifestLines.InvalidManifest.class, () -> all(lines("logs," + secretKey + "\n", 0)));
    assertTrue(fields.getMessage().startsWith("line 1 has 2 fields"), fields.getMessage());
    var nullVersion = assertThrows(ManifestLines.InvalidManifest.class,
        () -> all(lines("logs,a,v1\nlogs,a,v2\nlogs," + secretKey + ",null\n", 0)));
    assertTrue(nullVersion.getMessage().startsWith("line 3: version id null"), nullVersion.getMessage());
    var noVersion = assertThrows(ManifestLines.InvalidManifest.class, () -> all(lines("logs," + secretKey + ",\n", 0)));
    assertTrue(noVersion.getMessage().startsWith("line 1: a version id is required"), noVersion.getMessage());
    var encoding = assertThrows(ManifestLines.InvalidManifest.class, () -> all(lines("logs,%zz" + secretKey + ",v\n",
        0)));
    assertEquals("line 1 has a key that is not URL-encoded correctly", encoding.getMessage());
    for (var e : List.of(wrongBucket, fields, nullVersion, noVersion, encoding)) {
      assertFalse(e.getMessage().contains("customer"), e.getMessage());
    }
  }

  @Test
  void aLineWithoutEndIsRefusedBeforeItFillsMemory() {
    String huge = "logs," + "k".repeat(ManifestLines.MAX_LINE_BYTES + 10) + ",v1";
    var e = assertThrows(ManifestLines.InvalidManifest.class, () -> all(lines(huge, 0)));
    assertTrue(e.getMessage().contains("longer than"), e.getMessage());
  }

  @Test
  void anEmptyObjectEndsAtOnce() throws Exception {
    assertNull(lines("", 0).next());
  }

  @Test
  void aWholeManifestIsReadInOrderCountedAndAManifestOfNoVersionIsRefused() throws Exception {
    List<ObjectVersion> seen = new ArrayList<>();
    String csv = "logs,k1,v1\n\nlogs,k2,v2\n";
    assertEquals(2, ManifestLines.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "logs",
        seen::add));
    assertEquals(List.of(new ObjectVersion("k1", "v1"), new ObjectVersion("k2", "v2")), seen);
    assertEquals("the manifest lists no version", assertThrows(ManifestLines.InvalidManifest.class,
        () -> ManifestLines.read(new ByteArrayInputStream("\n\n".getBytes(StandardCharsets.UTF_8)), "logs",
            v -> { })).getMessage());
    assertThrows(ManifestLines.InvalidManifest.class, () -> ManifestLines.read(new ByteArrayInputStream(
        "logs,k1,v1\nother,k2,v2\n".getBytes(StandardCharsets.UTF_8)), "logs", v -> { }));
  }
}
