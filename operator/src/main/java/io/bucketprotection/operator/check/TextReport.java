package io.bucketprotection.operator.check;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Plain text for a CI log: one block per resource, then one summary line. No colours, no escapes. */
final class TextReport {

  private TextReport() {
  }

  static void print(List<CheckResult> results, int exitCode, PrintStream out) {
    for (CheckResult result : results) {
      block(result, out);
      out.println();
    }
    Map<CheckResult.Action, Integer> counts = new EnumMap<>(CheckResult.Action.class);
    results.forEach(r -> counts.merge(r.plan().action(), 1, Integer::sum));
    StringBuilder summary = new StringBuilder("summary:  " + results.size()
        + (results.size() == 1 ? " resource" : " resources"));
    counts.forEach((action, n) -> summary.append(", ").append(action.label()).append(' ').append(n));
    out.println(summary + "; exit code " + exitCode);
    List<CheckResult> waiting = results.stream().filter(r -> r.plan().waitsForAPerson()).toList();
    if (!waiting.isEmpty()) {
      out.println("waiting for a person's MFA code: " + waiting.size()
          + (waiting.size() == 1 ? " change" : " changes") + " (the device's seed is not stored)");
      for (CheckResult r : waiting) {
        out.println("  " + r.target().bucket() + ": " + r.plan().change() + "; " + r.plan().supplyCode());
      }
    }
  }

  private static void block(CheckResult result, PrintStream out) {
    CheckResult.Subject s = result.subject();
    out.println(s.kind() + " " + (s.namespace() == null ? "" : s.namespace() + "/") + s.name()
        + " (" + s.file() + ", document " + s.document() + ")");
    CheckResult.Target t = result.target();
    CheckResult.Plan p = result.plan();
    if (t != null) {
      line(out, "bucket", t.bucket() + (t.route() == null ? "" : route(t.route())));
      if (t.wanted() != null) {
        line(out, "wanted", "versioning " + t.wanted().versioning() + ", MFA Delete "
            + (t.wanted().mfaDelete() == null ? "not managed" : t.wanted().mfaDelete()) + " (mode " + t.mode() + ")");
      }
    }
    if (p.observed() != null) {
      line(out, "observed", p.observed().describe());
    }
    line(out, "action", action(p));
    if (p.action() == CheckResult.Action.WRITE) {
      line(out, "", "needs an MFA code: " + (p.waitsForAPerson() ? "yes, typed by a person" : yesNo(p.needsMfaCode()))
          + "; weakens protection: " + yesNo(p.weakens()));
      if (p.waitsForAPerson()) {
        line(out, "code", "the operator waits (AwaitingMfaCode) until someone runs: " + p.supplyCode());
      }
    } else if (p.change() != null) {
      line(out, "differs", p.change());
    }
    if (p.versions() != null) {
      versions(out, p.versions());
    }
    if (p.reason() != null) {
      line(out, "reports", p.reason() + ": " + p.message());
    }
    p.notes().forEach(note -> line(out, "note", note));
  }

  /**
   * "versions: 3 listed, all looked up: 1 exists, 1 delete marker, 1 missing", then the first
   * {@link VersionLookup#MISSING_SHOWN} missing ones as key@versionId.
   */
  private static void versions(PrintStream out, VersionLookup v) {
    String looked = v.sampled() ? "the first " + v.lookedUp() + " looked up (a sample)" : "all looked up";
    line(out, "versions", v.listed() + " listed" + (v.manifest() == null ? "" : " in " + v.manifest()) + ", " + looked
        + ": " + v.present() + (v.present() == 1 ? " exists, " : " exist, ") + v.deleteMarkers()
        + (v.deleteMarkers() == 1 ? " delete marker, " : " delete markers, ") + v.missing() + " missing");
    if (v.missing() > 0) {
      List<String> shown = v.missingVersions().stream().limit(VersionLookup.MISSING_SHOWN)
          .map(m -> m.key() + "@" + m.versionId()).toList();
      line(out, "missing", String.join(", ", shown)
          + (v.missing() > shown.size() ? ", and " + (v.missing() - shown.size()) + " more" : ""));
    }
  }

  /** " at AWS, region eu-west-1, via ClusterS3Account team-payments" */
  private static String route(CheckResult.Route r) {
    return " at " + (r.endpoint() == null ? "AWS" : r.endpoint()) + (r.region() == null ? "" : ", region " + r.region())
        + (r.account() == null ? ", inline credentials" : ", via " + r.account());
  }

  private static String action(CheckResult.Plan p) {
    return switch (p.action()) {
      case WRITE -> "write " + p.write().describe() + " (" + p.change() + ")";
      case NOT_OBSERVED -> "not observed (--offline): valid and bound";
      case NONE, REFUSED -> p.action().label();
    };
  }

  private static String yesNo(boolean value) {
    return value ? "yes" : "no";
  }

  private static void line(PrintStream out, String label, String value) {
    out.println("  " + String.format("%-10s", label.isEmpty() ? "" : label + ":") + value);
  }
}
