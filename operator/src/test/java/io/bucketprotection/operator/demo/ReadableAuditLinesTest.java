package io.bucketprotection.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bucketprotection.operator.audit.AuditLog;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The demo shows each of the operator's JSON audit lines as one line a person reads. */
class ReadableAuditLinesTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final String MFA_DEVICE = "arn:aws:iam::123456789012:mfa/root-account-mfa-device";

  @Test
  void aWriteWithAnMfaCodeFromTheSeed() {
    String line = auditLine(new AuditLog.Entry("demo", "audit-archive", "uid-1", null, null, "demo-audit-archive",
        "http://127.0.0.1:7480", state(VersioningStatus.UNVERSIONED, false), state(VersioningStatus.ENABLED, true),
        MFA_DEVICE, 59868382L, "seed", "Applied", "tx000000ba", null, "root"));
    assertEquals("[audit 15:11:01] demo/audit-archive, bucket demo-audit-archive: versioning Unversioned -> Enabled,"
        + " MFA Delete Disabled -> Enabled, with the code of TOTP step 59868382 (made from the seed) of " + MFA_DEVICE
        + ": Applied", ReadableAuditLines.readable(line, UTC));
  }

  @Test
  void aWriteWithoutACodeThroughAnAccount() {
    String line = auditLine(new AuditLog.Entry("demo", "app-logs", "uid-2", "ClusterS3Account", "default",
        "demo-app-logs", "http://127.0.0.1:7480", state(VersioningStatus.SUSPENDED, false),
        state(VersioningStatus.ENABLED, false), null, null, null, "Applied", "tx0000d3c", null, "observer"));
    assertEquals("[audit 15:11:01] demo/app-logs (ClusterS3Account default), bucket demo-app-logs:"
        + " versioning Suspended -> Enabled: Applied", ReadableAuditLines.readable(line, UTC));
  }

  @Test
  void aRefusedCodeSuppliedByAPersonThatChangesNothing() {
    String line = auditLine(new AuditLog.Entry("team", "ledger", "uid-3", "S3Account", "payments", "ledger",
        "aws", state(VersioningStatus.ENABLED, true), state(VersioningStatus.ENABLED, true), MFA_DEVICE, 7L,
        "person", "MfaRejected", null, null, "root"));
    assertEquals("[audit 15:11:01] team/ledger (S3Account payments), bucket ledger: versioning Enabled,"
        + " MFA Delete Enabled (no change), with the code of TOTP step 7 (supplied by a person) of " + MFA_DEVICE
        + ": MfaRejected", ReadableAuditLines.readable(line, UTC));
  }

  @Test
  void everyOtherLinePassesThroughUnchanged() {
    for (String line : new String[] {"[demo 15:10:47] Starting Ceph RadosGW", "", "{\"audit\":", "{\"audit\":\"other/v9\"}",
        "{\"level\":\"INFO\",\"formattedMessage\":\"x\"}", "  {\"audit\":\"bucketprotection.io/v1\"}"}) {
      assertEquals(line, ReadableAuditLines.readable(line, UTC));
    }
  }

  @Test
  void theStreamRewritesWholeLinesOnly() {
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    PrintStream console = new PrintStream(new ReadableAuditLines(target, UTC), true, StandardCharsets.UTF_8);
    String audit = auditLine(new AuditLog.Entry("demo", "app-logs", "uid-2", null, null, "demo-app-logs",
        "http://127.0.0.1:7480", state(VersioningStatus.UNVERSIONED, false), state(VersioningStatus.ENABLED, false),
        null, null, null, "Applied", null, null, "observer"));
    console.print("[demo 15:10:47] first ");
    console.println("line");
    console.println(audit);
    console.print("unfinished");
    assertEquals("[demo 15:10:47] first line\n"
        + "[audit 15:11:01] demo/app-logs, bucket demo-app-logs: versioning Unversioned -> Enabled: Applied\n",
        target.toString(StandardCharsets.UTF_8));
    console.close();
    assertEquals("unfinished", target.toString(StandardCharsets.UTF_8).lines().reduce((a, b) -> b).orElseThrow());
  }

  private static BucketState state(VersioningStatus versioning, boolean mfaDelete) {
    return new BucketState(versioning, mfaDelete);
  }

  /** The line the operator's AuditLog prints for {@code entry} at 15:11:01 UTC. */
  private static String auditLine(AuditLog.Entry entry) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    new AuditLog(() -> stream, Clock.fixed(Instant.parse("2026-11-30T15:11:01.068Z"), UTC)).record(entry);
    return buffer.toString(StandardCharsets.UTF_8).strip();
  }
}
