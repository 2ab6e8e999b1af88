package io.bucketprotection.operator.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One run of {@link CheckCommand#run}, in process, with its streams captured. */
record CheckRun(int exitCode, String stdout, String stderr) {

  static CheckRun of(Map<String, String> env, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = CheckCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e, env);
    }
    return new CheckRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The report as JSON (the run must have used --output json). */
  JsonNode json() {
    try {
      return new ObjectMapper().readTree(stdout);
    } catch (Exception e) {
      throw new AssertionError("not JSON:\n" + stdout, e);
    }
  }

  /** The JSON object of one resource. */
  JsonNode resource(String kind, String namespace, String name) {
    List<String> seen = new ArrayList<>();
    for (JsonNode r : json()) {
      seen.add(r.path("kind").asText() + " " + r.path("namespace").asText() + "/" + r.path("name").asText());
      if (kind.equals(r.path("kind").asText()) && name.equals(r.path("name").asText())
          && (namespace == null ? r.path("namespace").isNull() : namespace.equals(r.path("namespace").asText()))) {
        return r;
      }
    }
    throw new AssertionError(kind + " " + namespace + "/" + name + " not in the report: " + seen);
  }

  /** The text block of one resource: its header line up to the next empty line. */
  String block(String header) {
    int start = stdout.indexOf(header + " (");
    if (start < 0) {
      throw new AssertionError("no block " + header + " in:\n" + stdout);
    }
    int end = stdout.indexOf("\n\n", start);
    return stdout.substring(start, end < 0 ? stdout.length() : end);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
  }
}
