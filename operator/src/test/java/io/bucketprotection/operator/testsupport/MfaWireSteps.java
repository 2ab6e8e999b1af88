package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.mfa.InvalidTotpSeedException;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The TOTP steps of the codes seen on the wire (an {@code x-amz-mfa} value "serial code", as
 * {@code S3CountingProxy}'s MFA tap hands it over), per device, for a test that knows each device's
 * seed. A server takes one code per step per device and only increasing steps, so a test can check
 * that the operator never sent a code the server must refuse: {@link
 * #assertEachDeviceAtMostOncePerStepAndIncreasing()}. That is necessary, not sufficient, for
 * RadosGW: a code it takes from a past step marks a later one as used (now plus the offset's size,
 * cls_otp), and five checks in one period lock the device, so it may refuse a code passed here.
 *
 * <p>A code's step is found by searching the steps within {@value #SEARCH} of the step at its
 * arrival, nearest first, for the one whose code matches. A value with an unknown serial, a bad
 * shape, or a code of none of those steps is counted as {@link #unmatched()}. Codes and seeds are
 * kept only to compare: no message, exception or {@link #toString()} shows one. Thread-safe: the
 * proxy records from its own threads.
 */
public final class MfaWireSteps {

  /** Steps searched either side of the arrival's: beyond RadosGW's window of 2 and AWS's of 1. */
  static final int SEARCH = 3;

  private final Map<String, TotpSeed> seeds = new LinkedHashMap<>();
  private final int periodSeconds;
  private final TotpCodeGenerator generator = new TotpCodeGenerator();
  private final Map<String, List<Long>> steps = new TreeMap<>();
  private int sent;
  private int unmatched;

  /**
   * @param base32SeedsBySerial the test's seed of each device, by serial
   * @param periodSeconds the devices' step length
   */
  public MfaWireSteps(Map<String, String> base32SeedsBySerial, int periodSeconds) {
    if (periodSeconds <= 0) {
      throw new IllegalArgumentException("a step is at least one second long, not " + periodSeconds);
    }
    base32SeedsBySerial.forEach((serial, seed) -> {
      try {
        seeds.put(serial, TotpSeed.parse(seed));
      } catch (InvalidTotpSeedException e) {
        throw new IllegalArgumentException("the seed of device " + serial + " is not usable: " + e.getMessage());
      }
    });
    this.periodSeconds = periodSeconds;
  }

  /** One x-amz-mfa value ("serial code") that arrived at {@code at}. */
  public synchronized void record(String headerValue, Instant at) {
    sent++;
    String value = headerValue == null ? "" : headerValue.trim();
    int space = value.lastIndexOf(' ');
    String serial = space <= 0 ? null : value.substring(0, space).trim();
    Long step = serial == null ? null : stepOf(serial, value.substring(space + 1), at);
    if (step == null) {
      unmatched++;
    } else {
      steps.computeIfAbsent(serial, s -> new ArrayList<>()).add(step);
    }
  }

  /** The step of the device's code nearest {@code at}, or null when none matches (or the device is unknown). */
  private Long stepOf(String serial, String code, Instant at) {
    TotpSeed seed = seeds.get(serial);
    if (seed == null || !code.matches("[0-9]{6}")) {
      return null;
    }
    long arrival = Math.floorDiv(at.getEpochSecond(), periodSeconds);
    for (int distance = 0; distance <= SEARCH; distance++) {
      for (long step : distance == 0 ? new long[] {arrival} : new long[] {arrival - distance, arrival + distance}) {
        if (code.equals(codeAt(seed, step))) {
          return step;
        }
      }
    }
    return null;
  }

  private String codeAt(TotpSeed seed, long step) {
    try {
      return generator.code(seed, step);
    } catch (InvalidTotpSeedException e) {
      throw new IllegalStateException("a seed that parsed gave no code", e);
    }
  }

  /** The steps of each device's matched codes, in arrival order, by serial. */
  public synchronized Map<String, List<Long>> stepsBySerial() {
    Map<String, List<Long>> copy = new TreeMap<>();
    steps.forEach((serial, list) -> copy.put(serial, List.copyOf(list)));
    return copy;
  }

  /**
   * Fails, naming the device and the step (never the code), when a device's code was sent twice
   * for one step or for a step below one already sent: a server refuses both.
   */
  public synchronized void assertEachDeviceAtMostOncePerStepAndIncreasing() {
    List<String> problems = new ArrayList<>();
    steps.forEach((serial, list) -> {
      for (int i = 1; i < list.size(); i++) {
        long previous = list.get(i - 1);
        long step = list.get(i);
        if (step == previous) {
          problems.add("device " + serial + " was sent a code of step " + step + " twice (codes "
              + i + " and " + (i + 1) + " of that device)");
        } else if (step < previous) {
          problems.add("device " + serial + " was sent a code of step " + step + " after one of step " + previous
              + " (code " + (i + 1) + " of that device): steps must increase");
        }
      }
    });
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("\n", problems));
    }
  }

  /** Values whose code matched no step near its arrival, or whose serial or shape was unknown. */
  public synchronized int unmatched() {
    return unmatched;
  }

  /** Every value recorded, matched or not. */
  public synchronized int codesSent() {
    return sent;
  }

  @Override
  public synchronized String toString() {
    return "MfaWireSteps[" + sent + " codes, " + unmatched + " unmatched, steps " + steps + "]";
  }
}
