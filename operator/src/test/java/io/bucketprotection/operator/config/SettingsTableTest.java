package io.bucketprotection.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/configuration.md's configuration table is the settings as config/Settings.java declares them: a
 * setting missing from the table, a row the code has no setting for, or a default the code
 * does not have fails here, with the table to paste in.
 */
class SettingsTableTest {

  private static final Path PAGE = Path.of("../docs/reference/configuration.md");

  @Test
  void theDocumentedTableIsTheDeclaredSettings() throws IOException {
    String expected = String.join("\n", Settings.markdownTable());
    String actual = String.join("\n", tableUnder(Files.readString(PAGE), "# Configuration"));
    assertEquals(expected, actual,
        "docs/reference/configuration.md's configuration table is not what config/Settings.java declares; replace it with:\n" + expected);
  }

  @Test
  void theDeclarationsNameEveryVariableTheOperatorReads() {
    Set<String> read = new TreeSet<>();
    for (Setting<?> setting : Settings.ALL) {
      read.add(setting.name());
      read.addAll(setting.fallbacks());
    }
    assertEquals(new TreeSet<>(List.of("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SECRETS_MANAGER",
        "AWS_REGION", "BPO_ACCOUNT_SELECTOR", "BPO_ALLOWED_ENDPOINTS", "BPO_CLUSTER_ACCOUNTS",
        "BPO_CLUSTER_RESOURCE_NAMESPACE", "BPO_CONTENT_MD5_ENDPOINTS", "BPO_DEFAULT_CHECK_INTERVAL",
        "BPO_DEFAULT_REGION", "BPO_HTTP_PORT", "BPO_LABEL_SELECTOR", "BPO_LEADER_ELECTION", "BPO_LEADER_ELECTION_LEASE",
        "BPO_LEADER_ELECTION_LEASE_DURATION", "BPO_LEADER_ELECTION_NAMESPACE", "BPO_MAX_CLOCK_SKEW",
        "BPO_MAX_THREADS_PER_ENDPOINT", "BPO_METRICS_PORT", "BPO_MFA_PAUSE", "BPO_RECONCILE_THREADS",
        "BPO_SECRETS_CACHE_TTL", "BPO_WATCH_NAMESPACES", "HOSTNAME", "LOG_FORMAT", "LOG_LEVEL", "POD_NAME",
        "POD_NAMESPACE")), read);
    assertTrue(Settings.ALL.stream().allMatch(s -> s.meaning() != null && !s.meaning().isBlank()),
        "every setting says what it means");
  }

  /** The lines of the first Markdown table after the heading, from its header row to its last row. */
  static List<String> tableUnder(String markdown, String heading) {
    List<String> table = new ArrayList<>();
    boolean inSection = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.equals(heading)) {
        inSection = true;
      } else if (inSection && line.startsWith("|")) {
        table.add(line);
      } else if (inSection && !table.isEmpty()) {
        break;
      }
    }
    assertTrue(!table.isEmpty(), "the page has a table under " + heading);
    return table;
  }
}
