package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.reconcile.decide.DesiredState;
import io.bucketprotection.operator.reconcile.decide.Facts;
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
}
