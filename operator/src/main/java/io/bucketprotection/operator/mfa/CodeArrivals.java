package io.bucketprotection.operator.mfa;

import io.bucketprotection.operator.mfa.PersonCodes.Expired;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * What {@link PersonCodes} remembers of the codes themselves, as hashes only: the latest code seen
 * arriving on each object (and when), the annotation last used or refused from each object, and
 * the last codes sent per device, so that none is ever sent twice. Not thread-safe: {@link
 * PersonCodes} holds its lock around every use.
 */
final class CodeArrivals {

  /** A code's hash with its object, and when it was seen arriving. */
  record Arrival(String hash, long atMillis) {
  }

  /** Hashes of sent codes kept per device: far more than a person types within a code's window. */
  private static final int SENT_PER_DEVICE = 32;

  /** Object key ("ClusterS3Account/root") -> the latest code seen arriving on it. */
  private final Map<String, Arrival> arrivals = new HashMap<>();
  /**
   * Object key -> the annotation last used from it, or refused for naming the wrong change or
   * none: while its removal is under way, other waiters may still see it in their cache, and wait
   * rather than call it expired.
   */
  private final Map<String, String> settledFrom = new HashMap<>();
  /** Device -> the codes sent for it, newest last. */
  private final Map<MfaDevice, Deque<String>> sent = new HashMap<>();

  /** An object's annotation changed: a new value arrives at {@code nowMillis}. */
  void changed(String holderKey, String previous, String current, long nowMillis) {
    if (current == null) {
      arrivals.remove(holderKey);
    } else if (!current.equals(previous)) {
      arrivals.put(holderKey, new Arrival(hash(holderKey, current), nowMillis));
    }
  }

  Arrival arrival(String holderKey) {
    return arrivals.get(holderKey);
  }

  /** The value was just used or refused from this object, and its removal may not have reached every cache. */
  boolean settled(String holderKey, String annotated) {
    return hash(holderKey, annotated).equals(settledFrom.get(holderKey));
  }

  /** The code's arrival is no longer usable by anyone (malformed, reused, too old). */
  void forget(String holderKey) {
    arrivals.remove(holderKey);
  }

  /** The hash by which a code sent for {@code device} is remembered. */
  static String sentHash(MfaDevice device, String digits) {
    return hash(device.toString(), digits);
  }

  /** Why the annotated code may not be used by anyone, or null when it is fresh and unused. */
  Expired unusable(MfaDevice device, String holderKey, String annotated, String sentHash, long now,
      int periodSeconds) {
    Arrival arrival = arrivals.get(holderKey);
    if (arrival == null || !arrival.hash().equals(hash(holderKey, annotated))) {
      return new Expired("it was there before the operator saw it arrive (it may be old); a code is used only"
          + " if it arrives while the operator runs");
    }
    if (sent.getOrDefault(device, new ArrayDeque<>()).contains(sentHash)) {
      arrivals.remove(holderKey);
      return new Expired("the operator already sent that code for this device, and a code is used once");
    }
    if (now - arrival.atMillis() > periodSeconds * 1000L) {
      arrivals.remove(holderKey);
      return new Expired("it arrived more than one step (" + periodSeconds + " s) ago");
    }
    return null;
  }

  /** The code was sent for {@code device}: never again, from this object or any other. */
  void used(MfaDevice device, String holderKey, Arrival arrival, String sentHash) {
    settled(holderKey, arrival);
    Deque<String> deviceSent = sent.computeIfAbsent(device, d -> new ArrayDeque<>());
    deviceSent.addLast(sentHash);
    if (deviceSent.size() > SENT_PER_DEVICE) {
      deviceSent.removeFirst();
    }
  }

  /** The code was used, or refused for every change: its object's arrival is settled. */
  void settled(String holderKey, Arrival arrival) {
    arrivals.remove(holderKey);
    settledFrom.put(holderKey, arrival.hash());
  }

  void clear() {
    arrivals.clear();
    settledFrom.clear();
  }

  /** SHA-256 of a code with what it belongs to: tells codes apart without keeping one. */
  static String hash(String scope, String code) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(scope.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(code.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
