package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.s3.S3Endpoints;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * How many reconcile threads one S3 endpoint may hold at once (BPO_MAX_THREADS_PER_ENDPOINT). A
 * slow or silent endpoint (a black hole that accepts connections and never answers) would
 * otherwise take every thread, each waiting out its timeouts, and buckets on healthy endpoints
 * would wait behind it. A resource whose endpoint is full is not reconciled now: it comes back a
 * moment later, holding no thread meanwhile. One instance serves every controller: a
 * BucketProtection's calls and a policy's listing count against the same share. The only call
 * that goes without a slot is the one that may use a code a person has just annotated, and only
 * one at a time per object the code is annotated on (its "code lane"): the other changes waiting
 * on the same device take slots like everyone.
 *
 * <p>Endpoints are keyed by {@link S3Endpoints#connectionKey}. Only admins name endpoints (the
 * default, BPO_ALLOWED_ENDPOINTS, accounts), so the map stays as small as their lists.
 */
public final class EndpointSlots {

  /** A held slot; release it when the reconcile ends. */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  private final int perEndpoint;
  private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();
  /** Keys of the code holders whose lane is in use. */
  private final Set<String> codeLanes = ConcurrentHashMap.newKeySet();

  public EndpointSlots(int perEndpoint) {
    if (perEndpoint < 1) {
      throw new IllegalArgumentException("BPO_MAX_THREADS_PER_ENDPOINT must be at least 1");
    }
    this.perEndpoint = perEndpoint;
  }

  /** A slot for {@code endpoint} (null: the default endpoint), or empty when all are taken. */
  public Optional<Slot> tryTake(URI endpoint) {
    Semaphore semaphore = slots.computeIfAbsent(S3Endpoints.connectionKey(endpoint), k -> new Semaphore(perEndpoint));
    if (!semaphore.tryAcquire()) {
      return Optional.empty();
    }
    return Optional.of(semaphore::release);
  }

  /**
   * The lane of the object a person's code is annotated on ({@code holderKey}), or empty when
   * another reconcile uses it: a code is one, so one change at a time may go for it without a slot.
   */
  public Optional<Slot> tryTakeCodeLane(String holderKey) {
    if (!codeLanes.add(holderKey)) {
      return Optional.empty();
    }
    return Optional.of(() -> codeLanes.remove(holderKey));
  }
}
