package io.bucketprotection.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * hack/test.sh fails when the demo's output holds Logback or slf4j status, an ERROR, a stack
 * trace or an escape sequence, and passes clean output. It is fed known output here through
 * {@code hack/test.sh --check-demo-output FILE}, which runs the check alone.
 */
class DemoOutputCheckTest {

  private static final Path SCRIPT = Path.of("../hack/test.sh");
  private static final long TIMEOUT_SECONDS = 60;

  /** Clean output, as hack/demo.sh --exit-when-done prints it. */
  static final String CLEAN = """
      [demo 15:10:47] Starting Ceph RadosGW (hack/rgw-lab.sh) in /work/main/.lab/demo
      rgw-lab.sh: starting lab in /work/main/.lab/demo (rgw 7480, mon 3300/3301, osd 6800-6815)
      rgw-lab.sh: lab up in 2.8s
      [demo 15:10:53] RadosGW answers at http://127.0.0.1:7480; Kubernetes API (fabric8 CRUD mock) at http://localhost:41907/
      [demo 15:10:58] status:
        NAME             BUCKET               VERSIONING  MFA-DELETE READY   REASON               MESSAGE
        app-logs         demo-app-logs                               False   AccountNotReady      ClusterS3Account default is not ready
        legacy-reports   demo-legacy-reports  Unversioned Disabled   False   DriftDetected        Bucket differs from the spec (an error in Observe mode is reported, not fixed)
      [audit 15:11:01] demo/audit-archive, bucket demo-audit-archive: versioning Unversioned -> Enabled, MFA Delete Disabled -> Enabled, with the code of TOTP step 59868382 (made from the seed) of arn:aws:iam::123456789012:mfa/root-account-mfa-device: Applied
      [log 15:11:02] WARN KubernetesEventRecorder: Could not record event Applied on demo/app-logs: HTTP 500
      [demo 15:11:09]   event Warning DriftDetected: Bucket demo-app-logs was changed outside the operator. Putting it back.
      [demo 15:11:09] Done (--exit-when-done).
      rgw-lab.sh: stopping osd.0 mon.a in /work/main/.lab/demo
      """;

  @TempDir
  Path dir;

  private record Run(int exitCode, String stderr) {
  }

  @Test
  void cleanOutputPasses() throws Exception {
    Run run = check(CLEAN);
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("clean"), run.stderr());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiterString = "||", textBlock = """
      Logback status  || 15:10:11,578 |-INFO in ch.qos.logback.classic.LoggerContext[default] - This is logback-classic version 1.5.18
      Logback status  || 15:10:11,716 |-WARN in ch.qos.logback.core.model.processor.ImplicitModelHandler - Ignoring unknown property [format]
      slf4j status    || SLF4J(W): No SLF4J providers were found.
      ERROR           || 15:10:59.208 ERROR [ReconcilerExecutor-bucketprotection-99] i.b.o.r.BucketProtectionReconciler - Unexpected error
      ERROR           || [log 15:10:59] ERROR BucketProtectionReconciler: Unexpected error reconciling demo/app-logs
      ERROR           || [ERROR] Failed to execute goal org.codehaus.mojo:exec-maven-plugin:3.5.0:java (default-cli)
      stack trace     || \\tat io.bucketprotection.operator.demo.LocalDemo.run(LocalDemo.java:120)
      stack trace     || \\tat \\tat java.base/java.net.URLClassLoader.findClass(URLClassLoader.java:445)
      stack trace     || Caused by: java.lang.IllegalStateException: boom
      stack trace     || Exception in thread "main" java.lang.NullPointerException
      stack trace     || \\t... 12 more
      escape sequence || \\u001b[0m\\u001b[0m[demo 15:10:47] Starting Ceph RadosGW
      escape sequence || [demo 15:10:47] Done.\\u001b[0m
      """)
  void eachForbiddenKindFails(String kind, String line) throws Exception {
    String bad = line.replace("\\t", "\t").replace("\\u001b", "\u001b");
    // The bad line amid clean output, which must not hide it.
    List<String> clean = CLEAN.lines().toList();
    String output = String.join("\n", clean.subList(0, 5)) + "\n" + bad + "\n"
        + String.join("\n", clean.subList(5, clean.size())) + "\n";
    Run run = check(output);
    assertEquals(1, run.exitCode(), kind + " passed the check:\n" + output + "\nstderr: " + run.stderr());
    assertTrue(run.stderr().contains("demo output, " + kind + ", line 6:"), "names the kind and line: " + run.stderr());
    assertTrue(run.stderr().contains("FAILED"), run.stderr());
  }

  @Test
  void aMissingFileIsNoPass() throws Exception {
    Run run = run(dir.resolve("no-such-output.txt"));
    assertEquals(2, run.exitCode(), run.stderr());
  }

  private Run check(String output) throws Exception {
    Path file = dir.resolve("demo-output.txt");
    Files.writeString(file, output, StandardCharsets.UTF_8);
    return run(file);
  }

  private Run run(Path file) throws Exception {
    Path err = dir.resolve("stderr.txt");
    Process process = new ProcessBuilder("bash", SCRIPT.toString(), "--check-demo-output", file.toAbsolutePath().toString())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(err.toFile())
        .start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("hack/test.sh --check-demo-output did not finish within " + TIMEOUT_SECONDS + " s");
    }
    return new Run(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }
}
