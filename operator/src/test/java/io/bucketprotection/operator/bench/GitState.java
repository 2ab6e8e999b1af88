package io.bucketprotection.operator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which code the figures were measured on. Why: figures measured on older code than they describe
 * are worthless, and a commit hash alone hides both that (docs/performance.md may be committed later) and
 * local edits. The tree of the operator module at HEAD changes exactly when the operator's code
 * does; a dirty module is recorded too, so a run on uncommitted code is visible.
 */
final class GitState {

  private GitState() {
  }

  static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    try {
      Path root = Path.of(git(Path.of(System.getProperty("user.dir")), "rev-parse", "--show-toplevel").trim());
      m.put("gitTreeOperator", git(root, "rev-parse", "HEAD:operator").trim());
      m.put("gitHead", git(root, "rev-parse", "HEAD").trim());
      String status = git(root, "status", "--porcelain", "operator");
      m.put("gitDirty", !status.isBlank());
      if (!status.isBlank()) {
        List<String> lines = status.lines().toList();
        m.put("gitDirtyFileCount", lines.size());
        m.put("gitDirtyFiles", lines.size() > 30 ? lines.subList(0, 30) : lines);
      }
    } catch (IOException e) {
      m.put("gitError", e.getMessage());
    }
    return m;
  }

  private static String git(Path dir, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("git " + String.join(" ", args) + " failed: " + out.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }
}
