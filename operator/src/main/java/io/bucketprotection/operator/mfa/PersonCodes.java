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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Codes a person types for MFA devices whose seed nobody stores. A person annotates the object
 * that names the device (an account, or the BucketProtection of an inline device) with
 * {@code bucketprotection.io/mfa-code}; the changes that take codes from that object wait in one
 * line per device, served one namespace at a time ({@link FairTurns}), and each code is used once.
 *
 * <p>A code signs the change the person saw. Every waiting change has an id ({@link #changeId}):
 * a different spec, bucket state or device is a different change, with a new id, at the back of
 * the line. The annotation {@code <code>@<change id>} is used at once for that change, wherever it
 * is in line, and for nothing else; a bare {@code <code>} goes to the head of the line, but never
 * signs a weakening, and is refused where two devices take codes from the same object. So a tenant
 * that swaps its change for a weakening between the moment the person reads the status and the
 * moment the code is typed gets nothing signed.
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
   * No usable code for this change yet: it is {@code place} of its own namespace's {@code ofOwn}
   * changes in this line (other namespaces' changes are neither counted nor named: the line is
   * theirs too).
   *
   * @param codeWaiting a fresh code waits for another change, which may be gone: ask again within
   *     moments, or it may expire unused
   */
  public record Wait(int place, int ofOwn, boolean codeWaiting) implements Claim {
  }

  /**
   * One change that asks for a code.
   *
   * @param requester "namespace/name" of the BucketProtection: its place in line is kept
   * @param describe what the change does, for the holder's status ("bucket b: MFA Delete ...")
   * @param id {@link #changeId}: what a code typed for this change names
   * @param weakens it weakens protection: only a code that names it signs it
   */
  public record Change(String requester, String describe, String id, boolean weakens) {
  }

  /**
   * What waits for a code on one object, for its status.
   *
   * @param waiting how many changes wait (every namespace's: the holder's status is for the person holding the device)
   * @param change the change the next code goes to
   */
  public record Next(int waiting, Change change) {

    /** "2 changes wait for a code; next: BucketProtection team/logs, bucket ... (change 3f9a2c71d0)". */
    public String describe() {
      return waiting + (waiting == 1 ? " change waits" : " changes wait") + " for a code; next: BucketProtection "
          + change.requester() + ", " + change.describe() + " (change " + change.id()
          + (change.weakens() ? "; weakens protection)" : ")");
    }
  }

  /** The annotated code may not be used (and should be removed); {@code why} never quotes it. */
  public record Expired(String why) implements Claim {
  }

  /** Hex characters of a change's id: 40 bits, so that ids of the changes waiting at once never collide by chance. */
  public static final int CHANGE_ID_LENGTH = 10;
  /** A code, or a code naming the change it is for: "123456" or "123456@3f9a2c71d0". */
  private static final Pattern ANNOTATION = Pattern.compile("([0-9]{6})(?:@([0-9a-f]{" + CHANGE_ID_LENGTH + "}))?");
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
    Change change;
  }

  /** One device's line on one object: the waiters in arrival order, served in turns. */
  private static final class WaitingLine {
    final LinkedHashMap<String, Waiter> waiters = new LinkedHashMap<>();
    final FairTurns turns = new FairTurns();

    /** The waiters in the order they are served. */
    List<Map.Entry<String, Waiter>> inTurn() {
      List<Map.Entry<String, Waiter>> order = new ArrayList<>(waiters.size());
      for (String requester : turns.order(waiters.keySet())) {
        order.add(Map.entry(requester, waiters.get(requester)));
      }
      return order;
    }
  }

  private final Clock clock;
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
  /** (device, object key) -> waiting changes. */
  private final Map<Line, WaitingLine> lines = new HashMap<>();

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
   * The id of a change, as a person names it in {@code <code>@<id>}: the first 10 hex characters
   * of SHA-256 over what it is for and what it does. A new generation of the spec, another bucket
   * state observed, another device: another id.
   *
   * @param before the bucket as observed ("versioning Enabled, MFA Delete Disabled")
   * @param after the bucket as the change leaves it
   */
  public static String changeId(String uid, long generation, String bucket, String before, String after,
      String serial) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] text = String.join("\0", uid, Long.toString(generation), bucket, before + " -> " + after, serial)
          .getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(digest.digest(text)).substring(0, CHANGE_ID_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * A change that needs a code from {@code device}, taken from {@code holderKey}'s annotation.
   *
   * @param annotated the annotation's value now, or null
   */
  public synchronized Claim claim(MfaDevice device, String holderKey, Change change, String annotated,
      int periodSeconds) {
    long now = clock.millis();
    String requester = change.requester();
    WaitingLine line = lines.computeIfAbsent(new Line(device, holderKey), k -> new WaitingLine());
    boolean staleLeft = line.waiters.values().removeIf(w -> now - w.lastAskedMillis > STALE_MILLIS);
    Waiter me = line.waiters.get(requester);
    if (me != null && !me.change.id().equals(change.id())) {
      // Another change (the spec, the bucket or the device changed): a code typed for the old one
      // is not for this one, and the new one queues at the back.
      line.waiters.remove(requester);
      me = null;
    }
    if (me == null || staleLeft) {
      me = line.waiters.computeIfAbsent(requester, k -> new Waiter());
      lineChanged(holderKey);
    }
    me.lastAskedMillis = now;
    me.change = change;
    if (annotated == null) {
      return wait(line, requester, false);
    }
    Matcher parsed = ANNOTATION.matcher(annotated);
    if (!parsed.matches()) {
      arrivals.remove(holderKey);
      return new Expired("it is not a 6-digit code, nor a 6-digit code, '@' and the " + CHANGE_ID_LENGTH
          + "-character id of a change");
    }
    String code = parsed.group(1);
    String named = parsed.group(2);
    Arrival arrival = arrivals.get(holderKey);
    if (arrival == null && hash(holderKey, annotated).equals(settledFrom.get(holderKey))) {
      return wait(line, requester, false);
    }
    if (arrival == null || !arrival.hash().equals(hash(holderKey, annotated))) {
      return new Expired("it was there before the operator saw it arrive (it may be old); a code is used only"
          + " if it arrives while the operator runs");
    }
    String sentHash = hash(device.toString(), code);
    if (sent.getOrDefault(device, new ArrayDeque<>()).contains(sentHash)) {
      arrivals.remove(holderKey);
      return new Expired("the operator already sent that code for this device, and a code is used once");
    }
    if (now - arrival.atMillis() > periodSeconds * 1000L) {
      arrivals.remove(holderKey);
      return new Expired("it arrived more than one step (" + periodSeconds + " s) ago");
    }
    if (named != null) {
      if (named.equals(change.id())) {
        return use(device, holderKey, line, requester, arrival, code, sentHash);
      }
      if (waitingOn(holderKey, named, now) || now - arrival.atMillis() < ARRIVAL_GRACE_MILLIS) {
        // That change takes it when it asks (within the grace it may yet join: a restart, a lagging cache).
        return wait(line, requester, true);
      }
      return refuse(holderKey, arrival, "it names change " + named + ", which is not waiting for a code there: it"
          + " was applied, or its spec or its bucket changed, which makes it another change with another id."
          + " The code was used for nothing else");
    }
    if (devicesWaitingOn(holderKey, now) > 1) {
      return refuse(holderKey, arrival, "changes for more than one MFA device take codes from this object, and a code"
          + " that names no change could be meant for either: name the change, <6-digit code>@<change id>");
    }
    if (ahead(line, requester, arrival, now) > 0) {
      return wait(line, requester, true);
    }
    if (change.weakens()) {
      return refuse(holderKey, arrival, "this change, next in line, weakens protection, and a code that names no"
          + " change never signs a weakening: name the change, <6-digit code>@" + change.id());
    }
    return use(device, holderKey, line, requester, arrival, code, sentHash);
  }

  /** The code is this change's: used from here on, whatever S3 says, never twice, never for another change. */
  private Use use(MfaDevice device, String holderKey, WaitingLine line, String requester, Arrival arrival, String code,
      String sentHash) {
    line.waiters.remove(requester);
    line.turns.served(requester);
    lineChanged(holderKey);
    arrivals.remove(holderKey);
    settledFrom.put(holderKey, arrival.hash());
    Deque<String> deviceSent = sent.computeIfAbsent(device, d -> new ArrayDeque<>());
    deviceSent.addLast(sentHash);
    if (deviceSent.size() > SENT_PER_DEVICE) {
      deviceSent.removeFirst();
    }
    return new Use(code);
  }

  /** The code is refused for every change (it named the wrong change, or none where it must). */
  private Expired refuse(String holderKey, Arrival arrival, String why) {
    arrivals.remove(holderKey);
    settledFrom.put(holderKey, arrival.hash());
    return new Expired(why);
  }

  /** A live change with this id waits for a code from this object. */
  private boolean waitingOn(String holderKey, String id, long now) {
    return lines.entrySet().stream().filter(e -> e.getKey().holderKey().equals(holderKey))
        .flatMap(e -> e.getValue().waiters.values().stream())
        .anyMatch(w -> now - w.lastAskedMillis <= STALE_MILLIS && w.change.id().equals(id));
  }

  /** How many devices have live changes waiting for codes from this object. */
  private long devicesWaitingOn(String holderKey, long now) {
    return lines.entrySet().stream().filter(e -> e.getKey().holderKey().equals(holderKey))
        .filter(e -> e.getValue().waiters.values().stream().anyMatch(w -> now - w.lastAskedMillis <= STALE_MILLIS))
        .count();
  }

  /** The requester no longer waits for a code (applied, or its spec changed): it leaves every line. */
  public synchronized void leave(String requester) {
    Iterator<Map.Entry<Line, WaitingLine>> it = lines.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Line, WaitingLine> line = it.next();
      if (line.getValue().waiters.remove(requester) != null) {
        lineChanged(line.getKey().holderKey());
      }
      if (line.getValue().waiters.isEmpty()) {
        it.remove();
      }
    }
  }

  /** Changes waiting for a code, by device ("serial at endpoint"), for bpo_awaiting_mfa_code. */
  public synchronized Map<String, Integer> waitingByDevice() {
    long now = clock.millis();
    Map<String, Integer> waiting = new TreeMap<>();
    lines.forEach((line, waiters) -> {
      long live = waiters.waiters.values().stream().filter(w -> now - w.lastAskedMillis <= STALE_MILLIS).count();
      if (live > 0) {
        waiting.merge(line.device().toString(), (int) live, Integer::sum);
      }
    });
    return waiting;
  }

  /** What waits for a code on {@code holderKey}, for its status; empty when nothing waits. */
  public synchronized Optional<Next> next(String holderKey) {
    long now = clock.millis();
    List<Waiter> waiting = new ArrayList<>();
    lines.forEach((line, waiters) -> {
      if (line.holderKey().equals(holderKey)) {
        waiters.inTurn().stream().map(Map.Entry::getValue).filter(w -> now - w.lastAskedMillis <= STALE_MILLIS)
            .forEach(waiting::add);
      }
    });
    return waiting.isEmpty() ? Optional.empty() : Optional.of(new Next(waiting.size(), waiting.get(0).change));
  }

  /** Forgets what this process saw: a new leader uses only codes that arrive while it leads. */
  public synchronized void clear() {
    arrivals.clear();
    settledFrom.clear();
    lines.clear();
  }

  /** Waiters ahead of {@code requester} that are still there (asked since the code came, or may yet). */
  private static int ahead(WaitingLine line, String requester, Arrival arrival, long now) {
    int ahead = 0;
    for (Map.Entry<String, Waiter> entry : line.inTurn()) {
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

  /** A wait, counting only {@code requester}'s own namespace's changes. */
  private static Wait wait(WaitingLine line, String requester, boolean codeWaiting) {
    String namespace = FairTurns.namespaceOf(requester);
    List<String> own = line.waiters.keySet().stream().filter(w -> FairTurns.namespaceOf(w).equals(namespace)).toList();
    return new Wait(own.indexOf(requester) + 1, own.size(), codeWaiting);
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
