package io.bucketprotection.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.decide.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/reasons.md's condition table is the reason table in the code: the same reasons, one a row, with
 * the same Ready status, the same recheck policy and the same "needs a person".
 */
class ReasonTableTest {

  private static final Path TABLE = Path.of("..", "docs", "reference", "reasons.md");
  private static final String HEADER = "| Ready | reason | meaning | checked again | needs a person |";

  /** reason -> its cells in docs/reference/reasons.md: Ready, checked again, needs a person. */
  static Map<String, String[]> documentedRows() throws Exception {
    List<String> lines = Files.readAllLines(TABLE);
    int header = lines.indexOf(HEADER);
    assertTrue(header >= 0, TABLE + " has no condition table with the header " + HEADER);
    assertEquals(1, lines.stream().filter(HEADER::equals).count(), "one condition table");
    Map<String, String[]> rows = new LinkedHashMap<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String[] cells = Arrays.stream(lines.get(i).split("\\|", -1)).map(String::trim).toArray(String[]::new);
      // cells[0] is before the first |, cells[6] after the last
      assertEquals(7, cells.length, "five cells in: " + lines.get(i));
      String reason = cells[2].replace("`", "");
      assertTrue(reason.matches("[A-Z][A-Za-z0-9]+"), "one CamelCase reason a row, not: " + cells[2]);
      assertTrue(rows.put(reason, new String[] {cells[1], cells[4], cells[5]}) == null, "twice: " + reason);
    }
    return rows;
  }

  @Test
  void theDocumentedTableIsTheReasonTable() throws Exception {
    Map<String, String[]> rows = documentedRows();
    List<String> problems = new ArrayList<>();
    for (Reason reason : Reason.values()) {
      String[] row = rows.remove(reason.name());
      if (row == null) {
        problems.add(reason + " is missing from " + TABLE);
        continue;
      }
      if (!reason.ready().value().equals(row[0])) {
        problems.add(reason + ": Ready " + row[0] + " in " + TABLE + ", " + reason.ready().value() + " in the code");
      }
      if (!row[1].startsWith(reason.recheck().readme())) {
        problems.add(reason + ": checked again '" + row[1] + "' in " + TABLE + " should begin with '"
            + reason.recheck().readme() + "'");
      }
      String person = reason.person().readme();
      if (!person.equals(row[2])) {
        problems.add(reason + ": needs a person '" + row[2] + "' in " + TABLE + ", '" + person + "' in the code");
      }
    }
    rows.keySet().forEach(extra -> problems.add(extra + " is in " + TABLE + " but not in the code"));
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }
}
