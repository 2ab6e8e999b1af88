package io.bucketprotection.operator.check;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.decide.Decider;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.decide.DeviceState;
import io.bucketprotection.operator.decide.Facts;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.decide.Outcome;
import io.bucketprotection.operator.spec.ProtectionSpec;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.spec.SpecValidator;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.decide.VersioningPlanner;
import io.bucketprotection.operator.decide.WriteResult;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.S3ErrorKind;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One BucketProtection through the operator's own steps, minus every act: {@link SpecValidator},
 * {@link io.bucketprotection.operator.tenancy.Tenancy} (against the trusted accounts),
 * then, unless offline and only at an allowed endpoint, a read of the bucket and the operator's
 * {@link Decider} with the MFA device not asked. No rule is restated here; this class only
 * carries facts between them.
 */
final class ProtectionCheck {

  /**
   * A resource after validation and binding: exactly one of {@code desired} and {@code refusal}.
   *
   * @param notes what the binding had to assume
   */
  record Bound(Manifest manifest, CheckResult.Target target, DesiredState desired, CheckResult refusal,
      List<String> notes) {
  }

  private final OperatorConfig config;
  private final InputAccounts accounts;
  private final Decider decider;
  private final ReadOnlyObserver observer;
  private final Clock clock;

  /** @param observer null for --offline: nothing is read */
  ProtectionCheck(OperatorConfig config, InputAccounts accounts, ReadOnlyObserver observer, Clock clock) {
    this.config = config;
    this.accounts = accounts;
    this.decider = new Decider(config.maxClockSkew());
    this.observer = observer;
    this.clock = clock;
  }

  /** What the operator decides before it touches S3; {@code manifest} holds a BucketProtection. */
  Bound bind(Manifest manifest) {
    BucketProtection resource = (BucketProtection) manifest.object();
    ProtectionSpec spec;
    try {
      spec = SpecValidator.validate(resource, config);
    } catch (InvalidSpecException e) {
      String bucket = resource.getSpec() == null ? null : resource.getSpec().getBucket();
      return refused(manifest, new CheckResult.Target(bucket, null, null, null),
          Reason.InvalidSpec.name(), e.getMessage());
    }
    InputAccounts.Bound bound = accounts.bind(resource, spec);
    if (bound.desired() == null) {
      CheckResult.Wanted wanted = new CheckResult.Wanted(spec.versioning().displayName(), mfaDelete(spec.mfaDelete()));
      return refused(manifest, new CheckResult.Target(spec.bucket(), null, mode(spec.observeOnly()), wanted),
          bound.reason(), bound.message());
    }
    DesiredState desired = bound.desired();
    URI endpoint = desired.endpoint();
    CheckResult.Route route = new CheckResult.Route(desired.account() == null ? null : desired.account().toString(),
        endpoint == null ? null : endpoint.toString(), desired.region());
    CheckResult.Target target = new CheckResult.Target(desired.bucket(), route, mode(desired.observeOnly()),
        new CheckResult.Wanted(desired.versioning().displayName(), mfaDelete(desired.mfaDelete())));
    return new Bound(manifest, target, desired, null, bound.notes());
  }

  /** The operator's decision on the bucket as it is now; {@code moreNotes} come from the other resources. */
  CheckResult plan(Bound bound, List<String> moreNotes) {
    if (bound.refusal() != null) {
      return bound.refusal();
    }
    List<String> notes = new ArrayList<>(bound.notes());
    notes.addAll(moreNotes);
    CheckResult.Subject subject = CheckResult.Subject.of(bound.manifest());
    DesiredState desired = bound.desired();
    if (observer == null) {
      if (!desired.unsupportedFields().isEmpty()) {
        // Known without reading the bucket: the operator never writes for a spec it half understands.
        return new CheckResult(subject, bound.target(), CheckResult.Plan.refused(Reason.UnsupportedField.name(),
            "The spec has fields this operator version does not know: " + String.join(", ",
                desired.unsupportedFields()) + ". The operator observes the bucket and writes nothing.", notes));
      }
      return new CheckResult(subject, bound.target(), CheckResult.Plan.notObserved(notes));
    }
    String notAllowed = observer.refusal(desired);
    if (notAllowed != null) {
      return new CheckResult(subject, bound.target(), CheckResult.Plan.refused(CheckResult.ENDPOINT_NOT_ALLOWED,
          notAllowed, notes));
    }
    Facts facts = observer.observe(desired);
    Outcome outcome = decider.decide(desired, facts, DeviceState.NOT_ASKED, clock.instant());
    if (outcome instanceof Outcome.Write write) {
      return new CheckResult(subject, bound.target(),
          CheckResult.Plan.write(write, decider.afterWrite(desired, write, new WriteResult.Accepted()),
              desired.mfa() != null && desired.mfa().personCodes() ? desired.mfa().codes().annotateCommand() : null,
              notes));
    }
    Verdict verdict = (Verdict) outcome;
    if (facts instanceof Facts.BucketUnreadable unreadable && unreadable.error().kind() == S3ErrorKind.ACCESS_DENIED) {
      notes.add("The bucket was read with this environment's AWS credentials, not the operator's: they need"
          + " s3:GetBucketVersioning (and s3:GetLifecycleConfiguration) on it.");
    }
    // Observe mode reporting a difference is the operator doing what it was asked: nothing to refuse.
    boolean nothingToDo = verdict.reason() == Reason.InSync || verdict.reason() == Reason.DriftDetected;
    return new CheckResult(subject, bound.target(), CheckResult.Plan.verdict(
        nothingToDo ? CheckResult.Action.NONE : CheckResult.Action.REFUSED, verdict,
        difference(desired, verdict.observed()), notes));
  }

  /** What differs between the bucket and the spec, in the operator's words; null when nothing does or it is unknown. */
  private static String difference(DesiredState desired, BucketState observed) {
    if (observed == null) {
      return null;
    }
    BucketState target = VersioningPlanner.target(desired, observed);
    return target.equals(observed) ? null : VersioningPlanner.describeChange(observed, target);
  }

  private static Bound refused(Manifest manifest, CheckResult.Target target, String reason, String message) {
    return new Bound(manifest, target, null, CheckResult.refused(manifest, target, reason, message), List.of());
  }

  private static String mode(boolean observeOnly) {
    return observeOnly ? "Observe" : "Enforce";
  }

  private static String mfaDelete(Boolean wanted) {
    return wanted == null ? null : wanted ? "Enabled" : "Disabled";
  }
}
