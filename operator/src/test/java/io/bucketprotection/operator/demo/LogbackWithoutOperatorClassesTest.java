package io.bucketprotection.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped logback.xml works where only Logback and the resources are visible, none of the
 * operator's classes. That happens in every first build: process-resources copies logback.xml to
 * target/classes, then javac runs JOSDK's annotation processor (found on the compile class path),
 * whose logger makes Logback configure itself from that file before any class of ours is compiled.
 * A configuration naming a class of ours printed about 200 lines of Logback status with two
 * ClassNotFoundException traces at the start of the first {@code hack/demo.sh} or {@code mvn
 * verify} on a fresh clone.
 *
 * <p>Here a separate JVM gets slf4j, Logback and a copy of the shipped logback*.xml on its class
 * path, nothing else, and logs one line, as the annotation processor does.
 */
class LogbackWithoutOperatorClassesTest {

  private static final long TIMEOUT_SECONDS = 60;

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"plain", "json"})
  void theShippedConfigurationNeedsNoClassOfTheOperator(String format) throws Exception {
    Path resources = Files.createDirectory(dir.resolve("resources"));
    Path shipped = Path.of(LogbackWithoutOperatorClassesTest.class.getClassLoader().getResource("logback.xml").toURI())
        .getParent();
    try (Stream<Path> files = Files.list(shipped)) {
      for (Path file : files.filter(f -> f.getFileName().toString().matches("logback.*\\.xml")).toList()) {
        Files.copy(file, resources.resolve(file.getFileName()));
      }
    }
    Path probe = dir.resolve("Probe.java");
    Files.writeString(probe, """
        public class Probe {
          public static void main(String[] args) {
            org.slf4j.LoggerFactory.getLogger("probe").info("probe line");
          }
        }
        """);
    String classPath = String.join(File.pathSeparator, jarOf(org.slf4j.Logger.class), jarOf(LoggerContext.class),
        jarOf(ch.qos.logback.core.Context.class), resources.toString());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath, "-DLOG_FORMAT=" + format, probe.toString()));

    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(command + " did not finish within " + TIMEOUT_SECONDS + " s");
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    String both = "stdout:\n" + stdout + "\nstderr:\n" + stderr;
    assertEquals(0, process.exitValue(), both);
    assertEquals("", stderr, both);
    List<String> lines = stdout.lines().toList();
    assertEquals(1, lines.size(), "only the probe line, no Logback status:\n" + both);
    if ("json".equals(format)) {
      assertEquals("probe line", new ObjectMapper().readTree(lines.get(0)).path("formattedMessage").asText(), both);
    } else {
      assertTrue(lines.get(0).contains(" INFO ") && lines.get(0).endsWith("probe - probe line"), both);
    }
  }

  private static String jarOf(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
