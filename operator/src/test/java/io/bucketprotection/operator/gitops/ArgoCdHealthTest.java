package io.bucketprotection.operator.gitops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.bucketprotection.operator.api.BucketProtectionStatus;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.status.Conditions;
import io.bucketprotection.operator.status.StatusBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * The one Argo CD health script, deploy/argocd/health.lua, gives every kind's cases (each kind's
 * health_test.yaml) the health that file expects, run in a real Lua 5.1 (Argo CD runs it in
 * gopher-lua, a Lua 5.1) with only the libraries Argo CD gives an argocd-cm script. Also: every
 * testdata file is a case, every kind reaches the statuses it can have, and every copy of the script
 * (each kind's health.lua, the wildcard and the per-kind argocd-cm patches) is the source byte for
 * byte and is what deploy/argocd/generate.sh writes.
 */
class ArgoCdHealthTest {

  private static final Path ARGOCD = Path.of("..", "deploy", "argocd");
  private static final Path GROUP_DIR = ARGOCD.resolve(Path.of("resource_customizations", "bucketprotection.io"));
  private static final String API_VERSION = "bucketprotection.io/v1alpha1";
  /** The one script; every other copy is generated from it by deploy/argocd/generate.sh. */
  private static final Path SOURCE = ARGOCD.resolve("health.lua");
  private static final Path GENERATOR = ARGOCD.resolve("generate.sh");
  /** Argo CD 2.6+ (argo-cd PR 10885): a glob over group/kind, only inside the resource.customizations key. */
  private static final String WILDCARD_KEY = "bucketprotection.io/*";
  /** Argo CD before 2.6, and the keys argocd-operator writes: one per group_kind. */
  private static final String CONFIG_MAP_KEY_PREFIX = "resource.customizations.health.bucketprotection.io_";

  /** Every kind with a health check, and the statuses its cases must show it reaching. */
  private static final Map<String, Set<String>> REQUIRED_STATUSES = Map.of(
      "BucketProtection", Set.of("Healthy", "Progressing", "Degraded", "Suspended"),
      "ClusterS3Account", Set.of("Healthy", "Progressing", "Degraded"),
      "S3Account", Set.of("Healthy", "Progressing", "Degraded"),
      "BucketProtectionPolicy", Set.of("Healthy", "Progressing", "Degraded"),
      "ObjectVersionDeletion", Set.of("Healthy", "Progressing", "Degraded", "Suspended"));

  /** Any other status string makes Argo CD show Unknown, "Lua returned an invalid health status". */
  private static final Set<String> ARGO_CD_STATUSES =
      Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

  // Argo CD itself gives a script one second; this is for a slow, busy CI machine starting a process.
  private static final long LUA_TIMEOUT_SECONDS = 20;

  /*
   * Argo CD opens only the base, package, table and a reduced os library for argocd-cm scripts
   * (all of them only for built-in scripts, or with useOpenLibs). Removing the others here makes a
   * script that calls string.format or ("x"):lower() fail in this test, as it would in Argo CD.
   * io.write is kept in a local first: the harness needs it to report the result.
   */
  private static final String SANDBOX = String.join("\n",
      "local write = io.write",
      "getmetatable(\"\").__index = nil",
      "string, io, math, debug, coroutine = nil, nil, nil, nil, nil",
      "");

  /*
   * Argo CD turns the returned table into JSON and then into {status, message} strings: a missing
   * table, a non-string message or an unknown status would break or blank the health there, so
   * they fail here.
   */
  private static final String REPORT = String.join("\n",
      "local hs = check()",
      "if type(hs) ~= \"table\" then error(\"the script returned \" .. type(hs) .. \", not a table\", 0) end",
      "if type(hs.status) ~= \"string\" then error(\"hs.status is \" .. type(hs.status) .. \", not a string\", 0) end",
      "if type(hs.message) ~= \"string\" then error(\"hs.message is \" .. type(hs.message) .. \", not a string\", 0) end",
      "write(hs.status, \"\\n\", hs.message)",
      "");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One entry of a health_test.yaml. */
  private record Case(String inputPath, String status, String message) {
  }

  /** What a health.lua returned. */
  private record Health(String status, String message) {
  }

  @TestFactory
  Stream<DynamicContainer> everyCaseGetsTheHealthItsTestFileExpects() throws IOException {
    luaBinary(); // fail once, clearly, rather than once per case
    String script = Files.readString(SOURCE, UTF_8);
    List<DynamicContainer> kinds = new ArrayList<>();
    for (Path kindDir : kindDirectories()) {
      List<DynamicTest> tests = new ArrayList<>();
      for (Case c : cases(kindDir)) {
        tests.add(dynamicTest(c.status() + " <- " + c.inputPath(), () -> {
          JsonNode object = YAML.readTree(kindDir.resolve(c.inputPath()).toFile());
          Health health = run(script, object);
          assertEquals(c.status(), health.status(), c.inputPath() + ": status");
          assertEquals(c.message(), health.message(), c.inputPath() + ": message");
        }));
      }
      kinds.add(dynamicContainer(kindDir.getFileName().toString(), tests));
    }
    return kinds.stream();
  }

  /**
   * The operator's own statuses, one per reason, through the script: Argo CD must agree with
   * kstatus (KstatusTest) on every reason the operator can report, not only on the hand-written
   * testdata. Healthy when done, Progressing while the operator moves on by itself, Degraded
   * while a person must act, Suspended for Observe-mode drift.
   */
  @Test
  void everyReasonTheOperatorReportsGetsTheHealthKstatusGivesIt() throws IOException {
    String script = Files.readString(SOURCE, UTF_8);
    List<String> wrong = new ArrayList<>();
    for (Reason reason : Reason.values()) {
      boolean observe = reason == Reason.DriftDetected;
      BucketProtectionStatus status = StatusBuilder.next(null, 4, Verdict.problem(reason, "message of " + reason,
          new BucketState(VersioningStatus.ENABLED, false)), Instant.parse("2026-11-30T12:00:00Z"));
      Map<String, Object> object = Map.of("apiVersion", API_VERSION, "kind", "BucketProtection",
          "metadata", Map.of("name", "r", "namespace", "team", "generation", 4),
          "spec", Map.of("bucket", "b", "versioning", "Enabled", "mode", observe ? "Observe" : "Enforce"),
          "status", status);
      String expected = observe ? "Suspended"
          : reason.ready() == Reason.Ready.TRUE ? "Healthy"
          : reason.needsPerson() ? "Degraded" : "Progressing";
      Health health = run(script, YAML.valueToTree(object));
      if (!expected.equals(health.status())) {
        wrong.add(reason + " is " + health.status() + ", not " + expected);
      }
    }
    assertTrue(wrong.isEmpty(), String.join("; ", wrong));
  }

  /**
   * The same for an ObjectVersionDeletion, whose conditions are a Job's beside kstatus': its
   * status for every reason is built as DeletionStatus builds it (Ready, Reconciling, Stalled,
   * and Complete or Failed once finished; that class is the deletion package's own, so its rule
   * is restated here). Healthy once Complete, Degraded once Failed, Suspended while it awaits its
   * approval, Progressing while it deletes; any other reason as for every kind.
   */
  @Test
  void everyReasonOfADeletionGetsTheHealthOfARun() throws IOException {
    String script = Files.readString(SOURCE, UTF_8);
    Set<Reason> failing = Set.of(Reason.DeletionFailed, Reason.ManifestChanged, Reason.ManifestInvalid,
        Reason.InvalidSpec);
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    List<String> wrong = new ArrayList<>();
    for (Reason reason : Reason.values()) {
      String message = "message of " + reason;
      List<Condition> conditions = Conditions.kstatus(List.of(), reason.ready().value(), reason.reconciling(),
          reason.stalled(), reason.name(), message, 1L, now);
      conditions = Conditions.abnormalTrue(conditions, "Complete", reason == Reason.Completed, reason.name(), message,
          1L, now);
      conditions = Conditions.abnormalTrue(conditions, "Failed", failing.contains(reason), reason.name(), message,
          1L, now);
      Map<String, Object> object = Map.of("apiVersion", API_VERSION, "kind", "ObjectVersionDeletion",
          "metadata", Map.of("name", "d", "namespace", "team", "generation", 1),
          "spec", Map.of("bucket", "b", "reason", "r", "accountRef", Map.of("kind", "ClusterS3Account", "name", "a"),
              "versions", List.of(Map.of("key", "k", "versionId", "v"))),
          "status", Map.of("observedGeneration", 1, "conditions", conditions));
      String expected = reason == Reason.Completed ? "Healthy"
          : failing.contains(reason) ? "Degraded"
          : reason == Reason.AwaitingApproval ? "Suspended"
          : reason == Reason.Deleting ? "Progressing"
          : reason.ready() == Reason.Ready.TRUE ? "Healthy"
          : reason.reconciling() ? "Progressing" : "Degraded"; // DriftDetected too: a deletion has no Observe mode
      Health health = run(script, YAML.valueToTree(object));
      if (!expected.equals(health.status())) {
        wrong.add(reason + " is " + health.status() + ", not " + expected);
      }
    }
    assertTrue(wrong.isEmpty(), String.join("; ", wrong));
  }

  @Test
  void everyKindHasAHealthCheckAndNoOtherDirectoryIsThere() throws IOException {
    Set<String> found = kindDirectories().stream().map(d -> d.getFileName().toString())
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(REQUIRED_STATUSES.keySet()), found);
    for (Path kindDir : kindDirectories()) {
      assertTrue(Files.isRegularFile(kindDir.resolve("health.lua")), kindDir + ": health.lua");
      assertTrue(Files.isRegularFile(kindDir.resolve("health_test.yaml")), kindDir + ": health_test.yaml");
    }
  }

  @Test
  void everyTestdataFileIsACaseAndEveryKindReachesItsStatuses() throws IOException {
    for (Path kindDir : kindDirectories()) {
      String kind = kindDir.getFileName().toString();
      List<Case> cases = cases(kindDir);
      Set<String> used = new TreeSet<>();
      Set<String> statuses = new TreeSet<>();
      for (Case c : cases) {
        assertTrue(Files.isRegularFile(kindDir.resolve(c.inputPath())), kind + ": " + c.inputPath() + " does not exist");
        assertTrue(ARGO_CD_STATUSES.contains(c.status()), kind + ": " + c.inputPath() + ": no such status " + c.status());
        assertTrue(used.add(c.inputPath()), kind + ": " + c.inputPath() + " is used by two cases");
        statuses.add(c.status());
      }
      Set<String> present;
      try (Stream<Path> files = Files.list(kindDir.resolve("testdata"))) {
        present = files.map(f -> "testdata/" + f.getFileName()).collect(Collectors.toCollection(TreeSet::new));
      }
      assertEquals(present, used, kind + ": testdata files and health_test.yaml cases");
      assertTrue(statuses.containsAll(REQUIRED_STATUSES.get(kind)),
          kind + " covers " + statuses + ", needs " + REQUIRED_STATUSES.get(kind));
    }
  }

  /*
   * argo-cd's own runner finds the script for a testdata object by the object's group and kind,
   * so an object of another kind would be checked by another script (or none) once upstream.
   */
  @Test
  void everyTestdataObjectIsOfItsDirectorysKind() throws IOException {
    for (Path kindDir : kindDirectories()) {
      String kind = kindDir.getFileName().toString();
      for (Case c : cases(kindDir)) {
        JsonNode object = YAML.readTree(kindDir.resolve(c.inputPath()).toFile());
        String where = kind + "/" + c.inputPath();
        assertEquals(API_VERSION, object.path("apiVersion").asText(), where);
        assertEquals(kind, object.path("kind").asText(), where);
        assertFalse(object.path("metadata").path("name").asText().isEmpty(), where + ": metadata.name");
        assertTrue(object.path("metadata").path("generation").isIntegralNumber(), where + ": metadata.generation");
        assertEquals(kind.equals("ClusterS3Account"), object.path("metadata").path("namespace").isMissingNode(),
            where + ": a namespace exactly when the kind is namespaced");
      }
    }
  }

  /*
   * Upstream's runner and the per-kind argocd-cm keys read these copies: one that drifted from the
   * source would give its kind another health than the cases above prove.
   */
  @Test
  void everyKindsHealthLuaIsTheSourceByteForByte() throws IOException {
    byte[] source = Files.readAllBytes(SOURCE);
    for (Path kindDir : kindDirectories()) {
      assertEquals(new String(source, UTF_8), Files.readString(kindDir.resolve("health.lua"), UTF_8),
          kindDir + "/health.lua differs from deploy/argocd/health.lua: run deploy/argocd/generate.sh");
      assertTrue(Arrays.equals(source, Files.readAllBytes(kindDir.resolve("health.lua"))),
          kindDir + "/health.lua: bytes");
    }
  }

  /*
   * Argo CD 2.6+ unmarshals the resource.customizations value as YAML into a map of group/kind
   * globs to overrides, whose health.lua field is the script (util/settings/settings.go,
   * GetResourceOverrides; pkg/apis/application/v1alpha1/types.go, rawResourceOverride).
   */
  @Test
  void theArgocdCmPatchHoldsTheSourceUnderTheWildcardKey() throws IOException {
    JsonNode patch = YAML.readTree(ARGOCD.resolve("argocd-cm-patch.yaml").toFile());
    assertIsArgocdCm(patch, "argocd-cm-patch.yaml");
    assertEquals(Set.of("resource.customizations"), fieldNames(patch.path("data")), "argocd-cm-patch.yaml: data keys");
    String customizations = patch.path("data").path("resource.customizations").textValue();
    assertTrue(customizations != null, "argocd-cm-patch.yaml: resource.customizations is a string");
    JsonNode overrides = YAML.readTree(customizations);
    assertEquals(Set.of(WILDCARD_KEY), fieldNames(overrides), "argocd-cm-patch.yaml: resource.customizations keys");
    assertEquals(Set.of("health.lua"), fieldNames(overrides.path(WILDCARD_KEY)), "argocd-cm-patch.yaml: override fields");
    assertEquals(Files.readString(SOURCE, UTF_8), overrides.path(WILDCARD_KEY).path("health.lua").textValue(),
        "argocd-cm-patch.yaml: the script differs from deploy/argocd/health.lua: run deploy/argocd/generate.sh");
  }

  @Test
  void thePerKindPatchHoldsTheSourceUnderEveryKindsKey() throws IOException {
    JsonNode patch = YAML.readTree(ARGOCD.resolve("argocd-cm-patch-per-kind.yaml").toFile());
    assertIsArgocdCm(patch, "argocd-cm-patch-per-kind.yaml");
    Set<String> expectedKeys = REQUIRED_STATUSES.keySet().stream().map(k -> CONFIG_MAP_KEY_PREFIX + k)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expectedKeys, fieldNames(patch.path("data")), "argocd-cm-patch-per-kind.yaml: data keys");
    String source = Files.readString(SOURCE, UTF_8);
    for (String key : expectedKeys) {
      assertEquals(source, patch.path("data").path(key).textValue(),
          "argocd-cm-patch-per-kind.yaml: " + key + " differs from deploy/argocd/health.lua: run deploy/argocd/generate.sh");
    }
  }

  /*
   * The generator is how a developer refreshes the copies: what it writes now must be what is
   * committed, so that running it after an edit of health.lua changes only what the edit changed.
   */
  @Test
  void theGeneratorWritesExactlyTheCommittedCopies(@TempDir Path out) throws IOException, InterruptedException {
    Process generator = new ProcessBuilder("bash", GENERATOR.toString(), out.toString()).redirectErrorStream(true).start();
    String output = new String(generator.getInputStream().readAllBytes(), UTF_8);
    assertTrue(generator.waitFor(LUA_TIMEOUT_SECONDS, TimeUnit.SECONDS), "generate.sh did not finish");
    assertEquals(0, generator.exitValue(), "generate.sh failed: " + output);
    List<Path> written;
    try (Stream<Path> files = Files.walk(out)) {
      written = files.filter(Files::isRegularFile).map(out::relativize).sorted().collect(Collectors.toList());
    }
    Set<String> expected = new TreeSet<>(Set.of("argocd-cm-patch.yaml", "argocd-cm-patch-per-kind.yaml"));
    REQUIRED_STATUSES.keySet().forEach(k -> expected.add("resource_customizations/bucketprotection.io/" + k + "/health.lua"));
    assertEquals(expected, written.stream().map(p -> p.toString().replace(File.separatorChar, '/'))
        .collect(Collectors.toCollection(TreeSet::new)), "files generate.sh writes");
    for (Path file : written) {
      assertEquals(Files.readString(out.resolve(file), UTF_8), Files.readString(ARGOCD.resolve(file), UTF_8),
          "deploy/argocd/" + file + " is not what generate.sh writes: run deploy/argocd/generate.sh");
    }
  }

  /* A copy in a page is one the generator does not refresh: the pages point at the files instead. */
  @Test
  void theDocsHoldNoCopyOfTheScript() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ARGOCD.resolve("README.md"), Path.of("..", "README.md"),
        Path.of("..", "CONTRIBUTING.md")));
    try (Stream<Path> docs = Files.walk(Path.of("..", "docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    assertTrue(pages.stream().anyMatch(p -> p.endsWith("operations.md")), "docs/operations.md is among " + pages);
    for (Path page : pages) {
      String text = Files.readString(page, UTF_8);
      assertFalse(text.contains("local function describe("), page + " holds a copy of the health script");
    }
  }

  /** Scripts a health check must never be: each has to fail the run rather than pass unnoticed. */
  static Stream<Arguments> brokenScripts() {
    return Stream.of(
        Arguments.of("a typo'd field read through nil",
            "local hs = {}\nif obj.staus.conditions ~= nil then hs.status = \"Healthy\" end\nhs.status = \"Healthy\"\n"
                + "hs.message = \"\"\nreturn hs\n",
            "attempt to index field 'staus'"),
        Arguments.of("string library, absent for argocd-cm scripts",
            "return {status = \"Healthy\", message = string.lower(\"OK\")}\n", "string"),
        Arguments.of("string method, absent for argocd-cm scripts",
            "local s = \"OK\"\nreturn {status = \"Healthy\", message = s:lower()}\n", "attempt to index local 's'"),
        Arguments.of("no return", "local hs = {status = \"Healthy\", message = \"\"}\n", "not a table"),
        Arguments.of("a message that is not a string", "return {status = \"Healthy\", message = 3}\n", "not a string"),
        Arguments.of("a status Argo CD does not know", "return {status = \"Fine\", message = \"\"}\n", "Fine"),
        Arguments.of("a syntax error", "local hs = {\nreturn hs\n", "expected"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenScripts")
  void aBrokenScriptFailsTheRun(String what, String script, String expectedInFailure) throws IOException {
    luaBinary(); // outside assertThrows: a missing lua5.1 must not count as the expected failure
    JsonNode object = YAML.readTree(GROUP_DIR.resolve("BucketProtection/testdata/healthy_in_sync.yaml").toFile());
    AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> run(script, object));
    assertTrue(failure.getMessage().contains(expectedInFailure), what + ": " + failure.getMessage());
  }

  /*
   * The converter is the one piece of this test that could make every case wrong at once: quotes,
   * backslashes, control bytes, a NUL followed by a digit, non-ASCII text, keys that are not Lua
   * names, numbers, booleans and nested lists must reach the script unchanged. A YAML null in a
   * list is dropped, as Argo CD does (gopher-lua's Append skips nil).
   */
  @Test
  void theLuaTableConverterKeepsEveryValue() {
    String text = "quote\" back\\slash\nnew line\ttab\r ]] [[ \u00001 ü 🪣 \u007f end";
    ObjectNode object = YAML.createObjectNode();
    object.put("text", text);
    object.put("app.kubernetes.io/name", "x");
    object.putArray("list").add("first").add(2).add(2.5).add(true).addNull().add("last");
    object.putObject("nested").putArray("inner").addArray().add("a");
    object.put("big", 1e21);
    object.put("negative", -7);
    String script = "return {status = \"Healthy\", message = obj.text .. \"|\" .. obj[\"app.kubernetes.io/name\"]\n"
        + "  .. \"|\" .. #obj.list .. \"|\" .. obj.list[1] .. obj.list[2] .. obj.list[3] .. tostring(obj.list[4])\n"
        + "  .. obj.list[5] .. \"|\" .. obj.nested.inner[1][1] .. \"|\" .. tostring(obj.big == 1e21)\n"
        + "  .. \"|\" .. obj.negative .. \"|\" .. tostring(obj.missing)}\n";
    Health health = run(script, object);
    assertEquals(text + "|x|5|first22.5truelast|a|true|-7|nil", health.message());
  }

  // ---- running a script ----

  /**
   * Runs one health script on one object in lua5.1 and returns what it reported. The script is
   * wrapped in a function, as its top-level {@code return} needs; the wrapper starts on the
   * script's first line so that Lua's error line numbers are health.lua's.
   */
  private static Health run(String script, JsonNode object) {
    String chunk = "local function check(...) " + script + "\nend\n"
        + "obj = " + luaLiteral(object) + "\n"
        + SANDBOX
        + REPORT;
    Process process;
    try {
      process = new ProcessBuilder(luaBinary().toString(), "-").start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start lua5.1", e);
    }
    // Both pipes are drained while Lua runs so that neither can fill up and block it.
    CompletableFuture<String> stdout = readAll(process.getInputStream());
    CompletableFuture<String> stderr = readAll(process.getErrorStream());
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(chunk.getBytes(UTF_8));
    } catch (IOException e) {
      // Lua exited before reading everything (it reports why on stderr, checked below).
    }
    try {
      if (!process.waitFor(LUA_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("lua5.1 did not finish within " + LUA_TIMEOUT_SECONDS + "s (an endless loop in the script?)");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      fail("interrupted while waiting for lua5.1");
    }
    String out = stdout.join();
    if (process.exitValue() != 0) {
      fail("the health script failed in lua5.1 (exit " + process.exitValue() + "): " + stderr.join().strip());
    }
    int newline = out.indexOf('\n');
    if (newline < 0) {
      fail("lua5.1 wrote no status line: " + out);
    }
    Health health = new Health(out.substring(0, newline), out.substring(newline + 1));
    if (!ARGO_CD_STATUSES.contains(health.status())) {
      fail("the script returned status " + health.status() + ", which Argo CD shows as Unknown");
    }
    return health;
  }

  private static CompletableFuture<String> readAll(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** lua5.1 on the PATH; a failure, not a skip, when missing, so that a machine without it cannot pass. */
  private static Path luaBinary() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, "lua5.1");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return fail("lua5.1 is not on the PATH: run hack/install-lua.sh (installs Debian's lua5.1 package)");
  }

  // ---- YAML to a Lua table constructor ----

  /** The object as a Lua 5.1 table constructor: maps and lists become tables, lists 1-based. */
  static String luaLiteral(JsonNode node) {
    StringBuilder out = new StringBuilder();
    appendLiteral(node, out);
    return out.toString();
  }

  private static void appendLiteral(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      out.append('{');
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        // The [key] form takes any string, also keys such as "app.kubernetes.io/name".
        out.append('[');
        appendString(field.getKey(), out);
        out.append("]=");
        appendLiteral(field.getValue(), out);
        out.append(',');
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('{');
      for (JsonNode item : node) {
        if (item.isNull()) {
          continue; // Argo CD's decoder appends nil, which gopher-lua ignores: the list closes up
        }
        appendLiteral(item, out);
        out.append(',');
      }
      out.append('}');
    } else if (node.isTextual()) {
      appendString(node.textValue(), out);
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else if (node.isIntegralNumber()) {
      out.append(node.bigIntegerValue());
    } else if (node.isFloatingPointNumber()) {
      double value = node.doubleValue();
      if (Double.isNaN(value)) {
        out.append("(0/0)");
      } else if (Double.isInfinite(value)) {
        out.append(value > 0 ? "(1/0)" : "(-1/0)");
      } else {
        out.append(Double.toString(value)); // such as 2.5 or 1.0E21, both Lua number syntax
      }
    } else if (node.isNull()) {
      out.append("nil");
    } else {
      throw new IllegalArgumentException("no Lua value for a YAML " + node.getNodeType() + " node");
    }
  }

  /*
   * A double-quoted Lua string of the value's UTF-8 bytes. Lua 5.1 strings are bytes and its only
   * escape for an arbitrary byte is \ddd in decimal, always written with three digits so that a
   * digit after it cannot be read into it. Escaping every byte outside printable ASCII keeps the
   * chunk ASCII and immune to newlines, NULs and "]]" in values.
   */
  private static void appendString(String value, StringBuilder out) {
    out.append('"');
    for (byte b : value.getBytes(UTF_8)) {
      int c = b & 0xff;
      if (c == '"' || c == '\\') {
        out.append('\\').append((char) c);
      } else if (c >= 0x20 && c < 0x7f) {
        out.append((char) c);
      } else {
        out.append('\\').append(String.format("%03d", c));
      }
    }
    out.append('"');
  }

  // ---- reading the files ----

  private static List<Path> kindDirectories() throws IOException {
    try (Stream<Path> dirs = Files.list(GROUP_DIR)) {
      return dirs.filter(Files::isDirectory).sorted().collect(Collectors.toList());
    }
  }

  /** The cases of a kind's health_test.yaml, in argo-cd's format. */
  private static List<Case> cases(Path kindDir) throws IOException {
    JsonNode tests = YAML.readTree(kindDir.resolve("health_test.yaml").toFile()).path("tests");
    assertTrue(tests.isArray() && tests.size() > 0, kindDir + "/health_test.yaml: a non-empty tests: list");
    List<Case> cases = new ArrayList<>();
    for (JsonNode test : tests) {
      String where = kindDir + "/health_test.yaml case " + (cases.size() + 1);
      // argo-cd reads these two keys only; a misspelt one would be silently ignored there.
      assertEquals(Set.of("healthStatus", "inputPath"), fieldNames(test), where);
      assertEquals(Set.of("status", "message"), fieldNames(test.path("healthStatus")), where);
      String inputPath = test.path("inputPath").asText();
      assertTrue(inputPath.startsWith("testdata/"), where + ": inputPath under testdata/");
      cases.add(new Case(inputPath, test.path("healthStatus").path("status").asText(),
          test.path("healthStatus").path("message").asText()));
    }
    return cases;
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The patch is of argocd namespace's argocd-cm ConfigMap. */
  private static void assertIsArgocdCm(JsonNode configMap, String where) {
    assertEquals("v1", configMap.path("apiVersion").asText(), where);
    assertEquals("ConfigMap", configMap.path("kind").asText(), where);
    assertEquals("argocd-cm", configMap.path("metadata").path("name").asText(), where);
    assertEquals("argocd", configMap.path("metadata").path("namespace").asText(), where);
  }
}
