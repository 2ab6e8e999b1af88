package io.bucketprotection.operator.tenancy;

import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.mfa.MfaDevice;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Which seed may use an MFA device that several sources name. A device (identity endpoint plus
 * serial) has one queue of steps and one lock-out count, so all its users must make codes from
 * one seed; sources are compared by where the seed is kept, never by its value (that would read
 * secrets). A ClusterS3Account's seed wins over every other; among the rest, the oldest source.
 * Person-supplied codes are a source of their own per object they are annotated on (see
 * {@link AccountSettings.MfaSettings#codeSource}), never shared with a seed: the operator's own
 * codes would spend the steps a person's codes are for.
 */
public final class DeviceClaims {

  /**
   * One object naming a device.
   *
   * @param holder how a user of the same namespace (or an admin) would name it: "ClusterS3Account default"
   * @param namespace the holder's namespace; null for a ClusterS3Account
   * @param created the holder's creationTimestamp (RFC 3339)
   */
  /**
   * @param source {@link AccountSettings.MfaSettings#codeSource}: where the seed is kept, or the
   *     marker for person-supplied codes
   */
  public record Claim(MfaDevice device, Object source, String holder, String namespace, boolean clusterAccount,
      String created, String uid) {
  }

  private DeviceClaims() {
  }

  /**
   * The holder of the winning seed, as {@code mine} may be told of it, when it is not {@code mine}'s
   * seed; empty when {@code mine} may use the device.
   */
  public static Optional<String> conflict(Claim mine, Collection<Claim> claims) {
    Optional<Claim> winner = claims.stream()
        .filter(c -> c.device().equals(mine.device()))
        .min(Comparator.<Claim, Boolean>comparing(c -> !c.clusterAccount())
            .thenComparing(c -> Objects.requireNonNullElse(c.created(), "~"))
            .thenComparing(c -> Objects.requireNonNullElse(c.uid(), "")));
    if (winner.isEmpty() || winner.get().source().equals(mine.source())) {
      return Optional.empty();
    }
    Claim other = winner.get();
    boolean tellable = other.clusterAccount() || Objects.equals(other.namespace(), mine.namespace());
    return Optional.of(tellable ? other.holder() : "an older source in another namespace");
  }
}
