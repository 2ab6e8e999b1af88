package io.bucketprotection.operator.deletion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.api.ObjectVersionDeletionSpec;
import io.bucketprotection.operator.api.ObjectVersionDeletionSpec.ManifestReference;
import io.bucketprotection.operator.api.ObjectVersionDeletionSpec.VersionReference;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeletionSpecTest {

  static ObjectVersionDeletion request(long generation, ObjectVersionDeletionSpec spec) {
    ObjectVersionDeletion request = new ObjectVersionDeletion();
    request.setMetadata(new ObjectMetaBuilder().withNamespace("team").withName("erase").withUid("u-1")
        .withGeneration(generation).build());
    request.setSpec(spec);
    return request;
  }

  static ObjectVersionDeletionSpec spec(List<VersionReference> versions) {
    ObjectVersionDeletionSpec spec = new ObjectVersionDeletionSpec();
    spec.setAccountRef(new AccountReference("S3Account", "own"));
    spec.setBucket("team-logs");
    spec.setVersions(versions);
    spec.setReason("GDPR erasure request 4711");
    return spec;
  }

  @Test
  void aValidRequestBindsItsAccountInItsOwnNamespace() throws Exception {
    DeletionSpec spec = DeletionSpec.validate(request(1, spec(List.of(new VersionReference("a", "v1")))));
    assertEquals(AccountId.namespaced("team", "own"), spec.account());
    assertEquals(1, spec.versions().size());
  }

  @Test
  void anEditedSpecDeletesNothing() {
    var e = assertThrows(InvalidSpecException.class,
        () -> DeletionSpec.validate(request(2, spec(List.of(new VersionReference("a", "v1"))))));
    assertTrue(e.getMessage().contains("immutable"), e.getMessage());
  }

  @Test
  void refusals() {
    assertRefused(spec(List.of(new VersionReference("a", null))), "a version id is required");
    assertRefused(spec(List.of(new VersionReference("a", "null"))), "version id null");
    assertRefused(spec(List.of(new VersionReference("a", "v"), new VersionReference("a", "v"))), "same version");
    List<VersionReference> many = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      many.add(new VersionReference("k" + i, "v"));
    }
    assertRefused(spec(many), "1 to 1000");
    ObjectVersionDeletionSpec both = spec(List.of(new VersionReference("a", "v")));
    both.setManifest(new ManifestReference("team-logs", "bucketprotection-manifests/x.csv"));
    assertRefused(both, "exactly one of");
    ObjectVersionDeletionSpec prefix = spec(null);
    prefix.setManifest(new ManifestReference("team-logs", "elsewhere/x.csv"));
    assertRefused(prefix, "must start with bucketprotection-manifests/");
    ObjectVersionDeletionSpec noReason = spec(List.of(new VersionReference("a", "v")));
    noReason.setReason(" ");
    assertRefused(noReason, "spec.reason");
    ObjectVersionDeletionSpec noAccount = spec(List.of(new VersionReference("a", "v")));
    noAccount.setAccountRef(null);
    assertRefused(noAccount, "spec.accountRef is required");
  }

  private static void assertRefused(ObjectVersionDeletionSpec spec, String expected) {
    var e = assertThrows(InvalidSpecException.class, () -> DeletionSpec.validate(request(1, spec)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
