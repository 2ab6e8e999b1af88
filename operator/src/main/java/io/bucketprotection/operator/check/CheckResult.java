package io.bucketprotection.operator.check;

import io.bucketprotection.operator.aws.ServerText;
import io.bucketprotection.operator.decide.Outcome;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.s3.BucketState;
import java.util.List;

/**
 * What the check found for one resource of the input. Every string that came from the input or
 * a server is cleaned here, once, for both reports: a CI log must not be fed escape sequences or
 * megabytes by a manifest.
 *
 * @param target null for an account, or a resource whose spec was not valid enough to name one
 */
record CheckResult(Subject subject, Target target, Plan plan) {

  /** Longest text kept per field: room for every problem of a spec, and no more. */
  static final int MAX_TEXT = 4_000;

  /**
   * The check's own reasons (the operator never reports them: they are about where a CI job may
   * send its credentials). A resource bound to an account that only the untrusted input holds:
   */
  static final String ACCOUNT_NOT_TRUSTED = "AccountNotTrusted";
  /** A resource or policy whose endpoint is neither AWS nor on {@code --allowed-endpoints}. */
  static final String ENDPOINT_NOT_ALLOWED = "EndpointNotAllowed";

  /** What the operator would do about the resource. */
  enum Action {
    /** Nothing to write: in sync, an Observe-mode difference, or an account that is valid. */
    NONE("none", 0),
    /** The operator would make one PutBucketVersioning. */
    WRITE("write", 2),
    /** The operator would write nothing and report a problem (its reason says which). */
    REFUSED("refused", 1),
    /** --offline: valid and bound, the bucket was not read. */
    NOT_OBSERVED("not-observed", 0);

    private final String label;
    private final int exitCode;

    Action(String label, int exitCode) {
      this.label = label;
      this.exitCode = exitCode;
    }

    /** How reports spell it; stable, for scripts. */
    String label() {
      return label;
    }

    int exitCode() {
      return exitCode;
    }
  }

  /**
   * Which manifest.
   *
   * @param namespace null for a ClusterS3Account
   */
  record Subject(String kind, String namespace, String name, String file, int document) {
    Subject {
      kind = clean(kind);
      namespace = clean(namespace);
      name = clean(name);
      file = clean(file);
    }

    static Subject of(Manifest manifest) {
      return new Subject(manifest.kind(), manifest.namespace(), manifest.name(), manifest.file(), manifest.document());
    }
  }

  /**
   * Which bucket, reached how, and what the spec wants of it.
   *
   * @param route null until the resource is bound to its account (or inline credentials)
   * @param mode Enforce or Observe; null when the spec is not valid
   * @param wanted null when the spec is not valid
   */
  record Target(String bucket, Route route, String mode, Wanted wanted) {
    Target {
      bucket = clean(bucket);
    }
  }

  /**
   * How the operator reaches the bucket.
   *
   * @param account the account used, or null for inline credentials
   * @param endpoint where the operator sends its requests; null for AWS
   * @param region null when the operator finds the bucket's region
   */
  record Route(String account, String endpoint, String region) {
    Route {
      account = clean(account);
      endpoint = clean(endpoint);
      region = clean(region);
    }
  }

  /** @param mfaDelete null when MFA Delete is not managed */
  record Wanted(String versioning, String mfaDelete) {
  }

  /**
   * The operator's answer, as its Decider gives it.
   *
   * @param observed the bucket as read, or null when it was not read
   * @param write what the PutBucketVersioning would state (both settings); null unless WRITE
   * @param change what differs ("versioning Suspended -> Enabled"), or null when nothing does or it is not known
   * @param needsMfaCode the write would need a code from the MFA device
   * @param supplyCode when that code must come from a person (the device's seed is not stored),
   *     the command that supplies it; otherwise null
   * @param weakens the write would suspend versioning or switch MFA Delete off
   * @param reason the Ready reason the operator would report (Applied for a write that S3 accepts)
   * @param notes what the check could not know, and assumed
   * @param versions what a version deletion's preview found of its versions; null for anything else
   */
  record Plan(Action action, BucketState observed, BucketState write, String change, boolean needsMfaCode,
      String supplyCode, boolean weakens, String reason, String message, List<String> notes,
      VersionLookup versions) {
    Plan {
      change = clean(change);
      message = clean(message);
      notes = notes.stream().map(CheckResult::clean).toList();
    }

    /**
     * The operator would make {@code write}; {@code after} is what it would report once S3 accepts
     * it; {@code supplyCode} is how a person supplies the code, when one is needed from a person.
     */
    static Plan write(Outcome.Write write, Verdict after, String supplyCode, List<String> notes) {
      return new Plan(Action.WRITE, write.observed(), write.target(), write.change(), write.needsCode(),
          write.needsCode() ? supplyCode : null, write.weakens(), after.reason().name(), after.message(), notes, null);
    }

    /** The write waits for a code that a person types. */
    boolean waitsForAPerson() {
      return supplyCode != null;
    }

    /** The operator would write nothing now and report {@code verdict}; {@code change} is what differs, or null. */
    static Plan verdict(Action action, Verdict verdict, String change, List<String> notes) {
      return new Plan(action, verdict.observed(), null, change, false, null, false, verdict.reason().name(),
          verdict.message(), notes, null);
    }

    /** The operator would write nothing and report {@code reason}; the bucket was not read. */
    static Plan refused(String reason, String message, List<String> notes) {
      return new Plan(Action.REFUSED, null, null, null, false, null, false, reason, message, notes, null);
    }

    /** --offline, valid and bound. */
    static Plan notObserved(List<String> notes) {
      return new Plan(Action.NOT_OBSERVED, null, null, null, false, null, false, null, null, notes, null);
    }

    /** A version deletion that nothing stops but its approval: what its bucket and versions were found to be. */
    static Plan previewed(BucketState observed, VersionLookup versions, List<String> notes) {
      return new Plan(Action.NONE, observed, null, null, false, null, false, null, null, notes, versions);
    }

    /** Nothing to do, and nothing to report but {@code notes} (a valid account). */
    static Plan none(List<String> notes) {
      return new Plan(Action.NONE, null, null, null, false, null, false, null, null, notes, null);
    }
  }

  /** The operator would write nothing for this manifest and report {@code reason}. */
  static CheckResult refused(Manifest manifest, Target target, String reason, String message) {
    return new CheckResult(Subject.of(manifest), target, Plan.refused(reason, message, List.of()));
  }

  static String clean(String text) {
    return ServerText.clean(text, MAX_TEXT);
  }

  /** 1 if anything is refused, else 2 if anything would be written, else 0. */
  static int exitCode(List<CheckResult> results) {
    boolean refused = results.stream().anyMatch(r -> r.plan().action() == Action.REFUSED);
    boolean writes = results.stream().anyMatch(r -> r.plan().action() == Action.WRITE);
    return refused ? Action.REFUSED.exitCode() : writes ? Action.WRITE.exitCode() : 0;
  }
}
