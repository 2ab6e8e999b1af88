package io.bucketprotection.operator.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Debian SBOM lists what dpkg installed, less what the build removes, as valid CycloneDX JSON. */
class DebianSbomTest {

  private static final String STATUS = """
      Package: tzdata
      Status: install ok installed
      Architecture: all
      Version: 2025b-0+deb12u2
      Description: time zone and daylight-saving time data
       a continuation line: with a colon

      Package: dpkg
      Status: install ok installed
      Architecture: amd64
      Version: 1.21.22

      Package: libc6
      Status: install ok installed
      Architecture: amd64
      Version: 2.36-9+deb12u14

      Package: gone
      Status: deinstall ok config-files
      Architecture: amd64
      Version: 1.0

      Package: bsdutils
      Status: install ok installed
      Architecture: amd64
      Version: 1:2.38.1-5+deb12u3
      """;

  @Test
  void installedPackagesLessTheRemovedOnesSortedByName() {
    List<DebianSbom.Package> packages = DebianSbom.installed(STATUS, Set.of("dpkg"));
    assertEquals(List.of("bsdutils", "libc6", "tzdata"), packages.stream().map(DebianSbom.Package::name).toList());
    assertEquals("pkg:deb/debian/libc6@2.36-9+deb12u14?arch=amd64", packages.get(1).purl());
    assertEquals("pkg:deb/debian/tzdata@2025b-0+deb12u2?arch=all", packages.get(2).purl());
    assertEquals("pkg:deb/debian/bsdutils@1%3A2.38.1-5+deb12u3?arch=amd64", packages.get(0).purl(), "epoch's colon encoded");
  }

  @Test
  void theLicenseIsTheFilesStarOneOfAMachineReadableCopyright() {
    String dep5 = """
        Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
        Upstream-Name: x

        Files: debian/*
        License: GPL-2+

        Files: *
        Copyright: someone
        License: LGPL-2.1+
         The text of the license follows.
        """;
    assertEquals(Optional.of("LGPL-2.1+"), DebianSbom.dep5License(dep5));
    assertEquals(Optional.empty(), DebianSbom.dep5License("This is Debian's prepackaged version of x.\nLicense: GPL\n"));
  }

  @Test
  void theJsonIsCycloneDxWithOnePurlPerComponent() throws Exception {
    List<DebianSbom.Package> packages = List.of(new DebianSbom.Package("a\"b", "1", "amd64", "GPL-2+"),
        new DebianSbom.Package("c", "2", "all", null));
    JsonNode bom = new ObjectMapper().readTree(DebianSbom.json(packages));
    assertEquals("CycloneDX", bom.get("bomFormat").asText());
    assertEquals(2, bom.get("components").size());
    assertEquals("a\"b", bom.get("components").get(0).get("name").asText());
    assertEquals("GPL-2+", bom.get("components").get(0).get("licenses").get(0).get("license").get("name").asText());
    assertTrue(bom.get("components").get(1).get("licenses") == null, "no license when unknown");
    assertEquals("pkg:deb/debian/c@2?arch=all", bom.get("components").get(1).get("purl").asText());
  }
}
