package io.bucketprotection.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.testsupport.LabPort;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's first command (the local demo of docs/getting-started.md) the way hack/demo.sh
 * does, with --exit-when-done, on its own ports:
 * 200 above the shared test lab's (LAB_RGW_PORT, LAB_MON_PORT, LAB_OSD_PORT_MIN:
 * 17680, 13500, 17000 by default), so they move with them. hack/test.sh's own demo run is 100 above.
 */
class LocalDemoTest {

  private static final int PORT_OFFSET = 200;

  @Test
  void theDemoConvergesEveryExampleAndPutsDriftBack() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    LocalDemo.Options options = new LocalDemo.Options(Path.of("../examples"),
        Path.of("target/demo-test-lab").toAbsolutePath(), LabPort.RGW.get() + PORT_OFFSET,
        LabPort.MON.get() + PORT_OFFSET, LabPort.OSD_MIN.get() + PORT_OFFSET, true, Duration.ofSeconds(180));
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
