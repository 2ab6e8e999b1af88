package io.bucketprotection.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's main job the way deploy/demo.sh does, with --exit-when-done, on its own ports:
 * 200 above the shared test lab's (BPO_TEST_RGW_PORT, BPO_TEST_MON_PORT, BPO_TEST_OSD_PORT_MIN:
 * 17680, 13500, 17000 by default), so they move with them. deploy/test.sh's own demo run is 100 above.
 */
class LocalDemoTest {

  private static final int PORT_OFFSET = 200;

  @Test
  void theDemoConvergesEveryExampleAndPutsDriftBack() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    LocalDemo.Options options = new LocalDemo.Options(Path.of("../examples"),
        Path.of("target/demo-test-lab").toAbsolutePath(), testPort("BPO_TEST_RGW_PORT", 17480),
        testPort("BPO_TEST_MON_PORT", 13300), testPort("BPO_TEST_OSD_PORT_MIN", 16800), true, Duration.ofSeconds(180));
    int exit = new LocalDemo(options, new TeePrintStream(out)).run();
    String output = buffer.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, "the demo failed:\n" + output);
    assertTrue(output.contains("Every BucketProtection settled."), output);
    assertTrue(output.contains("was detected and put back"), output);
    for (String name : new String[] {"app-logs", "audit-archive", "legacy-reports", "ceph-backups"}) {
      assertTrue(output.contains(name), name + " missing from the demo output");
    }
  }

  @Test
  void eachLineShowsItsSecondsAlsoOnTheFullMinute() {
    assertEquals("[demo 11:34:00] ", LocalDemo.prefix(LocalTime.of(11, 34)));
    assertEquals("[demo 09:05:07] ", LocalDemo.prefix(LocalTime.of(9, 5, 7, 999_000_000)));
  }

  private static int testPort(String variable, int fallback) {
    String value = System.getenv(variable);
    return (value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim())) + PORT_OFFSET;
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
