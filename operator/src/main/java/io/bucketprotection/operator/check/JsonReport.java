package io.bucketprotection.operator.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.bucketprotection.operator.s3.BucketState;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON document: an array with one object per resource, in input order. The field names are
 * an interface for scripts and are written here only; every field is present in every object
 * (null where it does not apply), so a script never has to test for a key.
 */
final class JsonReport {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {
  }

  static void print(List<CheckResult> results, PrintStream out) {
    try {
      out.println(JSON.writeValueAsString(results.stream().map(JsonReport::object).toList()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of strings always serialize", e);
    }
  }

  static Map<String, Object> object(CheckResult result) {
    CheckResult.Subject s = result.subject();
    CheckResult.Target t = result.target();
    CheckResult.Plan p = result.plan();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("kind", s.kind());
    o.put("namespace", s.namespace());
    o.put("name", s.name());
    o.put("file", s.file());
    o.put("document", s.document());
    o.put("bucket", t == null ? null : t.bucket());
    CheckResult.Route r = t == null ? null : t.route();
    o.put("account", r == null ? null : r.account());
    o.put("endpoint", r == null ? null : r.endpoint());
    o.put("region", r == null ? null : r.region());
    o.put("mode", t == null ? null : t.mode());
    o.put("wanted", t == null || t.wanted() == null ? null
        : state(t.wanted().versioning(), t.wanted().mfaDelete()));
    o.put("observed", state(p.observed()));
    o.put("action", p.action().label());
    o.put("write", state(p.write()));
    o.put("change", p.change());
    o.put("needsMfaCode", p.needsMfaCode());
    o.put("mfaCodeFrom", !p.needsMfaCode() ? null : p.waitsForAPerson() ? "person" : "operator");
    o.put("supplyCode", p.supplyCode());
    o.put("weakens", p.weakens());
    o.put("reason", p.reason());
    o.put("message", p.message());
    o.put("notes", p.notes());
    o.put("versions", versions(p.versions()));
    return o;
  }

  /** A deletion's preview: the counts, and the missing versions (the first {@link VersionLookup#MISSING_KEPT}). */
  private static Map<String, Object> versions(VersionLookup v) {
    if (v == null) {
      return null;
    }
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("listed", v.listed());
    o.put("manifest", v.manifest());
    o.put("lookedUp", v.lookedUp());
    o.put("sampled", v.sampled());
    o.put("present", v.present());
    o.put("deleteMarkers", v.deleteMarkers());
    o.put("missing", v.missing());
    o.put("missingVersions", v.missingVersions().stream().map(m -> {
      Map<String, Object> version = new LinkedHashMap<>();
      version.put("key", m.key());
      version.put("versionId", m.versionId());
      return version;
    }).toList());
    return o;
  }

  private static Map<String, Object> state(BucketState state) {
    return state == null ? null : state(state.versioning().displayName(), state.mfaDeleteDisplayName());
  }

  private static Map<String, Object> state(String versioning, String mfaDelete) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("versioning", versioning);
    o.put("mfaDelete", mfaDelete);
    return o;
  }
}
