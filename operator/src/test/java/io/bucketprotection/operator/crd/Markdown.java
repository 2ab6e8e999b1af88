package io.bucketprotection.operator.crd;

import java.util.List;
import java.util.Locale;

/**
 * Text for GitHub-flavoured Markdown tables: a cell must stay on one line and must not close itself
 * with a {@code |}, and text from the CRDs must not turn into HTML ({@code <account id>}) or
 * emphasis ({@code *} in bucket globs).
 */
final class Markdown {

  private Markdown() {
  }

  /** Plain text for a table cell: escaped, its line breaks as {@code <br>}. */
  static String cell(String text) {
    if (text == null) {
      return "";
    }
    String escaped = text.strip()
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("*", "\\*")
        .replace("`", "\\`")
        .replace("<", "&lt;")
        .replace(">", "&gt;");
    return escaped.replace("\r\n", "\n").replace("\n", "<br>");
  }

  /** A code span for a table cell; GitHub unescapes {@code \|} inside code spans in tables. */
  static String code(String text) {
    String oneLine = text.replace("\r\n", " ").replace('\n', ' ').replace("|", "\\|");
    String fence = oneLine.contains("`") ? "``" : "`";
    String pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
    return fence + pad + oneLine + pad + fence;
  }

  /** A table: the header row, the separator, one line per row. */
  static String table(List<String> header, List<List<String>> rows) {
    StringBuilder out = new StringBuilder();
    out.append(row(header));
    out.append(row(header.stream().map(h -> "---").toList()));
    rows.forEach(r -> out.append(row(r)));
    return out.toString();
  }

  private static String row(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  /** The anchor GitHub (and MkDocs) give a heading: lower case, spaces as hyphens, punctuation dropped. */
  static String anchor(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }
}
