package io.bucketprotection.operator.mfa;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Codes a person types for MFA devices whose seed nobody stores. A person annotates the object
 * that names the device (an account, or the BucketProtection of an inline device) with
 * {@code bucketprotection.io/mfa-code}; the changes that take codes from that object wait in one
 * line, and each code goes to the change that has waited longest, once.
 *
 * <p>A code is usable only while it is fresh: the operator must have seen it arrive (an update
 * of the object, watched by this process while leading) less than one time step ago. A code
 * that was there before, or that waited too long, or that this process already sent for the same
 * device, is expired: the caller removes it unused and says why. Codes are never kept, only a
 * hash of the latest one per object and of the last codes sent per device, so that none is sent
 * twice; {@link Use#toString()} never shows one.
 */
public final class PersonCodes {

  /** What a change asking for a code gets. */
  public sealed interface Claim permits Use, Wait, Expired {
  }

  /** Send this code now; it counts as used from this moment. */
  public static final class Use implements Claim {
    private final String code;

    Use(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    @Override
    public String toString() {
      return "Use[<code>]";
    }
  }

  /**
   * No usable code for this change yet: {@code position} of {@code queueLength} in line.
   *
   * @param codeWaiting a fresh code waits for a change ahead of this one that may be gone: ask
   *     again within moments, or it may expire unused
   */
  public record Wait(int position, int queueLength, boolean codeWaiting) implements Claim {
  }

  /** The annotated code may not be used (and should be removed); {@code why} never quotes it. */
  public record Expired(String why) implements Claim {
  }

  private static final Pattern CODE = Pattern.compile("[0-9]{6}");
  /** A waiter that has not asked again for this long has gone (deleted, or no longer needs a code). */
  static final long STALE_MILLIS = 3 * 60_000;
  /**
   * After a code arrives, every waiter of its object is triggered; one ahead in line that has not
   * asked again this long after the arrival is passed over, so a gone waiter cannot let the code
   * expire.
   */
  public static final long ARRIVAL_GRACE_MILLIS = 3_000;
  /** Hashes of sent codes kept per device: far more than a person types within a code's window. */
  private static final int SENT_PER_DEVICE = 32;

  private record Arrival(String hash, long atMillis) {
  }

  private static final class Waiter {
    long lastAskedMillis;
    String change;
  }

  private final Clock clock;
  /** Object key ("ClusterS3Account/root") -> the latest code seen arriving on it. */
  private final Map<String, Arrival> arrivals = new HashMap<>();
  /**
   * Object key -> the code last used from it: while its removal is under way, other waiters may
   * still see it in their cache, and wait rather than call it expired.
   */
  private final Map<String, String> usedFrom = new HashMap<>();
  /** Device -> the codes sent for it, newest last. */
  private final Map<MfaDevice, Deque<String>> sent = new HashMap<>();
  /** (device, object key) -> waiting changes in arrival order. */
  private final Map<Line, LinkedHashMap<String, Waiter>> lines = new HashMap<>();

  private record Line(MfaDevice device, String holderKey) {
  }

  /** Told the key of an object whose line gained or lost a change (so its status can say so). */
  private final List<Consumer<String>> lineWatchers = new CopyOnWriteArrayList<>();

  public PersonCodes(Clock clock) {
    this.clock = clock;
  }

  /**
   * Calls {@code watcher} with an object's key whenever a change joins or leaves the line of codes
   * taken from that object. The watcher must not block (it runs while this object is locked).
   */
  public void watchLines(Consumer<String> watcher) {
    lineWatchers.add(watcher);
  }

  private void lineChanged(String holderKey) {
    lineWatchers.forEach(watcher -> watcher.accept(holderKey));
  }

  /**
   * An object's code annotation changed (an informer update: the only place that sees the old
   * value and the new). A new value starts its step-long life now.
   */
  public synchronized void changed(String holderKey, String previous, String current) {
    if (current == null) {
      arrivals.remove(holderKey);
    } else if (!current.equals(previous)) {
      arrivals.put(holderKey, new Arrival(hash(holderKey, current), clock.millis()));
    }
  }

  /**
   * A change that needs a code from {@code device}, taken from {@code holderKey}'s annotation.
   *
   * @param requester "namespace/name" of the BucketProtection: its place in line is kept
   * @param change what the change does, for the holder's status ("bucket b: versioning ...")
   * @param annotated the annotation's value now, or null
   */
  public synchronized Claim claim(MfaDevice device, String holderKey, String requester, String change,
      String annotated, int periodSeconds) {
    long now = clock.millis();
    LinkedHashMap<String, Waiter> line = lines.computeIfAbsent(new Line(device, holderKey), k -> new LinkedHashMap<>());
    boolean staleLeft = line.values().removeIf(w -> now - w.lastAskedMillis > STALE_MILLIS);
    Waiter me = line.get(requester);
    if (me == null || staleLeft) {
      me = line.computeIfAbsent(requester, k -> new Waiter());
      lineChanged(holderKey);
    }
    me.lastAskedMillis = now;
    me.change = change;
    if (annotated == null) {
      return wait(line, requester, false);
    }
    if (!CODE.matcher(annotated).matches()) {
      arrivals.remove(holderKey);
      return new Expired("it is not a 6-digit code");
    }
    Arrival arrival = arrivals.get(holderKey);
    if (arrival == null && hash(holderKey, annotated).equals(usedFrom.get(holderKey))) {
      return wait(line, requester, false);
    }
    if (arrival == null || !arrival.hash().equals(hash(holderKey, annotated))) {
      return new Expired("it was there before the operator saw it arrive (it may be old); a code is used only"
          + " if it arrives while the operator runs");
    }
    String sentHash = hash(device.toString(), annotated);
    if (sent.getOrDefault(device, new ArrayDeque<>()).contains(sentHash)) {
      arrivals.remove(holderKey);
      return new Expired("the operator already sent that code for this device, and a code is used once");
    }
    if (now - arrival.atMillis() > periodSeconds * 1000L) {
      arrivals.remove(holderKey);
      return new Expired("it arrived more than one step (" + periodSeconds + " s) ago");
    }
    if (ahead(line, requester, arrival, now) > 0) {
      return wait(line, requester, true);
    }
    // Used from here on, whatever S3 says: never twice, never for another change.
    line.remove(requester);
    lineChanged(holderKey);
    arrivals.remove(holderKey);
    usedFrom.put(holderKey, arrival.hash());
    Deque<String> deviceSent = sent.computeIfAbsent(device, d -> new ArrayDeque<>());
    deviceSent.addLast(sentHash);
    if (deviceSent.size() > SENT_PER_DEVICE) {
      deviceSent.removeFirst();
    }
    return new Use(annotated);
  }

  /** The requester no longer waits for a code (applied, or its spec changed): it leaves every line. */
  public synchronized void leave(String requester) {
    Iterator<Map.Entry<Line, LinkedHashMap<String, Waiter>>> it = lines.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Line, LinkedHashMap<String, Waiter>> line = it.next();
      if (line.getValue().remove(requester) != null) {
        lineChanged(line.getKey().holderKey());
      }
      if (line.getValue().isEmpty()) {
        it.remove();
      }
    }
  }

  /** Changes waiting for a code, by device ("serial at endpoint"), for bpo_awaiting_mfa_code. */
  public synchronized Map<String, Integer> waitingByDevice() {
    long now = clock.millis();
    Map<String, Integer> waiting = new TreeMap<>();
    lines.forEach((line, waiters) -> {
      long live = waiters.values().stream().filter(w -> now - w.lastAskedMillis <= STALE_MILLIS).count();
      if (live > 0) {
        waiting.merge(line.device().toString(), (int) live, Integer::sum);
      }
    });
    return waiting;
  }

  /**
   * What waits for a code on {@code holderKey}, for its status: "2 changes wait for a code; next:
   * team/logs, bucket ...". Empty when nothing waits.
   */
  public synchronized Optional<String> next(String holderKey) {
    long now = clock.millis();
    List<Map.Entry<String, Waiter>> waiting = new ArrayList<>();
    lines.forEach((line, waiters) -> {
      if (line.holderKey().equals(holderKey)) {
        waiters.entrySet().stream().filter(e -> now - e.getValue().lastAskedMillis <= STALE_MILLIS)
            .forEach(waiting::add);
      }
    });
    if (waiting.isEmpty()) {
      return Optional.empty();
    }
    Map.Entry<String, Waiter> first = waiting.get(0);
    return Optional.of(waiting.size() + (waiting.size() == 1 ? " change waits" : " changes wait") + " for a code;"
        + " next: BucketProtection " + first.getKey() + ", " + first.getValue().change);
  }

  /** Forgets what this process saw: a new leader uses only codes that arrive while it leads. */
  public synchronized void clear() {
    arrivals.clear();
    usedFrom.clear();
    lines.clear();
  }

  /** Waiters ahead of {@code requester} that are still there (asked since the code came, or may yet). */
  private static int ahead(LinkedHashMap<String, Waiter> line, String requester, Arrival arrival, long now) {
    int ahead = 0;
    for (Map.Entry<String, Waiter> entry : line.entrySet()) {
      if (entry.getKey().equals(requester)) {
        return ahead;
      }
      boolean askedSince = entry.getValue().lastAskedMillis >= arrival.atMillis();
      if (askedSince || now - arrival.atMillis() < ARRIVAL_GRACE_MILLIS) {
        ahead++;
      }
    }
    return ahead;
  }

  private static Wait wait(LinkedHashMap<String, Waiter> line, String requester, boolean codeWaiting) {
    return new Wait(new ArrayList<>(line.keySet()).indexOf(requester) + 1, line.size(), codeWaiting);
  }

  /** SHA-256 of a code with what it belongs to: tells codes apart without keeping one. */
  private static String hash(String scope, String code) {
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
