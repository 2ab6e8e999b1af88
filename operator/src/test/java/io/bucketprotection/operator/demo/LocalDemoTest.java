package io.bucketprotection.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runs the README's main job the way deploy/demo.sh does, with --exit-when-done, on its own ports. */
class LocalDemoTest {

  @Test
  void theDemoConvergesEveryExampleAndPutsDriftBack() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    LocalDemo.Options options = new LocalDemo.Options(Path.of("../examples"),
        Path.of("target/demo-test-lab").toAbsolutePath(), 27480, 23300, 26800, true, Duration.ofSeconds(180));
    int exit = new LocalDemo(options, new TeePrintStream(out)).run();
    String output = buffer.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, "the demo failed:\n" + output);
    assertTrue(output.contains("Every BucketProtection settled."), output);
    assertTrue(output.contains("was detected and put back"), output);
    for (String name : new String[] {"app-logs", "audit-archive", "legacy-reports", "ceph-backups"}) {
      assertTrue(output.contains(name), name + " missing from the demo output");
    }
  }

  /** Shows the demo's output live in the test log too. */
  private static final class TeePrintStream extends PrintStream {
    TeePrintStream(PrintStream captured) {
      super(new java.io.OutputStream() {
        @Override
        public void write(int b) {
          captured.write(b);
          System.out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          captured.write(b, off, len);
          System.out.write(b, off, len);
        }
      }, true, StandardCharsets.UTF_8);
    }
  }
}
