package io.bucketprotection.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketprotection.operator.audit.AuditLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * What the demo shows of the operator's audit trail. The operator prints one JSON line on
 * standard output for each write (see {@link AuditLog}), which a log shipper reads; a person
 * watching the demo reads this instead:
 * <pre>
 * [audit 15:11:01] demo/audit-archive, bucket demo-audit-archive: versioning Unversioned -&gt; Enabled,
 *     MFA Delete Disabled -&gt; Enabled, with the code of TOTP step 59868382 (made from the seed) of
 *     arn:aws:iam::123456789012:mfa/root-account-mfa-device: Applied
 * </pre>
 * (one line). Only the demo's view changes: every other line passes through as it is, and so does
 * an audit line this class cannot read.
 */
final class ReadableAuditLines extends OutputStream {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final String AUDIT_PREFIX = "{\"audit\":";

  private final OutputStream target;
  private final ZoneId zone;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  /** Writes to {@code target} line by line, audit lines reformatted with times in {@code zone}. */
  ReadableAuditLines(OutputStream target, ZoneId zone) {
    this.target = target;
    this.zone = zone;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    line.write(b);
    if (b == '\n') {
      writeLine();
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) {
      write(bytes[i]);
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    target.flush();
  }

  /** Writes what is left of an unfinished line; {@code target} stays open (it is the console). */
  @Override
  public synchronized void close() throws IOException {
    if (line.size() > 0) {
      writeLine();
    }
    target.flush();
  }

  private void writeLine() throws IOException {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    boolean newline = text.endsWith("\n");
    String content = newline ? text.substring(0, text.length() - 1) : text;
    target.write((readable(content, zone) + (newline ? "\n" : "")).getBytes(StandardCharsets.UTF_8));
    target.flush();
  }

  /** The audit line {@code line} as a person reads it, or {@code line} itself when it is none. */
  static String readable(String line, ZoneId zone) {
    if (!line.startsWith(AUDIT_PREFIX)) {
      return line;
    }
    JsonNode audit;
    try {
      audit = JSON.readTree(line);
    } catch (IOException e) {
      return line;
    }
    if (!AuditLog.SCHEMA.equals(audit.path("audit").asText())) {
      return line;
    }
    StringBuilder text = new StringBuilder("[audit ");
    try {
      text.append(TIME.format(Instant.parse(audit.path("time").asText()).atZone(zone)));
    } catch (java.time.DateTimeException e) {
      text.append(audit.path("time").asText());
    }
    text.append("] ").append(audit.path("namespace").asText()).append('/').append(audit.path("name").asText());
    if (present(audit, "accountKind")) {
      text.append(" (").append(audit.path("accountKind").asText()).append(' ')
          .append(audit.path("accountName").asText()).append(')');
    }
    text.append(", bucket ").append(audit.path("bucket").asText()).append(": ").append(changes(audit));
    if (present(audit, "serialNumber")) {
      text.append(", with the code of TOTP step ").append(audit.path("step").asText());
      switch (audit.path("codeSource").asText()) {
        case "seed" -> text.append(" (made from the seed)");
        case "person" -> text.append(" (supplied by a person)");
        default -> { }
      }
      text.append(" of ").append(audit.path("serialNumber").asText());
    }
    return text.append(": ").append(audit.path("outcome").asText()).toString();
  }

  /** "versioning Unversioned -> Enabled, MFA Delete Disabled -> Enabled": what the write changes. */
  private static String changes(JsonNode audit) {
    JsonNode before = audit.path("before");
    JsonNode after = audit.path("after");
    List<String> changed = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (String[] field : new String[][] {{"versioning", "versioning"}, {"mfaDelete", "MFA Delete"}}) {
      String from = before.path(field[0]).asText();
      String to = after.path(field[0]).asText();
      if (from.equals(to)) {
        kept.add(field[1] + " " + to);
      } else {
        changed.add(field[1] + " " + from + " -> " + to);
      }
    }
    return changed.isEmpty() ? String.join(", ", kept) + " (no change)" : String.join(", ", changed);
  }

  private static boolean present(JsonNode node, String field) {
    return node.hasNonNull(field) && !node.path(field).asText().isEmpty();
  }
}
