package io.bucketprotection.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages are layers, and a package uses only packages of lower layers: the package list
 * is the architecture (CONTRIBUTING.md "How the code is laid out"). Every reference to another package of
 * the operator counts, imported or written out in full. A new package must be given its layer here.
 */
class LayeringTest {

  private static final Path MAIN = Path.of("src/main/java/io/bucketprotection/operator");
  private static final String BASE = "io.bucketprotection.operator";

  /** Each package's layer, lowest first. "" is the root package (Main and the wiring). */
  static final Map<String, Integer> LAYERS = new LinkedHashMap<>();

  static {
    layer(0, "api", "aws", "mfa", "http");
    layer(1, "s3", "secrets");
    layer(2, "audit", "config");
    layer(3, "spec");
    layer(4, "decide");
    layer(5, "tenancy", "status");
    layer(6, "metrics");
    layer(7, "observe");
    layer(8, "act");
    layer(9, "reconcile", "accounts", "deletion");
    layer(10, "policy", "check");
    layer(11, "");
  }

  private static void layer(int rank, String... packages) {
    for (String p : packages) {
      LAYERS.put(p, rank);
    }
  }

  private static final Pattern REFERENCE = Pattern.compile(Pattern.quote(BASE) + "\\.([a-z][a-z0-9]*(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");

  /** package -> the operator's packages it refers to. */
  static Map<String, Set<String>> references(Path main) throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(main)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = main.relativize(file.getParent()).toString().replace('/', '.');
        Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(Files.readString(file));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            used.add(m.group(1));
          }
        }
      }
    }
    return uses;
  }

  @Test
  void everyPackageHasALayerAndUsesOnlyLowerOnes() throws IOException {
    Map<String, Set<String>> uses = references(MAIN);
    List<String> problems = new ArrayList<>();
    uses.forEach((pkg, used) -> {
      Integer rank = LAYERS.get(pkg);
      if (rank == null) {
        problems.add("package '" + pkg + "' has no layer in LayeringTest.LAYERS");
        return;
      }
      for (String other : used) {
        Integer otherRank = LAYERS.get(other);
        if (otherRank == null || otherRank >= rank) {
          problems.add(pkg + " (layer " + rank + ") uses " + other + " (layer " + otherRank + ")");
        }
      }
    });
    assertEquals(List.of(), problems);
  }

  @Test
  void theCheckCatchesAnUpwardReference(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("spec"));
    Files.createDirectories(dir.resolve("reconcile"));
    Files.writeString(dir.resolve("spec/Bad.java"), "package " + BASE + ".spec;\nimport " + BASE
        + ".reconcile.Thing;\nclass Bad {}\n");
    Files.writeString(dir.resolve("reconcile/Thing.java"), "package " + BASE + ".reconcile;\nclass Thing {"
        + " Object o = " + BASE + ".spec.Bad.class; }\n");
    Map<String, Set<String>> uses = references(dir);
    assertEquals(Set.of("reconcile"), uses.get("spec"));
    assertEquals(Set.of("spec"), uses.get("reconcile"));
    assertTrue(LAYERS.get("spec") < LAYERS.get("reconcile"));
  }
}
