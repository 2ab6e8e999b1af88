package io.bucketprotection.operator.tenancy;

import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.CodeHolder;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bucketprotection.operator.mfa.MfaDevice;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Who may use a device several objects name, when the codes come from a person: the object the
 * codes are annotated on is the source, so a namespace naming an admin's seedless device cannot
 * join its line, as it could not share its seed.
 */
class DeviceClaimsTest {

  private static final MfaDevice ROOT = new MfaDevice("aws", "arn:aws:iam::123456789012:mfa/root");

  private static AccountSettings.MfaSettings personCodes(CodeHolder holder) {
    return new AccountSettings.MfaSettings(ROOT.serialNumber(), null, 30, 0, holder.toString(), holder);
  }

  private static DeviceClaims.Claim claim(CodeHolder holder, boolean clusterAccount, String created) {
    return new DeviceClaims.Claim(ROOT, personCodes(holder).codeSource(), holder.toString(), holder.namespace(),
        clusterAccount, created, holder.key());
  }

  @Test
  void aNamespaceNamingAnAdminsSeedlessDeviceGetsAConflict() {
    DeviceClaims.Claim admin = claim(CodeHolder.of(AccountId.cluster("root-token")), true, "2026-01-01T00:00:00Z");
    DeviceClaims.Claim intruder = claim(CodeHolder.resource("dev", "squat"), false, "2025-01-01T00:00:00Z");
    assertEquals(Optional.of("ClusterS3Account root-token"), DeviceClaims.conflict(intruder, List.of(admin, intruder)));
    assertEquals(Optional.empty(), DeviceClaims.conflict(admin, List.of(admin, intruder)));
  }

  @Test
  void resourcesOfOneNamespaceShareTheirInlineSeedlessDevice() {
    DeviceClaims.Claim first = claim(CodeHolder.resource("team", "first"), false, "2026-01-01T00:00:00Z");
    DeviceClaims.Claim second = claim(CodeHolder.resource("team", "second"), false, "2026-01-02T00:00:00Z");
    DeviceClaims.Claim other = claim(CodeHolder.resource("other", "third"), false, "2026-01-03T00:00:00Z");
    assertEquals(Optional.empty(), DeviceClaims.conflict(second, List.of(first, second)));
    assertEquals(Optional.of("an older source in another namespace"),
        DeviceClaims.conflict(other, List.of(first, second, other)));
  }
}
