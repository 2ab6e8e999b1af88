package io.bucketprotection.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.bucketprotection.operator.testsupport.CrdCel;
import io.bucketprotection.operator.testsupport.CrdCel.Rule;
import io.bucketprotection.operator.testsupport.CrdCel.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CEL rules ({@code x-kubernetes-validations}) of every CRD in {@code crds/} accept the objects
 * they should, reject the ones they should, and none is left untested.
 *
 * <p>Why: the CRUD mock API server the other tests use does not evaluate CEL, so a rule that
 * rejects good objects, accepts bad ones or does not compile would only show on a real cluster.
 * {@link CrdCel} evaluates the committed CRDs with cel-java instead.
 *
 * <p>Fixtures, one whole custom resource (apiVersion, kind, metadata, spec) a file:
 * <ul>
 *   <li>{@code src/test/resources/cel/<CRD file name without .yml>/valid/*.yaml}: must break no
 *       rule;
 *   <li>{@code .../invalid/*.yaml}: must start with one or more comment lines
 *       {@code # expect: <the rule's message>} and break exactly the rules with those messages,
 *       no other (further comment lines may follow);
 *   <li>a file with two YAML documents ({@code ---}) is an update from the first to the second:
 *       that is how a rule using {@code oldSelf} gets evaluated. One document is a create.
 * </ul>
 *
 * <p>Every rule of every CRD must be present in a valid fixture (its path there, so the rule is
 * evaluated) and broken by an invalid fixture naming it: adding a rule without fixtures fails
 * {@link #everyRuleHasAValidAndAnInvalidFixture}, which says which rule and where the fixtures go.
 * The last tests prove the harness can fail: a rule that does not compile, an inverted rule, a
 * rule without fixtures, and a crds/ folder without rules are all caught.
 */
class CelRulesTest {

  /** Tests run in operator/. */
  private static final Path CRDS = Path.of("../crds");
  private static final Path FIXTURES = Path.of("src/test/resources/cel");
  private static final Pattern EXPECT = Pattern.compile("^#\\s*expect:\\s*(.*?)\\s*$");
  private static final YAMLMapper YAML = new YAMLMapper();

  /** A fixture: the object (and the old one for an update, else null) and the messages it expects. */
  record Fixture(Path file, boolean valid, List<String> expected, JsonNode old, JsonNode object) {
  }

  @TestFactory
  List<DynamicTest> everyFixtureBreaksExactlyTheRulesItNames() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (CrdCel crd : crds(CRDS)) {
      for (Path file : fixtureFiles(FIXTURES, crd)) {
        tests.add(DynamicTest.dynamicTest(FIXTURES.relativize(file).toString(), () -> {
          List<String> problems = problems(crd, readFixture(file));
          assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
        }));
      }
    }
    assertFalse(tests.isEmpty(), "no CEL fixture under " + FIXTURES.toAbsolutePath());
    return tests;
  }

  @Test
  void everyRuleHasAValidAndAnInvalidFixture() throws IOException {
    List<String> gaps = coverageGaps(CRDS, FIXTURES);
    assertTrue(gaps.isEmpty(), () -> "CEL rules without fixtures (see CelRulesTest's Javadoc):\n"
        + String.join("\n", gaps));
  }

  @Test
  void aRuleThatDoesNotCompileFailsLoudly(@TempDir Path dir) throws IOException {
    IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
        () -> CrdCel.compile("has(self.secretRef) != has(self.secretsManager"));
    assertTrue(direct.getMessage().contains("does not compile"), direct.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CrdCel.compile("self.name.noSuchFunction()"));

    Path original = firstCrdWithRules();
    Rule rule = CrdCel.load(original).rules().get(0);
    ObjectNode crd = CrdCel.readTree(original);
    ruleEntry(crd, rule).put("rule", rule.rule() + " &&");
    Path broken = dir.resolve(original.getFileName());
    CrdCel.writeTree(broken, crd);
    IllegalArgumentException loading = assertThrows(IllegalArgumentException.class, () -> CrdCel.load(broken));
    assertTrue(loading.getMessage().contains("does not compile"), loading.getMessage());
  }

  @Test
  void anInvertedRuleFailsTheFixtures(@TempDir Path dir) throws IOException {
    Path original = firstCrdWithRules();
    Rule rule = CrdCel.load(original).rules().stream().filter(r -> !r.transition()).findFirst().orElseThrow();
    ObjectNode crd = CrdCel.readTree(original);
    ruleEntry(crd, rule).put("rule", "!(" + rule.rule() + ")");
    Path inverted = dir.resolve(original.getFileName());
    CrdCel.writeTree(inverted, crd);
    CrdCel wrong = CrdCel.load(inverted);

    List<String> problems = new ArrayList<>();
    for (Path file : fixtureFiles(FIXTURES, wrong)) {
      problems.addAll(problems(wrong, readFixture(file)));
    }
    assertTrue(problems.stream().anyMatch(p -> p.contains("valid, but breaks") && p.contains(rule.message())),
        () -> String.join("\n", problems));
    assertTrue(problems.stream().anyMatch(p -> p.contains("does not break \"" + rule.message())),
        () -> String.join("\n", problems));
  }

  @Test
  void aRuleWithoutFixturesFailsTheCoverageCheck(@TempDir Path dir) throws IOException {
    Path original = firstCrdWithRules();
    ObjectNode crd = CrdCel.readTree(original);
    ObjectNode root = (ObjectNode) crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    ArrayNode validations = root.has("x-kubernetes-validations") ? (ArrayNode) root.get("x-kubernetes-validations")
        : root.putArray("x-kubernetes-validations");
    validations.addObject().put("rule", "self.metadata.name != 'no-fixture-is-called-this'")
        .put("message", "a rule nobody wrote fixtures for");
    Files.createDirectories(dir.resolve("crds"));
    CrdCel.writeTree(dir.resolve("crds").resolve(original.getFileName()), crd);

    List<String> gaps = coverageGaps(dir.resolve("crds"), FIXTURES).stream()
        .filter(gap -> gap.contains("a rule nobody wrote fixtures for")).collect(Collectors.toList());
    // The root is in every valid fixture, so only the invalid one is missing.
    assertEquals(1, gaps.size(), () -> String.join("\n", gaps));
    assertTrue(gaps.get(0).contains("needs an invalid fixture"), gaps.get(0));
  }

  @Test
  void noCrdOrNoRuleFailsTheCoverageCheck(@TempDir Path dir) throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertTrue(coverageGaps(empty, FIXTURES).stream().anyMatch(gap -> gap.startsWith("no CRD")));

    Path original = firstCrdWithRules();
    ObjectNode crd = CrdCel.readTree(original);
    removeValidations(crd);
    Path stripped = Files.createDirectories(dir.resolve("stripped"));
    CrdCel.writeTree(stripped.resolve(original.getFileName()), crd);
    assertTrue(CrdCel.load(stripped.resolve(original.getFileName())).rules().isEmpty());
    assertTrue(coverageGaps(stripped, FIXTURES).stream()
        .anyMatch(gap -> gap.startsWith("no x-kubernetes-validations")));
  }

  @Test
  void transitionRulesRunOnlyOnUpdates(@TempDir Path dir) throws IOException {
    Path original = firstCrdWithRules();
    ObjectNode crd = CrdCel.readTree(original);
    ObjectNode root = (ObjectNode) crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    ArrayNode validations = root.has("x-kubernetes-validations") ? (ArrayNode) root.get("x-kubernetes-validations")
        : root.putArray("x-kubernetes-validations");
    validations.addObject().put("rule", "self.metadata.name == oldSelf.metadata.name").put("message", "renamed");
    Path withTransition = dir.resolve(original.getFileName());
    CrdCel.writeTree(withTransition, crd);
    CrdCel cel = CrdCel.load(withTransition);
    Rule renamed = cel.rules().stream().filter(Rule::transition).findFirst().orElseThrow();

    JsonNode object = readFixture(fixtureFiles(FIXTURES, cel).stream()
        .filter(file -> file.getParent().getFileName().toString().equals("valid")).findFirst().orElseThrow()).object();
    ObjectNode renamedObject = object.deepCopy();
    ((ObjectNode) renamedObject.path("metadata")).put("name", "another-name");

    assertFalse(cel.validate(object).evaluated().contains(renamed), "a create has no oldSelf");
    CrdCel.Result same = cel.validate(object, object);
    assertTrue(same.evaluated().contains(renamed) && same.violations().isEmpty(), same.toString());
    assertEquals(List.of("renamed"), cel.validate(object, renamedObject).messages());
  }

  @Test
  void selfAndOldSelfAreBoundLikeKubernetesDoes() throws IOException {
    JsonNode value = YAML.readTree("{name: abc, items: [1, 2], ratio: 0.5, flag: true, nested: {key: v}}");
    assertTrue(CrdCel.evaluate("self.name.startsWith('a') && self.name.matches('^[a-z]+$') && size(self.items) == 2"
        + " && self.items[0] == 1 && self.ratio < 1.0 && self.flag && self.nested.key == 'v'", value));
    assertTrue(CrdCel.evaluate("self.name.upperAscii() == 'ABC' && !has(self.missing) && self.items.all(i, i > 0)",
        value));
    assertFalse(CrdCel.evaluate("has(self.missing)", value));
    assertTrue(CrdCel.evaluate("self >= oldSelf", 2L, 1L));
    assertFalse(CrdCel.evaluate("self >= oldSelf", 1L, 2L));
    assertThrows(IllegalArgumentException.class, () -> CrdCel.evaluate("self >= oldSelf", 2L));
    // Reading an absent field without has() is an evaluation error, not a quiet false.
    assertThrows(IllegalStateException.class, () -> CrdCel.evaluate("self.missing == 'x'", value));
  }

  // ---- the checks, also run by the tests above against broken copies of the CRDs ----

  /** What is wrong with a fixture: empty when it breaks exactly the rules it names. */
  static List<String> problems(CrdCel crd, Fixture fixture) {
    List<String> problems = new ArrayList<>();
    String file = fixture.file().toString();
    CrdCel.Result result;
    try {
      result = crd.validate(fixture.old(), fixture.object());
    } catch (RuntimeException e) {
      return List.of(file + ": cannot be evaluated: " + e.getMessage());
    }
    Set<String> broken = new LinkedHashSet<>(result.messages());
    if (fixture.valid()) {
      if (!fixture.expected().isEmpty()) {
        problems.add(file + ": a valid fixture with '# expect:' lines; should it be in invalid/?");
      }
      for (Violation violation : result.violations()) {
        problems.add(file + ": valid, but breaks \"" + violation.message() + "\" at " + violation.at());
      }
      return problems;
    }
    if (fixture.expected().isEmpty()) {
      problems.add(file + ": an invalid fixture must start with '# expect: <the rule's message>'");
    }
    Set<String> messages = crd.rules().stream().map(Rule::message).collect(Collectors.toSet());
    for (String expected : fixture.expected()) {
      if (!messages.contains(expected)) {
        problems.add(file + ": expects \"" + expected + "\", the message of no rule in " + crd.name());
      } else if (!broken.contains(expected)) {
        problems.add(file + ": does not break \"" + expected + "\"");
      }
    }
    for (String message : broken) {
      if (!fixture.expected().contains(message)) {
        problems.add(file + ": also breaks \"" + message + "\", which it does not name");
      }
    }
    return problems;
  }

  /** Rules without a valid or an invalid fixture, and anything that stops the check; empty when all is covered. */
  static List<String> coverageGaps(Path crdDir, Path fixturesRoot) throws IOException {
    List<String> gaps = new ArrayList<>();
    List<CrdCel> crds = crds(crdDir);
    if (crds.isEmpty()) {
      gaps.add("no CRD (*.yml of kind CustomResourceDefinition) in " + crdDir.toAbsolutePath());
      return gaps;
    }
    int rules = 0;
    for (CrdCel crd : crds) {
      Path dir = fixturesRoot.resolve(crd.name());
      Set<Rule> evaluatedByValid = new HashSet<>();
      Set<Rule> brokenByInvalid = new HashSet<>();
      for (Path file : fixtureFiles(fixturesRoot, crd)) {
        Fixture fixture = readFixture(file);
        CrdCel.Result result;
        try {
          result = crd.validate(fixture.old(), fixture.object());
        } catch (RuntimeException e) {
          gaps.add(file + ": cannot be evaluated: " + e.getMessage());
          continue;
        }
        if (fixture.valid()) {
          evaluatedByValid.addAll(result.evaluated());
        } else {
          for (Violation violation : result.violations()) {
            if (fixture.expected().contains(violation.message())) {
              brokenByInvalid.add(violation.rule());
            }
          }
        }
      }
      for (Rule rule : crd.rules()) {
        rules++;
        if (!evaluatedByValid.contains(rule)) {
          gaps.add(rule + " needs a valid fixture in " + dir.resolve("valid") + " in which "
              + (rule.steps().isEmpty() ? "the object" : rule.path()) + " is present"
              + (rule.transition() ? ", as an update (old object --- new object)" : ""));
        }
        if (!brokenByInvalid.contains(rule)) {
          gaps.add(rule + " needs an invalid fixture in " + dir.resolve("invalid")
              + " that breaks it, first line: # expect: " + rule.message()
              + (rule.transition() ? " (an update: old object --- new object)" : ""));
        }
      }
    }
    if (rules == 0) {
      gaps.add("no x-kubernetes-validations rule in any CRD in " + crdDir.toAbsolutePath()
          + ": the CRD generator or CrdCel's schema walk lost them");
    }
    Set<String> names = crds.stream().map(CrdCel::name).collect(Collectors.toSet());
    if (Files.isDirectory(fixturesRoot)) {
      try (Stream<Path> dirs = Files.list(fixturesRoot)) {
        dirs.filter(d -> !names.contains(d.getFileName().toString()))
            .forEach(d -> gaps.add(d + ": fixtures for no CRD in " + crdDir.toAbsolutePath()));
      }
    }
    return gaps;
  }

  /** Every CRD in a folder, sorted by file name; other YAML files (kustomization.yaml) are skipped. */
  static List<CrdCel> crds(Path dir) throws IOException {
    List<CrdCel> crds = new ArrayList<>();
    for (Path file : crdFiles(dir)) {
      crds.add(CrdCel.load(file));
    }
    return crds;
  }

  static List<Path> crdFiles(Path dir) throws IOException {
    List<Path> crds = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return crds;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted()
          .collect(Collectors.toList());
    }
    for (Path file : files) {
      if ("CustomResourceDefinition".equals(YAML.readTree(Files.readString(file)).path("kind").asText())) {
        crds.add(file);
      }
    }
    return crds;
  }

  static List<Path> fixtureFiles(Path root, CrdCel crd) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String kind : List.of("valid", "invalid")) {
      Path dir = root.resolve(crd.name()).resolve(kind);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> list = Files.list(dir)) {
          list.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
              .forEach(files::add);
        }
      }
    }
    return files;
  }

  static Fixture readFixture(Path file) throws IOException {
    String text = Files.readString(file);
    List<String> expected = new ArrayList<>();
    for (String line : text.split("\n")) {
      String trimmed = line.trim();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        break;
      }
      Matcher matcher = EXPECT.matcher(trimmed);
      if (matcher.matches()) {
        expected.add(matcher.group(1));
      }
    }
    List<JsonNode> documents = new ArrayList<>();
    MappingIterator<JsonNode> read = YAML.readerFor(JsonNode.class).readValues(text);
    for (JsonNode document : read.readAll()) {
      if (document != null && !document.isNull() && !document.isMissingNode()) {
        documents.add(document);
      }
    }
    if (documents.isEmpty() || documents.size() > 2) {
      throw new IllegalArgumentException(file + ": one YAML document (a create) or two (an update), not "
          + documents.size());
    }
    boolean valid = file.getParent().getFileName().toString().equals("valid");
    JsonNode old = documents.size() == 2 ? documents.get(0) : null;
    return new Fixture(file, valid, List.copyOf(expected), old, documents.get(documents.size() - 1));
  }

  private static Path firstCrdWithRules() throws IOException {
    for (Path file : crdFiles(CRDS)) {
      if (!CrdCel.load(file).rules().isEmpty()) {
        return file;
      }
    }
    throw new AssertionError("no CRD with CEL rules in " + CRDS.toAbsolutePath());
  }

  /** The {rule, message} entry of a rule in a CRD tree. */
  private static ObjectNode ruleEntry(ObjectNode crd, Rule rule) {
    JsonNode schema = null;
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("name").asText().equals(rule.version())) {
        schema = version.path("schema").path("openAPIV3Schema");
      }
    }
    for (String step : rule.steps()) {
      schema = step.equals("[]") ? schema.path("items")
          : step.equals("{}") ? schema.path("additionalProperties") : schema.path("properties").path(step);
    }
    for (JsonNode entry : schema.path("x-kubernetes-validations")) {
      if (entry.path("rule").asText().equals(rule.rule())) {
        return (ObjectNode) entry;
      }
    }
    throw new AssertionError("rule not found in the CRD tree: " + rule);
  }

  private static void removeValidations(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove("x-kubernetes-validations");
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
      removeValidations(it.next());
    }
  }
}
