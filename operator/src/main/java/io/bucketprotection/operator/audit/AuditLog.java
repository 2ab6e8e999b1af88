package io.bucketprotection.operator.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketprotection.operator.s3.BucketState;
import java.io.PrintStream;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The audit trail of root actions: exactly one JSON line on standard output for every write to a
 * bucket and every MFA code sent, accepted or refused, whatever LOG_LEVEL and LOG_FORMAT say (it
 * does not go through the logging framework). Each line carries {@code "audit":"bucketprotection.io/v1"}
 * so a log shipper can route it apart from the rest, and the server's request ids so it can be
 * matched with the CloudTrail record of the same call. It never holds a code, a seed or a key:
 * only the TOTP step number.
 */
public final class AuditLog {

  public static final String SCHEMA = "bucketprotection.io/v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One write.
   *
   * @param uid the resource's uid
   * @param accountKind ClusterS3Account, S3Account, or null for inline credentials
   * @param endpoint the endpoint the request went to ("aws" for AWS's own)
   * @param step the TOTP step whose code was sent, or null when none was
   * @param codeSource "seed" (made by the operator) or "person" (supplied), or null when no code was sent
   * @param outcome Applied, or the reason of the refusal (MfaRejected, AccessDenied ...)
   * @param requestId x-amz-request-id, or null
   * @param extendedRequestId x-amz-id-2, or null (RadosGW sends none)
   * @param signedBy "root" (the account's root keys) or "observer"
   */
  public record Entry(String namespace, String name, String uid, String accountKind, String accountName,
      String bucket, String endpoint, BucketState before, BucketState after, String serialNumber, Long step,
      String codeSource, String outcome, String requestId, String extendedRequestId, String signedBy) {
  }

  /**
   * One version deleted permanently (one line per version, written before the request's status
   * records the batch).
   *
   * @param approval the account annotation that approved the request ("key=value")
   * @param step the TOTP step whose code signed the batch, or null when none did
   * @param retry the batch was sent before and its result may not have been recorded (a restart)
   */
  public record Deletion(String namespace, String name, String uid, String accountKind, String accountName,
      String bucket, String endpoint, String key, String versionId, boolean deleteMarker, String approval,
      String reason, String serialNumber, Long step, String codeSource, String requestId, String extendedRequestId,
      boolean retry) {
  }

  private final Supplier<PrintStream> out;
  private final Clock clock;

  /** Lines go to {@code System.out} as it is at each write (tests may replace it). */
  public AuditLog(Clock clock) {
    this(() -> System.out, clock);
  }

  public AuditLog(Supplier<PrintStream> out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  public void record(Entry entry) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("audit", SCHEMA);
    line.put("time", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
    line.put("namespace", entry.namespace());
    line.put("name", entry.name());
    line.put("uid", entry.uid());
    line.put("accountKind", entry.accountKind());
    line.put("accountName", entry.accountName());
    line.put("bucket", entry.bucket());
    line.put("endpoint", entry.endpoint());
    line.put("before", state(entry.before()));
    line.put("after", state(entry.after()));
    line.put("serialNumber", entry.serialNumber());
    line.put("step", entry.step());
    line.put("codeSource", entry.codeSource());
    line.put("signedBy", entry.signedBy());
    line.put("outcome", entry.outcome());
    line.put("requestId", entry.requestId());
    line.put("extendedRequestId", entry.extendedRequestId());
    print(line);
  }

  /** One line for one permanently deleted version, signed by root. */
  public void record(Deletion entry) {
    Map<String, Object> line = deletionLine(entry, "DeleteObjectVersion");
    line.put("key", entry.key());
    line.put("versionId", entry.versionId());
    line.put("deleteMarker", entry.deleteMarker());
    deletionTail(line, entry, "Deleted");
    print(line);
  }

  /**
   * A batch S3 refused as a whole (a refused code, a denied request): nothing of it was deleted,
   * and the code it carried, if any, is spent. One line for the batch.
   *
   * @param versions how many versions the batch listed
   * @param outcome the reason (MfaRejected, AccessDenied ...)
   */
  public void recordRefusedBatch(Deletion batch, int versions, String outcome) {
    Map<String, Object> line = deletionLine(batch, "DeleteObjectVersions");
    line.put("versions", versions);
    deletionTail(line, batch, outcome);
    print(line);
  }

  /** What every deletion line begins with: the request, its account and the bucket. */
  private Map<String, Object> deletionLine(Deletion entry, String action) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("audit", SCHEMA);
    line.put("time", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
    line.put("action", action);
    line.put("namespace", entry.namespace());
    line.put("name", entry.name());
    line.put("uid", entry.uid());
    line.put("accountKind", entry.accountKind());
    line.put("accountName", entry.accountName());
    line.put("bucket", entry.bucket());
    line.put("endpoint", entry.endpoint());
    return line;
  }

  /** What every deletion line ends with: the approval, the reason, the code and the request. */
  private static void deletionTail(Map<String, Object> line, Deletion entry, String outcome) {
    line.put("approval", entry.approval());
    line.put("reason", entry.reason());
    line.put("serialNumber", entry.serialNumber());
    line.put("step", entry.step());
    line.put("codeSource", entry.codeSource());
    line.put("signedBy", "root");
    line.put("outcome", outcome);
    line.put("requestId", entry.requestId());
    line.put("extendedRequestId", entry.extendedRequestId());
    line.put("retry", entry.retry());
  }

  private void print(Map<String, Object> line) {
    String text;
    try {
      text = JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an audit line of strings and numbers always serialises", e);
    }
    PrintStream stream = out.get();
    // One println of a whole line: lines of concurrent reconciles never interleave.
    synchronized (stream) {
      stream.println(text);
      stream.flush();
    }
  }

  private static Map<String, String> state(BucketState state) {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("versioning", state.versioning().displayName());
    map.put("mfaDelete", state.mfaDeleteDisplayName());
    return map;
  }
}
