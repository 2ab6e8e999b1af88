package io.bucketprotection.operator.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.testsupport.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The line of changes waiting for a person's codes, and the rules a code must pass before it is
 * sent: seen arriving, fresh, 6 digits, never sent before for its device, and the head of the line
 * (or a waiter ahead that has gone, after a grace).
 */
class PersonCodesTest {

  private static final MfaDevice DEVICE = new MfaDevice("aws", "arn:aws:iam::123456789012:mfa/root");
  private static final MfaDevice OTHER_DEVICE = new MfaDevice("http://rgw.example:7480", "rgw-token");
  private static final String ACCOUNT = "ClusterS3Account/root";
  private static final String OTHER_ACCOUNT = "ClusterS3Account/other";
  private static final int PERIOD = 30;
  private static final String CODE = "123456";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final PersonCodes codes = new PersonCodes(clock);

  private void after(long millis) {
    clock.set(clock.instant().plusMillis(millis));
  }

  private PersonCodes.Claim ask(String requester, String annotated) {
    return ask(DEVICE, ACCOUNT, requester, annotated);
  }

  private PersonCodes.Claim ask(MfaDevice device, String holder, String requester, String annotated) {
    return codes.claim(device, holder, change(requester), annotated, PERIOD);
  }

  /** {@code requester}'s change at generation 1: switching MFA Delete on (no weakening). */
  private static CodeChange change(String requester) {
    return change(requester, 1, false);
  }

  private static CodeChange change(String requester, long generation, boolean weakens) {
    String bucket = requester.substring(requester.indexOf('/') + 1);
    String before = weakens ? "versioning Enabled, MFA Delete Enabled" : "versioning Enabled, MFA Delete Disabled";
    String after = weakens ? "versioning Enabled, MFA Delete Disabled" : "versioning Enabled, MFA Delete Enabled";
    return new CodeChange(requester, "bucket " + bucket + ": MFA Delete " + (weakens ? "Enabled -> Disabled"
        : "Disabled -> Enabled"), CodeChange.changeId("uid-" + requester, generation, bucket, before, after,
        DEVICE.serialNumber()), weakens);
  }

  private static String id(String requester) {
    return change(requester).id();
  }

  private static void assertWait(int position, int length, boolean codeWaiting, PersonCodes.Claim claim) {
    assertEquals(new PersonCodes.Wait(position, length, codeWaiting), claim);
  }

  private static String used(PersonCodes.Claim claim) {
    return assertInstanceOf(PersonCodes.Use.class, claim).code();
  }

  private static String expired(PersonCodes.Claim claim) {
    return assertInstanceOf(PersonCodes.Expired.class, claim).why();
  }

  /** A person annotates {@code code} on {@code holder}, and the informer sees the update. */
  private void arrives(String holder, String previous, String code) {
    codes.changed(holder, previous, code);
  }

  @Test
  void changesWaitInTheOrderTheyFirstAskedAndKeepTheirPlaceWhenTheyAskAgain() {
    assertWait(1, 1, false, ask("team/a", null));
    after(1_000);
    assertWait(2, 2, false, ask("team/b", null));
    after(1_000);
    assertWait(3, 3, false, ask("team/c", null));
    after(1_000);
    assertWait(3, 3, false, ask("team/c", null));
    assertWait(1, 3, false, ask("team/a", null));
    assertWait(2, 3, false, ask("team/b", null));
  }

  @Test
  void theHeadOfTheLineGetsTheCodeAndTheOthersWaitForTheNext() {
    ask("team/a", null);
    ask("team/b", null);
    ask("team/c", null);
    after(10_000);
    arrives(ACCOUNT, null, CODE);
    // Every waiter is triggered at once; the ones behind are told a code waits for one ahead.
    assertWait(3, 3, true, ask("team/c", CODE));
    assertWait(2, 3, true, ask("team/b", CODE));
    assertEquals(CODE, used(ask("team/a", CODE)));
    // The used code is removed; b now heads the line, c follows.
    arrives(ACCOUNT, CODE, null);
    after(PersonCodes.ARRIVAL_GRACE_MILLIS + 500);
    assertWait(1, 2, false, ask("team/b", null));
    assertWait(2, 2, false, ask("team/c", null));
    arrives(ACCOUNT, null, "654321");
    assertEquals("654321", used(ask("team/b", "654321")));
  }

  @Test
  void aWaiterAheadThatHasNotAskedSinceTheCodeArrivedIsPassedOverAfterTheGrace() {
    ask("team/gone", null);
    ask("team/b", null);
    after(10_000);
    arrives(ACCOUNT, null, CODE);
    after(PersonCodes.ARRIVAL_GRACE_MILLIS - 1);
    assertWait(2, 2, true, ask("team/b", CODE));
    after(1);
    // "gone" (deleted, or no longer needing a code) did not ask within the grace: b takes the code.
    assertEquals(CODE, used(ask("team/b", CODE)));
    // "gone" stays in line (until it is stale): it has not left.
    assertEquals(Map.of(DEVICE.toString(), 1), codes.waitingByDevice());
  }

  @Test
  void aWaiterAheadThatAskedSinceTheCodeArrivedIsNeverPassedOver() {
    ask("team/a", null);
    ask("team/b", null);
    after(10_000);
    arrives(ACCOUNT, null, CODE);
    after(100);
    // a asks, but its view of the holder does not show the code yet (a lagging cache): it keeps its place.
    assertWait(1, 2, false, ask("team/a", null));
    after(PersonCodes.ARRIVAL_GRACE_MILLIS + 1_000);
    assertWait(2, 2, true, ask("team/b", CODE));
    assertEquals(CODE, used(ask("team/a", CODE)));
  }

  @Test
  void waitersThatStoppedAskingAreForgottenAfterAFewMinutes() {
    ask("team/a", null);
    after(60_000);
    ask("team/b", null);
    after(PersonCodes.STALE_MILLIS - 60_000);
    assertEquals(Map.of(DEVICE.toString(), 2), codes.waitingByDevice(), "a asked exactly STALE_MILLIS ago");
    after(1);
    assertEquals(Map.of(DEVICE.toString(), 1), codes.waitingByDevice(), "a is stale; b is not");
    assertTrue(codes.next(ACCOUNT).orElseThrow().describe().contains("next: BucketProtection team/b"),
        codes.next(ACCOUNT).get().describe());
    assertWait(1, 1, false, ask("team/b", null));
    after(PersonCodes.STALE_MILLIS + 1);
    assertEquals(Map.of(), codes.waitingByDevice());
    assertEquals(Optional.empty(), codes.next(ACCOUNT));
  }

  @Test
  void aCodeSentOnceIsNeverSentAgainForTheSameDeviceFromAnyHolder() {
    arrives(ACCOUNT, null, CODE);
    assertEquals(CODE, used(ask("team/a", CODE)));
    // Annotated again on the same holder, and on another holder of the same device.
    arrives(ACCOUNT, CODE, null);
    arrives(ACCOUNT, null, CODE);
    assertTrue(expired(ask("team/b", CODE)).contains("already sent that code"));
    arrives(OTHER_ACCOUNT, null, CODE);
    assertTrue(expired(ask(DEVICE, OTHER_ACCOUNT, "team/c", CODE)).contains("already sent that code"));
    // Six digits repeat across devices: another device's first use of these digits is fine.
    arrives("BucketProtection/team/d", null, CODE);
    assertEquals(CODE, used(ask(OTHER_DEVICE, "BucketProtection/team/d", "team/d", CODE)));
  }

  @Test
  void aCodeIsTakenOnlyFromTheHolderItArrivedOn() {
    arrives(ACCOUNT, null, CODE);
    // Another object shows the same digits, but nothing arrived there.
    assertTrue(expired(ask(DEVICE, OTHER_ACCOUNT, "team/x", CODE)).contains("before the operator saw it arrive"));
    assertEquals(CODE, used(ask("team/a", CODE)));
  }

  @Test
  void aCodeIsFreshForOneStepFromItsArrival() {
    arrives(ACCOUNT, null, CODE);
    after(PERIOD * 1000L);
    assertEquals(CODE, used(ask("team/a", CODE)), "exactly one step after its arrival it is still fresh");

    arrives(ACCOUNT, CODE, "222222");
    after(PERIOD * 1000L + 1);
    String why = expired(ask("team/a", "222222"));
    assertTrue(why.contains("more than one step (30 s)"), why);
    // Expired once, expired for good (until a person types another).
    assertTrue(expired(ask("team/a", "222222")).contains("before the operator saw it arrive"));
    // A new value starts its own step.
    arrives(ACCOUNT, "222222", "333333");
    assertEquals("333333", used(ask("team/a", "333333")));
  }

  @Test
  void aCodeNeverSeenArrivingIsExpired() {
    // There when the operator started (the informer's first list is not an update).
    String why = expired(ask("team/a", CODE));
    assertTrue(why.contains("before the operator saw it arrive"), why);
    // A resync shows the same value again: not an arrival either.
    arrives(ACCOUNT, CODE, CODE);
    assertTrue(expired(ask("team/a", CODE)).contains("before the operator saw it arrive"));
    // A code that arrived and was then replaced: only the newest counts.
    arrives(ACCOUNT, CODE, "222222");
    assertTrue(expired(ask("team/a", CODE)).contains("before the operator saw it arrive"));
    assertEquals("222222", used(ask("team/a", "222222")));
  }

  @Test
  void aMalformedAnnotationIsExpiredAndNeverQuoted() {
    for (String bad : List.of("12345", "1234567", "12345a", " 123456", "123456\n", "١٢٣٤٥٦", "")) {
      arrives(ACCOUNT, null, bad);
      String why = expired(ask("team/a", bad));
      assertTrue(why.startsWith("it is not a 6-digit code"), bad + ": " + why);
      arrives(ACCOUNT, bad, null);
    }
  }

  @Test
  void clearForgetsEveryArrivalAndEveryLine() {
    ask("team/a", null);
    ask("team/b", null);
    arrives(ACCOUNT, null, CODE);
    codes.clear();
    assertEquals(Map.of(), codes.waitingByDevice());
    assertEquals(Optional.empty(), codes.next(ACCOUNT));
    // A new leader did not see the code arrive: it may have been there for long.
    assertTrue(expired(ask("team/a", CODE)).contains("before the operator saw it arrive"));
  }

  @Test
  void aUseNeverShowsItsCode() {
    arrives(ACCOUNT, null, CODE);
    PersonCodes.Claim use = ask("team/a", CODE);
    assertEquals("Use[<code>]", use.toString());
    assertFalse(String.valueOf(use).contains(CODE));
    arrives(ACCOUNT, CODE, "12345x");
    assertFalse(ask("team/a", "12345x").toString().contains("12345x"));
  }

  @Test
  void nextNamesHowManyWaitAndTheChangeTheNextCodeGoesTo() {
    assertEquals(Optional.empty(), codes.next(ACCOUNT));
    ask("team/a", null);
    assertEquals(Optional.of("1 change waits for a code; next: BucketProtection team/a, bucket a: MFA Delete"
        + " Disabled -> Enabled (change " + id("team/a") + ")"), codes.next(ACCOUNT).map(PersonCodes.Next::describe));
    assertEquals(id("team/a"), codes.next(ACCOUNT).orElseThrow().change().id());
    ask("team/b", null);
    ask(DEVICE, OTHER_ACCOUNT, "team/x", null);
    assertEquals(Optional.of("2 changes wait for a code; next: BucketProtection team/a, bucket a: MFA Delete"
        + " Disabled -> Enabled (change " + id("team/a") + ")"), codes.next(ACCOUNT).map(PersonCodes.Next::describe));
    assertTrue(codes.next(OTHER_ACCOUNT).orElseThrow().describe().startsWith("1 change waits"));
    codes.leave("team/a");
    assertTrue(codes.next(ACCOUNT).orElseThrow().describe().startsWith("1 change waits for a code; next:"
        + " BucketProtection team/b"), codes.next(ACCOUNT).get().describe());
    // A weakening is marked as one: the person signs it knowingly.
    codes.claim(DEVICE, ACCOUNT, change("team/b", 2, true), null, PERIOD);
    assertTrue(codes.next(ACCOUNT).orElseThrow().describe().endsWith("MFA Delete Enabled -> Disabled (change "
        + change("team/b", 2, true).id() + "; weakens protection)"), codes.next(ACCOUNT).get().describe());
  }

  @Test
  void waitingByDeviceCountsEveryLineOfEachDeviceAndLeavingEmptiesIt() {
    ask("team/a", null);
    ask(DEVICE, OTHER_ACCOUNT, "team/b", null);
    ask(OTHER_DEVICE, "BucketProtection/team/c", "team/c", null);
    assertEquals(Map.of(DEVICE.toString(), 2, OTHER_DEVICE.toString(), 1), codes.waitingByDevice());
    codes.leave("team/b");
    assertEquals(Map.of(DEVICE.toString(), 1, OTHER_DEVICE.toString(), 1), codes.waitingByDevice());
    codes.leave("team/a");
    codes.leave("team/c");
    assertEquals(Map.of(), codes.waitingByDevice());
  }

  @Test
  void aWaiterThatStillSeesTheCodeJustUsedWaitsRatherThanCallingItExpired() {
    ask("team/a", null);
    ask("team/b", null);
    arrives(ACCOUNT, null, CODE);
    assertEquals(CODE, used(ask("team/a", CODE)));
    // b's cache still shows the code while a's removal is under way: b waits, nothing is removed.
    assertWait(1, 1, false, ask("team/b", CODE));
    // The person types the same digits again on purpose: a real arrival, and a code already sent.
    arrives(ACCOUNT, CODE, null);
    arrives(ACCOUNT, null, CODE);
    assertTrue(expired(ask("team/b", CODE)).contains("already sent that code"));
  }

  @Test
  void watchersHearWhenALineGainsOrLosesAChangeAndOnlyThen() {
    List<String> heard = new java.util.ArrayList<>();
    codes.watchLines(heard::add);
    ask("team/a", null);
    ask("team/a", null);
    ask(DEVICE, OTHER_ACCOUNT, "team/b", null);
    assertEquals(List.of(ACCOUNT, OTHER_ACCOUNT), heard, "asking again is no change");
    arrives(ACCOUNT, null, CODE);
    used(ask("team/a", CODE));
    assertEquals(List.of(ACCOUNT, OTHER_ACCOUNT, ACCOUNT), heard);
    codes.leave("team/b");
    codes.leave("team/nobody");
    assertEquals(List.of(ACCOUNT, OTHER_ACCOUNT, ACCOUNT, OTHER_ACCOUNT), heard);
  }

  @Test
  void aChangesIdIsTheFirstTenHexCharactersOfTheSha256OfWhatItDoesAndToWhichBucket() throws Exception {
    String id = CodeChange.changeId("uid-1", 7, "logs", "versioning Enabled, MFA Delete Disabled",
        "versioning Enabled, MFA Delete Enabled", "arn:aws:iam::123456789012:mfa/root");
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(String.join("\0", "uid-1", "7", "logs",
        "versioning Enabled, MFA Delete Disabled -> versioning Enabled, MFA Delete Enabled",
        "arn:aws:iam::123456789012:mfa/root").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(java.util.HexFormat.of().formatHex(digest).substring(0, 10), id);
    // Any part changed is another change.
    List<String> others = List.of(
        CodeChange.changeId("uid-2", 7, "logs", "versioning Enabled, MFA Delete Disabled",
            "versioning Enabled, MFA Delete Enabled", "arn:aws:iam::123456789012:mfa/root"),
        CodeChange.changeId("uid-1", 8, "logs", "versioning Enabled, MFA Delete Disabled",
            "versioning Enabled, MFA Delete Enabled", "arn:aws:iam::123456789012:mfa/root"),
        CodeChange.changeId("uid-1", 7, "logs2", "versioning Enabled, MFA Delete Disabled",
            "versioning Enabled, MFA Delete Enabled", "arn:aws:iam::123456789012:mfa/root"),
        CodeChange.changeId("uid-1", 7, "logs", "versioning Enabled, MFA Delete Enabled",
            "versioning Enabled, MFA Delete Disabled", "arn:aws:iam::123456789012:mfa/root"),
        CodeChange.changeId("uid-1", 7, "logs", "versioning Enabled, MFA Delete Disabled",
            "versioning Enabled, MFA Delete Enabled", "arn:aws:iam::123456789012:mfa/other"));
    others.forEach(other -> assertFalse(other.equals(id), other));
    assertEquals(5, new java.util.HashSet<>(others).size());
  }

  @Test
  void aCodeThatNamesAChangeIsUsedAtOnceForThatChangeWhereverItIsInLine() {
    ask("team/a", null);
    ask("team/b", null);
    ask("team/c", null);
    arrives(ACCOUNT, null, CODE + "@" + id("team/c"));
    // The head asks first: the code is not its own, and c may take it.
    assertWait(1, 3, true, ask("team/a", CODE + "@" + id("team/c")));
    assertEquals(CODE, used(ask("team/c", CODE + "@" + id("team/c"))));
    assertWait(1, 2, false, ask("team/a", CODE + "@" + id("team/c")));
  }

  @Test
  void aChangeWhoseSpecChangedGetsANewIdGoesToTheBackAndTheOldIdIsRefusedAndUsedForNothingElse() {
    ask("team/a", null);
    ask("team/b", null);
    String oldId = id("team/a");
    // a's spec changes to a weakening: another change, at the back of the line.
    CodeChange swapped = change("team/a", 2, true);
    assertFalse(swapped.id().equals(oldId));
    assertWait(2, 2, false, codes.claim(DEVICE, ACCOUNT, swapped, null, PERIOD));
    assertWait(1, 2, false, ask("team/b", null));

    // The person types the code for the change it read before the swap.
    arrives(ACCOUNT, null, CODE + "@" + oldId);
    // Within the grace the named change might still ask (a restart, a lagging cache): everyone waits.
    assertWait(2, 2, true, codes.claim(DEVICE, ACCOUNT, swapped, CODE + "@" + oldId, PERIOD));
    assertWait(1, 2, true, ask("team/b", CODE + "@" + oldId));
    after(PersonCodes.ARRIVAL_GRACE_MILLIS);
    String why = expired(codes.claim(DEVICE, ACCOUNT, swapped, CODE + "@" + oldId, PERIOD));
    assertTrue(why.contains("it names change " + oldId + ", which is not waiting"), why);
    assertFalse(why.contains(CODE), why);
    // Refused once, for everyone: b, whose cache still shows it, waits quietly and takes nothing.
    assertWait(1, 2, false, ask("team/b", CODE + "@" + oldId));
  }

  @Test
  void aCodeThatNamesNoChangeNeverSignsAWeakening() {
    CodeChange weakening = change("team/w", 2, true);
    assertWait(1, 1, false, codes.claim(DEVICE, ACCOUNT, weakening, null, PERIOD));
    arrives(ACCOUNT, null, CODE);
    String why = expired(codes.claim(DEVICE, ACCOUNT, weakening, CODE, PERIOD));
    assertTrue(why.contains("never signs a weakening") && why.contains("name the change"), why);
    // Named, the same digits sign it (they were never sent).
    arrives(ACCOUNT, CODE, CODE + "@" + weakening.id());
    assertEquals(CODE, used(codes.claim(DEVICE, ACCOUNT, weakening, CODE + "@" + weakening.id(), PERIOD)));
  }

  @Test
  void aCodeThatNamesNoChangeIsRefusedWhereTwoDevicesTakeCodesFromTheSameObject() {
    ask(DEVICE, ACCOUNT, "team/a", null);
    ask(OTHER_DEVICE, ACCOUNT, "team/b", null);
    arrives(ACCOUNT, null, CODE);
    String why = expired(ask(DEVICE, ACCOUNT, "team/a", CODE));
    assertTrue(why.contains("name the change"), why);
    arrives(ACCOUNT, CODE, CODE + "@" + id("team/b"));
    assertWait(1, 1, true, ask(DEVICE, ACCOUNT, "team/a", CODE + "@" + id("team/b")));
    assertEquals(CODE, used(ask(OTHER_DEVICE, ACCOUNT, "team/b", CODE + "@" + id("team/b"))));
  }

  @Test
  void anAnnotationThatIsNeitherACodeNorACodeNamingAChangeIsExpiredAndNeverQuoted() {
    for (String bad : List.of("123456@", "123456@abc", "123456@" + "0123456789a", "123456@0123456789 ",
        "@0123456789", "123456@ABCDEF0123", "12345@0123456789")) {
      arrives(ACCOUNT, null, bad);
      String why = expired(ask("team/a", bad));
      assertTrue(why.startsWith("it is not a 6-digit code"), bad + ": " + why);
      assertFalse(why.contains(bad), why);
      arrives(ACCOUNT, bad, null);
    }
  }

  @Test
  void namespacesTakeTurnsForCodesThatNameNoChange() {
    ask("a/1", null);
    ask("a/2", null);
    ask("a/3", null);
    ask("b/1", null);
    arrives(ACCOUNT, null, CODE);
    assertEquals(CODE, used(ask("a/1", CODE)));
    arrives(ACCOUNT, CODE, null);
    after(PersonCodes.ARRIVAL_GRACE_MILLIS);
    arrives(ACCOUNT, null, "222222");
    // b joined after a's three changes, and is served second.
    assertWait(1, 2, true, ask("a/2", "222222"));
    assertEquals("222222", used(ask("b/1", "222222")));
  }

  @Test
  void aPlaceInLineCountsOnlyTheAskersOwnNamespace() {
    ask("x/1", null);
    ask("y/1", null);
    ask("x/2", null);
    ask("y/2", null);
    ask("x/3", null);
    // x's third change is third of x's three; y's are first and second of y's two: nothing of the other namespace.
    assertWait(3, 3, false, ask("x/3", null));
    assertWait(1, 2, false, ask("y/1", null));
    assertWait(2, 2, false, ask("y/2", null));
  }
}
