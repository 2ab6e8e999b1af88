package io.bucketprotection.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.secrets.SecretSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VersioningPlannerTest {

  private static final List<BucketState> OBSERVED = List.of(
      new BucketState(VersioningStatus.UNVERSIONED, false),
      new BucketState(VersioningStatus.ENABLED, false),
      new BucketState(VersioningStatus.ENABLED, true),
      new BucketState(VersioningStatus.SUSPENDED, false),
      new BucketState(VersioningStatus.SUSPENDED, true));
  private static final DesiredState.MfaSettings MFA = new DesiredState.MfaSettings("serial",
      new SecretSource.KubernetesSecret("seed", "k"), 30, 0);

  static DesiredState desired(VersioningStatus versioning, Boolean mfaDelete, boolean observe, boolean withMfa) {
    return new DesiredState("b", versioning, mfaDelete, observe, null, null, null, null, withMfa ? MFA : null,
        Duration.ofMinutes(5));
  }

  /** Every (observed, desired versioning, desired MFA Delete, mode, mfa block, matched before). */
  static Stream<Arguments> everyCombination() {
    List<Arguments> all = new ArrayList<>();
    for (BucketState observed : OBSERVED) {
      for (VersioningStatus versioning : List.of(VersioningStatus.ENABLED, VersioningStatus.SUSPENDED)) {
        for (Boolean mfaDelete : new Boolean[] {null, true, false}) {
          if (Boolean.TRUE.equals(mfaDelete) && versioning == VersioningStatus.SUSPENDED) {
            continue; // rejected by the validator
          }
          for (boolean observe : new boolean[] {false, true}) {
            for (boolean withMfa : new boolean[] {false, true}) {
              for (boolean matchedBefore : new boolean[] {false, true}) {
                all.add(Arguments.of(observed, desired(versioning, mfaDelete, observe, withMfa), matchedBefore));
              }
            }
          }
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} / {1} / matchedBefore={2}")
  @MethodSource("everyCombination")
  void everyPlanFollowsTheRules(BucketState observed, DesiredState desired, boolean matchedBefore) {
    VersioningPlan plan = VersioningPlanner.plan(desired, observed, matchedBefore);
    boolean wantedMfaDelete = desired.mfaDelete() == null ? observed.mfaDeleteEnabled() : desired.mfaDelete();
    BucketState target = new BucketState(desired.versioning(), wantedMfaDelete);

    if (target.equals(observed)) {
      assertInstanceOf(VersioningPlan.InSync.class, plan);
      return;
    }
    boolean codeNeeded = wantedMfaDelete != observed.mfaDeleteEnabled()
        || (observed.mfaDeleteEnabled() && desired.versioning() != observed.versioning());
    if (desired.observeOnly()) {
      VersioningPlan.Report report = assertInstanceOf(VersioningPlan.Report.class, plan);
      assertEquals(matchedBefore, report.drift());
      assertEquals(target, report.target());
      return;
    }
    if (codeNeeded && desired.mfa() == null) {
      assertInstanceOf(VersioningPlan.MfaMissing.class, plan);
      return;
    }
    VersioningPlan.Apply apply = assertInstanceOf(VersioningPlan.Apply.class, plan);
    assertEquals(target, apply.target());
    assertEquals(codeNeeded, apply.needsMfa());
    assertEquals(wantedMfaDelete && !observed.mfaDeleteEnabled(), apply.enablesMfaDelete());
    assertEquals(matchedBefore, apply.drift());
    // Never weaken what nobody asked to weaken: an unmanaged MFA Delete keeps its value.
    if (desired.mfaDelete() == null) {
      assertEquals(observed.mfaDeleteEnabled(), apply.target().mfaDeleteEnabled());
    }
    assertTrue(apply.target().versioning() != VersioningStatus.UNVERSIONED);
  }

  @Test
  void enablingVersioningOnAnUnversionedBucketNeedsNoCode() {
    VersioningPlan.Apply apply = assertInstanceOf(VersioningPlan.Apply.class, VersioningPlanner.plan(
        desired(VersioningStatus.ENABLED, null, false, false), BucketState.UNVERSIONED, false));
    assertFalse(apply.needsMfa());
    assertEquals("versioning Unversioned -> Enabled", apply.change());
  }

  @Test
  void switchingMfaDeleteOnNeedsACodeAndALifecycleCheck() {
    VersioningPlan.Apply apply = assertInstanceOf(VersioningPlan.Apply.class, VersioningPlanner.plan(
        desired(VersioningStatus.ENABLED, true, false, true), new BucketState(VersioningStatus.ENABLED, false), false));
    assertTrue(apply.needsMfa());
    assertTrue(apply.enablesMfaDelete());
    assertEquals("MFA Delete Disabled -> Enabled", apply.change());
  }

  @Test
  void suspendingWhileMfaDeleteIsOnNeedsACodeAndKeepsMfaDelete() {
    VersioningPlan.Apply apply = assertInstanceOf(VersioningPlan.Apply.class, VersioningPlanner.plan(
        desired(VersioningStatus.SUSPENDED, null, false, true), new BucketState(VersioningStatus.ENABLED, true), false));
    assertTrue(apply.needsMfa());
    assertTrue(apply.target().mfaDeleteEnabled());
  }

  @Test
  void aChangeThatNeedsACodeWithoutAnMfaBlockIsRefused() {
    assertInstanceOf(VersioningPlan.MfaMissing.class, VersioningPlanner.plan(
        desired(VersioningStatus.SUSPENDED, null, false, false), new BucketState(VersioningStatus.ENABLED, true), true));
  }

  @Test
  void observeModeNeverApplies() {
    assertInstanceOf(VersioningPlan.Report.class, VersioningPlanner.plan(
        desired(VersioningStatus.ENABLED, true, true, true), BucketState.UNVERSIONED, false));
  }

  @Test
  void describesOnlyWhatDiffers() {
    assertEquals("versioning Enabled -> Suspended, MFA Delete Enabled -> Disabled", VersioningPlanner.describeChange(
        new BucketState(VersioningStatus.ENABLED, true), new BucketState(VersioningStatus.SUSPENDED, false)));
  }
}
