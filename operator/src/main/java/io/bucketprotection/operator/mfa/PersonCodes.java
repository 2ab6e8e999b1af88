package io.bucketprotection.operator.mfa;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
 * <p>A code signs the change the person saw. Every waiting change has an id ({@link CodeChange#changeId}):
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
   * What waits for a code on one object, for its status.
   *
   * @param waiting how many changes wait (every namespace's: the holder's status is for the person holding the device)
   * @param change the change the next code goes to
   */
  public record Next(int waiting, CodeChange change) {

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
  public static final int CHANGE_ID_LENGTH = CodeChange.ID_LENGTH;
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

  private final Clock clock;
  /** What is remembered of the codes themselves (hashes only). */
  private final CodeArrivals codes = new CodeArrivals();
  /** (device, object key) -> waiting changes. */
  private final Map<Line, CodeLine> lines = new HashMap<>();

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
    codes.changed(holderKey, previous, current, clock.millis());
  }

  /**
   * A change that needs a code from {@code device}, taken from {@code holderKey}'s annotation.
   *
   * @param annotated the annotation's value now, or null
   */
  public synchronized Claim claim(MfaDevice device, String holderKey, CodeChange change, String annotated,
      int periodSeconds) {
    long now = clock.millis();
    String requester = change.requester();
    CodeLine line = lines.computeIfAbsent(new Line(device, holderKey), k -> new CodeLine());
    if (line.join(change, now, STALE_MILLIS)) {
      lineChanged(holderKey);
    }
    if (annotated == null) {
      return line.waitFor(requester, false);
    }
    Matcher parsed = ANNOTATION.matcher(annotated);
    if (!parsed.matches()) {
      codes.forget(holderKey);
      return new Expired("it is not a 6-digit code, nor a 6-digit code, '@' and the " + CHANGE_ID_LENGTH
          + "-character id of a change");
    }
    if (codes.arrival(holderKey) == null && codes.settled(holderKey, annotated)) {
      return line.waitFor(requester, false);
    }
    String sentHash = CodeArrivals.sentHash(device, parsed.group(1));
    Expired stale = codes.unusable(device, holderKey, annotated, sentHash, now, periodSeconds);
    if (stale != null) {
      return stale;
    }
    Code code = new Code(parsed.group(1), sentHash, codes.arrival(holderKey));
    return parsed.group(2) != null ? named(device, holderKey, line, change, code, parsed.group(2), now)
        : bare(device, holderKey, line, change, code, now);
  }

  /** A code as it arrived on its object: its digits, its hash for the device, and its arrival. */
  private record Code(String digits, String sentHash, CodeArrivals.Arrival arrival) {
  }

  /** A code naming a change: used at once for that change only, wherever it is in line. */
  private Claim named(MfaDevice device, String holderKey, CodeLine line, CodeChange change, Code code, String named,
      long now) {
    if (named.equals(change.id())) {
      return use(device, holderKey, line, change.requester(), code);
    }
    if (waitingOn(holderKey, named, now) || now - code.arrival().atMillis() < ARRIVAL_GRACE_MILLIS) {
      // That change takes it when it asks (within the grace it may yet join: a restart, a lagging cache).
      return line.waitFor(change.requester(), true);
    }
    return refuse(holderKey, code.arrival(), "it names change " + named + ", which is not waiting for a code there:"
        + " it was applied, or its spec or its bucket changed, which makes it another change with another id."
        + " The code was used for nothing else");
  }

  /** A code naming no change: the head of the line's, never for a weakening, never where two devices could take it. */
  private Claim bare(MfaDevice device, String holderKey, CodeLine line, CodeChange change, Code code, long now) {
    if (devicesWaitingOn(holderKey, now) > 1) {
      return refuse(holderKey, code.arrival(), "changes for more than one MFA device take codes from this object, and"
          + " a code that names no change could be meant for either: name the change, <6-digit code>@<change id>");
    }
    if (line.ahead(change.requester(), code.arrival().atMillis(), now, ARRIVAL_GRACE_MILLIS) > 0) {
      return line.waitFor(change.requester(), true);
    }
    if (change.weakens()) {
      return refuse(holderKey, code.arrival(), "this change, next in line, weakens protection, and a code that names"
          + " no change never signs a weakening: name the change, <6-digit code>@" + change.id());
    }
    return use(device, holderKey, line, change.requester(), code);
  }

  /** The code is this change's: used from here on, whatever S3 says, never twice, never for another change. */
  private Use use(MfaDevice device, String holderKey, CodeLine line, String requester, Code code) {
    line.served(requester);
    lineChanged(holderKey);
    codes.used(device, holderKey, code.arrival(), code.sentHash());
    return new Use(code.digits());
  }

  /** The code is refused for every change (it named the wrong change, or none where it must). */
  private Expired refuse(String holderKey, CodeArrivals.Arrival arrival, String why) {
    codes.settled(holderKey, arrival);
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
    Iterator<Map.Entry<Line, CodeLine>> it = lines.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Line, CodeLine> line = it.next();
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
    List<CodeLine.Waiter> waiting = new ArrayList<>();
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
    codes.clear();
    lines.clear();
  }
}
