package io.bucketprotection.operator.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A pool of devices: N codes a step, a paused device drops out, fairness holds across the pool. */
class MfaDevicePoolTest {

  private static final Duration PAUSE = Duration.ofMinutes(15);
  private static final List<MfaDevice> DEVICES = IntStream.range(0, 4)
      .mapToObj(i -> new MfaDevice("aws", "arn:aws:iam::123456789012:mfa/pool-" + i)).toList();

  private static List<PoolDevice> pool(int size) {
    return DEVICES.subList(0, size).stream()
        .map(d -> new PoolDevice(d, 30, 0, new PoolDevice.Seed("Secret ops/" + d.serialNumber(), "f"))).toList();
  }

  /** A ledger past its restart guard, at the start of step 10. */
  private static MfaCodeLedger ledger(MutableClock clock) {
    clock.set(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(300));
    return ledger;
  }

  @Test
  void nChangesOnADeviceEachTakeNDifferentDevicesInTheSameStep() {
    MutableClock clock = new MutableClock(Instant.EPOCH);
    MfaCodeLedger ledger = ledger(clock);
    List<Reservation> answers = IntStream.range(0, 6).mapToObj(i -> ledger.reserve(pool(4), "team/b" + i)).toList();
    Set<MfaDevice> granted = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      Reservation.Granted grant = assertInstanceOf(Reservation.Granted.class, answers.get(i), "b" + i);
      assertEquals(10, grant.step());
      granted.add(grant.device());
    }
    assertEquals(Set.copyOf(DEVICES), granted, "one change per device");
    Reservation.Wait fifth = assertInstanceOf(Reservation.Wait.class, answers.get(4));
    assertEquals(DEVICES.get(0), fifth.device(), "the earliest free step: step 11 of the pool's first device");
    assertEquals(Instant.ofEpochSecond(330), fifth.retryAt());
    Reservation.Wait sixth = assertInstanceOf(Reservation.Wait.class, answers.get(5));
    assertEquals(DEVICES.get(1), sixth.device());
    assertEquals(1, sixth.devicePlace(), "first of its namespace on that device");
    assertEquals(2, sixth.ownPlace());
  }

  @Test
  void fortyChangesOnFourDevicesTakeTenStepsEachDeviceOncePerStepInOrder() {
    MutableClock clock = new MutableClock(Instant.EPOCH);
    MfaCodeLedger ledger = ledger(clock);
    List<String> pending = new ArrayList<>(IntStream.range(0, 40).mapToObj(i -> "team/b" + i).toList());
    Map<MfaDevice, List<Long>> used = new HashMap<>();
    long lastStep = 0;
    while (!pending.isEmpty() && clock.instant().getEpochSecond() < 3_000) {
      for (String requester : List.copyOf(pending)) {
        if (ledger.reserve(pool(4), requester) instanceof Reservation.Granted grant) {
          used.computeIfAbsent(grant.device(), d -> new ArrayList<>()).add(grant.step());
          lastStep = Math.max(lastStep, grant.step());
          pending.remove(requester);
        }
      }
      clock.set(clock.instant().plusSeconds(30));
    }
    assertTrue(pending.isEmpty(), pending.toString());
    assertEquals(19, lastStep, "steps 10 to 19: 40 changes / 4 devices");
    used.forEach((device, steps) -> {
      assertEquals(10, steps.size(), device.toString());
      for (int i = 1; i < steps.size(); i++) {
        assertTrue(steps.get(i) > steps.get(i - 1), device + " used " + steps);
      }
    });
  }

  @Test
  void aPausedDeviceDropsOutAndItsWaitersTakeTheOthersAtOnceThenItComesBack() {
    MutableClock clock = new MutableClock(Instant.EPOCH);
    MfaCodeLedger ledger = ledger(clock);
    Reservation.Granted first = assertInstanceOf(Reservation.Granted.class, ledger.reserve(pool(2), "team/a"));
    assertEquals(DEVICES.get(0), first.device());
    ledger.refusedFor(first.device(), "team/a", pool(2).get(0).seed(), true);
    clock.set(Instant.ofEpochSecond(330));
    Reservation.Granted again = assertInstanceOf(Reservation.Granted.class, ledger.reserve(pool(2), "team/a"));
    ledger.refusedFor(again.device(), "team/a", pool(2).get(0).seed(), true);
    // Two refusals of device 0: it is paused; every waiter now takes device 1, step by step.
    assertEquals(DEVICES.get(0), again.device());
    clock.set(Instant.ofEpochSecond(360));
    for (int i = 0; i < 3; i++) {
      Reservation answer = ledger.reserve(pool(2), "team/w" + i);
      if (i == 0) {
        assertEquals(DEVICES.get(1), assertInstanceOf(Reservation.Granted.class, answer).device());
      } else {
        assertEquals(DEVICES.get(1), assertInstanceOf(Reservation.Wait.class, answer).device());
      }
    }
    assertTrue(ledger.report(DEVICES.subList(0, 2), List.of(30, 30)).get(0).paused());
    clock.set(Instant.ofEpochSecond(360).plus(PAUSE));
    Reservation back = ledger.reserve(pool(2), "team/w1");
    assertEquals(DEVICES.get(0), assertInstanceOf(Reservation.Granted.class, back).device(), "it takes work again");
  }

  @Test
  void everyDevicePausedAnswersWithThePauseThatEndsFirst() {
    MutableClock clock = new MutableClock(Instant.EPOCH);
    MfaCodeLedger ledger = ledger(clock);
    for (int device = 1; device >= 0; device--) {
      for (int i = 0; i < 2; i++) {
        Reservation.Granted grant = assertInstanceOf(Reservation.Granted.class,
            ledger.reserve(List.of(pool(2).get(device)), "team/a"));
        ledger.refusedFor(grant.device(), "team/a", pool(2).get(device).seed(), true);
        clock.set(clock.instant().plusSeconds(30));
      }
    }
    Reservation.Paused paused = assertInstanceOf(Reservation.Paused.class, ledger.reserve(pool(2), "team/a"));
    assertEquals(DEVICES.get(1), paused.device(), "device 1 was paused first, so it comes back first");
    assertEquals(0, ledger.waiting(), "no device serves the pool's line: it empties, as a device alone's does");
  }

  @Test
  void aNamespaceWithManyChangesDelaysAnotherByOneTurnAcrossThePool() {
    MutableClock clock = new MutableClock(Instant.EPOCH);
    MfaCodeLedger ledger = ledger(clock);
    IntStream.range(0, 20).forEach(i -> ledger.reserve(pool(2), "busy/b" + i));
    Reservation.Wait other = assertInstanceOf(Reservation.Wait.class, ledger.reserve(pool(2), "quiet/q"));
    // busy/b0 and b1 took step 10 of both devices; next in turn: busy/b2, then quiet/q.
    assertEquals(2, other.position());
    assertEquals(DEVICES.get(1), other.device());
    assertEquals(Instant.ofEpochSecond(330), other.retryAt());
  }

  @Test
  void aDeviceInTwoPoolsIsStillUsedOncePerStep() {
    MutableClock clock = new MutableClock(Instant.EPOCH);
    MfaCodeLedger ledger = ledger(clock);
    List<PoolDevice> first = pool(2);
    List<PoolDevice> second = List.of(pool(3).get(2), pool(3).get(1));
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      for (Reservation answer : List.of(ledger.reserve(first, "a/x" + i), ledger.reserve(second, "b/y" + i))) {
        if (answer instanceof Reservation.Granted grant) {
          assertTrue(used.add(grant.device() + "@" + grant.step()), grant.device() + " twice in step " + grant.step());
        }
      }
    }
    assertEquals(3, used.size(), "three devices, one step each");
  }

  @Test
  void afterARestartNoDeviceOfThePoolGivesACodeUntilTheStepsThePreviousProcessMayHaveUsedAreOver() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(305)); // step 10, 5 s in
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    for (int i = 0; i < 4; i++) {
      Reservation.Wait wait = assertInstanceOf(Reservation.Wait.class, ledger.reserve(pool(4), "team/b" + i));
      assertEquals(Instant.ofEpochSecond(330), wait.retryAt(), "b" + i);
    }
    clock.set(Instant.ofEpochSecond(330));
    Set<MfaDevice> granted = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      Reservation.Granted grant = assertInstanceOf(Reservation.Granted.class, ledger.reserve(pool(4), "team/b" + i));
      assertEquals(11, grant.step());
      granted.add(grant.device());
    }
    assertEquals(4, granted.size());
  }

  @Test
  void theReportSaysWhatEachDeviceDoes() {
    MutableClock clock = new MutableClock(Instant.EPOCH);
    MfaCodeLedger ledger = ledger(clock);
    IntStream.range(0, 5).forEach(i -> ledger.reserve(pool(2), "team/b" + i));
    List<DeviceReport> report = ledger.report(DEVICES.subList(0, 2), List.of(30, 30));
    assertEquals(List.of(11L, 11L), report.stream().map(DeviceReport::nextFreeStep).toList());
    assertEquals(List.of(2, 1), report.stream().map(DeviceReport::waiting).toList(), "b2, b4 on 0; b3 on 1");
    assertTrue(report.stream().allMatch(r -> r.known() && !r.paused()));
    assertEquals(Map.of(DEVICES.get(0).toString(), 2, DEVICES.get(1).toString(), 1), ledger.waitingByDevice());
    // A device of a pool that has not handed out a step yet has no next free step to show.
    MfaCodeLedger fresh = ledger(new MutableClock(Instant.EPOCH));
    assertEquals(DEVICES.get(0), assertInstanceOf(Reservation.Granted.class, fresh.reserve(pool(2), "team/a")).device());
    List<DeviceReport> first = fresh.report(DEVICES.subList(0, 2), List.of(30, 30));
    assertEquals(List.of(true, false), first.stream().map(DeviceReport::known).toList());
  }
}
