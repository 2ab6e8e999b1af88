package io.bucketprotection.operator.check;

import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.reconcile.BucketOwnership;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resources of the input that write the same bucket (same endpoint identity and name, as
 * {@link BucketOwnership} keys them). The operator lets the oldest write and the others report
 * Conflict while they disagree; which one is oldest is the cluster's creation order, which a
 * manifest does not carry. So the check plans each as if it wrote, and says so.
 */
final class SharedBuckets {

  private SharedBuckets() {
  }

  /** A note for every bound resource that shares its bucket with another one that writes. */
  static Map<ProtectionCheck.Bound, List<String>> notes(List<ProtectionCheck.Bound> bound, OperatorConfig config) {
    BucketOwnership ownership = new BucketOwnership(config);
    Map<String, List<ProtectionCheck.Bound>> writers = new LinkedHashMap<>();
    for (ProtectionCheck.Bound b : bound) {
      if (b.desired() != null && b.desired().writes()) {
        writers.computeIfAbsent(ownership.key(b.desired()), k -> new ArrayList<>()).add(b);
      }
    }
    Map<ProtectionCheck.Bound, List<String>> notes = new IdentityHashMap<>();
    for (List<ProtectionCheck.Bound> group : writers.values()) {
      if (group.size() < 2) {
        continue;
      }
      for (ProtectionCheck.Bound b : group) {
        List<String> others = group.stream().filter(o -> o != b)
            .map(o -> "BucketProtection " + o.manifest().namespace() + "/" + o.manifest().name()).toList();
        notes.put(b, List.of("Planned as if it wrote the bucket, which " + String.join(", ", others)
            + " also writes: the operator lets only the oldest of them write, and the others report Conflict while"
            + " they differ from the bucket."));
      }
    }
    return notes;
  }
}
