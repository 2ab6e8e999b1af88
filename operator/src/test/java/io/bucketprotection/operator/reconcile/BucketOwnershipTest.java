package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.decide.Facts;
import io.bucketprotection.operator.s3.VersioningStatus;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BucketOwnershipTest {

  private static final OperatorConfig CONFIG = OperatorConfig.fromEnvironment(Map.of());

  private static DesiredState desired(String endpoint, boolean observe) {
    return new DesiredState("shared", VersioningStatus.ENABLED, null, observe,
        endpoint == null ? null : URI.create(endpoint), null, null, null, null, Duration.ofMinutes(5), null,
        DesiredState.WeakeningGuard.NONE, List.of());
  }

  private static BucketProtection at(String namespace, String name, String created, String uid) {
    BucketProtection bp = protection(namespace, name, "shared", "Enabled");
    bp.getMetadata().setCreationTimestamp(created);
    bp.getMetadata().setUid(uid);
    return bp;
  }

  /** Every resource is authorised, in Enforce mode, at AWS. */
  private static final Function<BucketProtection, Optional<DesiredState>> ALL_AUTHORISED =
      bp -> Optional.of(desired(null, false));

  @Test
  void everySpellingOfAnAwsEndpointIsOneBucket() {
    BucketOwnership ownership = new BucketOwnership(CONFIG);
    String none = ownership.key(desired(null, false));
    for (String endpoint : List.of("https://s3.amazonaws.com", "https://s3.us-east-1.amazonaws.com/",
        "https://s3.dualstack.eu-west-1.amazonaws.com", "https://s3-fips.us-east-2.amazonaws.com",
        "http://S3.AMAZONAWS.COM")) {
      assertEquals(none, ownership.key(desired(endpoint, false)), endpoint);
    }
    assertEquals("aws/shared", none);
    assertEquals("http://127.0.0.1:7480/shared", ownership.key(desired("http://127.0.0.1:7480/", false)));
  }

  @Test
  void theOldestResourceThatCanReadTheBucketWritesIt() {
    BucketOwnership ownership = new BucketOwnership(CONFIG);
    BucketProtection older = at("team", "first", "2026-11-30T10:00:00Z", "uid-b");
    BucketProtection newer = at("team", "second", "2026-11-30T10:00:01Z", "uid-a");
    List<BucketProtection> both = List.of(newer, older);
    assertEquals(Facts.Writer.SELF, ownership.afterRead(older, desired(null, false), both, ALL_AUTHORISED));
    Facts.Writer writer = ownership.afterRead(newer, desired(null, false), both, ALL_AUTHORISED);
    assertFalse(writer.self());
    assertEquals("BucketProtection team/first (older)", writer.owner(), "same namespace: named");
  }

  @Test
  void anOlderResourceThatCannotReadTheBucketBlocksNobody() {
    BucketOwnership ownership = new BucketOwnership(CONFIG);
    BucketProtection intruder = at("intruder", "claim", "2020-01-01T00:00:00Z", "uid-0");
    BucketProtection team = at("team", "logs", "2026-11-30T10:00:00Z", "uid-1");
    List<BucketProtection> both = List.of(intruder, team);
    // Before the intruder's resource has tried, the team's waits for it (after a restart the older goes first)...
    Facts.Writer waiting = ownership.afterRead(team, desired(null, false), both, ALL_AUTHORISED);
    assertFalse(waiting.self());
    assertNull(waiting.owner(), "another namespace's resource is never named");
    // ...and once it has failed to read the bucket, it counts for nothing.
    ownership.cannotRead(intruder);
    assertEquals(Facts.Writer.SELF, ownership.afterRead(team, desired(null, false), both, ALL_AUTHORISED));
  }

  @Test
  void afterARestartAnOlderResourceWhoseLastReadFailedBlocksNobody() {
    // A new process (or a new leader) remembers nothing, but the intruder's status says its last
    // read failed: it has no evidence of a read, so the team's resource writes at once.
    BucketOwnership fresh = new BucketOwnership(CONFIG);
    BucketProtection intruder = at("intruder", "claim", "2020-01-01T00:00:00Z", "uid-0");
    intruder.setStatus(new io.bucketprotection.operator.api.BucketProtectionStatus());
    intruder.getStatus().setObservedGeneration(1L);
    intruder.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.ConditionBuilder()
        .withType("Ready").withStatus("False").withReason("AccessDenied").withMessage("denied")
        .withLastTransitionTime("2026-11-30T09:00:00Z").build()));
    BucketProtection team = at("team", "logs", "2026-11-30T10:00:00Z", "uid-1");
    assertEquals(Facts.Writer.SELF, fresh.afterRead(team, desired(null, false), List.of(intruder, team),
        ALL_AUTHORISED));
  }

  @Test
  void unauthorisedObserveModeAndOtherEndpointResourcesDoNotOwn() {
    BucketOwnership ownership = new BucketOwnership(CONFIG);
    BucketProtection refused = at("a", "refused", "2020-01-01T00:00:00Z", "uid-1");
    BucketProtection observer = at("a", "observer", "2020-01-02T00:00:00Z", "uid-2");
    BucketProtection elsewhere = at("a", "elsewhere", "2020-01-03T00:00:00Z", "uid-3");
    BucketProtection me = at("a", "me", "2026-11-30T10:00:00Z", "uid-4");
    Map<String, Optional<DesiredState>> bound = Map.of("refused", Optional.empty(),
        "observer", Optional.of(desired(null, true)), "elsewhere", Optional.of(desired("http://127.0.0.1:7480", false)),
        "me", Optional.of(desired(null, false)));
    assertEquals(Facts.Writer.SELF, ownership.afterRead(me, desired(null, false),
        List.of(refused, observer, elsewhere, me), bp -> bound.get(bp.getMetadata().getName())));
  }

  @Test
  void anOlderResourceWithFieldsThisVersionDoesNotKnowDoesNotOwn() {
    BucketOwnership ownership = new BucketOwnership(CONFIG);
    BucketProtection newer = at("a", "newer-crd", "2020-01-01T00:00:00Z", "uid-1");
    BucketProtection me = at("a", "me", "2026-11-30T10:00:00Z", "uid-2");
    DesiredState unknown = new DesiredState("shared", VersioningStatus.ENABLED, null, false, null, null, null, null,
        null, Duration.ofMinutes(5), null, DesiredState.WeakeningGuard.NONE, List.of("spec.futureField"));
    Map<String, Optional<DesiredState>> bound = Map.of("newer-crd", Optional.of(unknown),
        "me", Optional.of(desired(null, false)));
    assertEquals(Facts.Writer.SELF, ownership.afterRead(me, desired(null, false), List.of(newer, me),
        bp -> bound.get(bp.getMetadata().getName())));
  }

  @Test
  void tiesAreBrokenByUidNeverByNames() {
    BucketOwnership ownership = new BucketOwnership(CONFIG);
    BucketProtection aaa = at("team", "aaa", "2026-11-30T10:00:00Z", "uid-9");
    BucketProtection zzz = at("team", "zzz", "2026-11-30T10:00:00Z", "uid-1");
    assertEquals(Facts.Writer.SELF, ownership.afterRead(zzz, desired(null, false), List.of(aaa, zzz), ALL_AUTHORISED));
    assertFalse(ownership.afterRead(aaa, desired(null, false), List.of(aaa, zzz), ALL_AUTHORISED).self());
  }

  @Test
  void theRecordForgetsResourcesThatAreGone() {
    BucketOwnership ownership = new BucketOwnership(CONFIG);
    BucketProtection gone = at("team", "gone", "2026-11-30T10:00:00Z", "uid-gone");
    ownership.cannotRead(gone);
    ownership.retainOnly(Set.of("uid-other"));
    assertEquals(0, ownership.recorded());
    assertTrue(BucketOwnership.indexKeys(gone).contains("shared"));
  }

  private static BucketProtection child(String namespace, String name, String created, String uid) {
    BucketProtection bp = at(namespace, name, created, uid);
    bp.getMetadata().setLabels(Map.of(io.bucketprotection.operator.api.BucketProtectionPolicy.POLICY_LABEL, "logs"));
    return bp;
  }

  private static void withEvidence(BucketProtection bp, String bucket, String account) {
    bp.setStatus(new io.bucketprotection.operator.api.BucketProtectionStatus());
    bp.getStatus().setBucketRead(new io.bucketprotection.operator.api.BucketRead(bucket, "aws", account,
        "2026-11-30T09:00:00Z"));
  }

  @Test
  void evidenceCountsOnlyForTheBindingItWasMadeFor() {
    BucketOwnership fresh = new BucketOwnership(CONFIG);
    BucketProtection moved = at("team", "moved", "2020-01-01T00:00:00Z", "uid-0");
    BucketProtection proven = at("team", "proven", "2020-01-02T00:00:00Z", "uid-1");
    BucketProtection me = at("team", "me", "2026-11-30T10:00:00Z", "uid-2");
    // "moved" read another bucket before it was edited to name this one: no evidence here.
    withEvidence(moved, "another-bucket", "inline credentials");
    withEvidence(proven, "shared", "inline credentials");
    assertTrue(fresh.hasEvidence(proven, desired(null, false)));
    assertFalse(fresh.hasEvidence(moved, desired(null, false)));
    Facts.Writer writer = fresh.afterRead(me, desired(null, false), List.of(moved, proven, me), ALL_AUTHORISED);
    assertEquals("BucketProtection team/proven (older)", writer.owner());
  }

  @Test
  void anOlderResourceWithoutEvidenceMakesAYoungerOneWaitForAtMostOneReadInterval() {
    io.bucketprotection.operator.testsupport.MutableClock clock =
        new io.bucketprotection.operator.testsupport.MutableClock(java.time.Instant.parse("2026-11-30T10:00:00Z"));
    BucketOwnership upgraded = new BucketOwnership(CONFIG, clock);
    // Its status comes from a version that kept no evidence, after a successful read (InSync).
    BucketProtection older = at("team", "older", "2020-01-01T00:00:00Z", "uid-0");
    older.setStatus(new io.bucketprotection.operator.api.BucketProtectionStatus());
    older.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.ConditionBuilder()
        .withType("Ready").withStatus("True").withReason("InSync").withMessage("in sync")
        .withLastTransitionTime("2026-11-30T09:00:00Z").build()));
    BucketProtection me = at("team", "me", "2026-11-30T10:00:00Z", "uid-1");
    Facts.Writer waiting = upgraded.afterRead(me, desired(null, false), List.of(older, me), ALL_AUTHORISED);
    assertFalse(waiting.self());
    assertTrue(waiting.owner().contains("waiting for its first read"), waiting.owner());
    // One read interval (5m here) after the operator started, it counts for nothing until it reads.
    clock.set(clock.instant().plus(Duration.ofMinutes(5)));
    assertEquals(Facts.Writer.SELF, upgraded.afterRead(me, desired(null, false), List.of(older, me), ALL_AUTHORISED));
  }

  @Test
  void aHandMadeResourceOverridesAChildOnlyInTheChildsNamespace() {
    BucketOwnership ownership = new BucketOwnership(CONFIG);
    BucketProtection child = child("fleet", "logs-shared", "2026-11-30T09:00:00Z", "uid-0");
    BucketProtection neighbour = at("neighbour", "mine", "2026-11-30T10:00:00Z", "uid-1");
    BucketProtection team = at("fleet", "hand-made", "2026-11-30T11:00:00Z", "uid-2");
    withEvidence(child, "shared", "inline credentials");
    withEvidence(neighbour, "shared", "inline credentials");
    // Another namespace's younger resource: the child keeps the bucket.
    assertFalse(ownership.afterRead(neighbour, desired(null, false), List.of(child, neighbour), ALL_AUTHORISED)
        .self());
    assertEquals(Facts.Writer.SELF, ownership.afterRead(child, desired(null, false), List.of(child, neighbour),
        ALL_AUTHORISED));
    // The team's own hand-made resource, younger still, takes it from the child.
    assertEquals(Facts.Writer.SELF, ownership.afterRead(team, desired(null, false), List.of(child, neighbour, team),
        ALL_AUTHORISED));
    assertTrue(ownership.afterRead(child, desired(null, false), List.of(child, neighbour, team), ALL_AUTHORISED)
        .owner().contains("fleet/hand-made"));
  }

  @Test
  void theEvidenceKeepsItsFirstTimeWhileReadsSucceedAndGoesWithAFailure() {
    io.bucketprotection.operator.testsupport.MutableClock clock =
        new io.bucketprotection.operator.testsupport.MutableClock(java.time.Instant.parse("2026-11-30T10:00:00Z"));
    BucketOwnership ownership = new BucketOwnership(CONFIG, clock);
    BucketProtection me = at("team", "me", "2026-11-30T10:00:00Z", "uid-1");
    assertNull(ownership.evidence(me, desired(null, false)), "no read yet");
    ownership.afterRead(me, desired(null, false), List.of(me), ALL_AUTHORISED);
    var first = ownership.evidence(me, desired(null, false));
    assertEquals(new io.bucketprotection.operator.api.BucketRead("shared", "aws", "inline credentials",
        "2026-11-30T10:00:00Z"), first);
    me.setStatus(new io.bucketprotection.operator.api.BucketProtectionStatus());
    me.getStatus().setBucketRead(first);
    clock.set(clock.instant().plus(Duration.ofMinutes(10)));
    ownership.afterRead(me, desired(null, false), List.of(me), ALL_AUTHORISED);
    assertEquals(first, ownership.evidence(me, desired(null, false)), "a quiet re-check changes nothing");
    assertNull(ownership.evidence(me, null), "refused or invalid: no evidence");
    ownership.cannotRead(me);
    assertNull(ownership.evidence(me, desired(null, false)));
    assertFalse(ownership.hasEvidence(me, desired(null, false)), "this process's failure outweighs the status");
  }
}
