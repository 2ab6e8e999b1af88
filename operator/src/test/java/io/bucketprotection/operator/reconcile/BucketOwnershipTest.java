package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.reconcile.decide.DesiredState;
import io.bucketprotection.operator.reconcile.decide.Reason;
import io.bucketprotection.operator.reconcile.decide.SpecValidator;
import io.bucketprotection.operator.reconcile.decide.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BucketOwnershipTest {

  private static final OperatorConfig CONFIG = OperatorConfig.fromEnvironment(Map.of());
  private static final BucketOwnership OWNERSHIP = new BucketOwnership(CONFIG);

  private static BucketProtection at(String namespace, String name, String created, String endpoint) {
    BucketProtection bp = protection(namespace, name, "shared", "Enabled");
    bp.getMetadata().setCreationTimestamp(created);
    bp.getSpec().setEndpoint(endpoint);
    return bp;
  }

  private static DesiredState desired(BucketProtection bp) throws Exception {
    return SpecValidator.validate(bp.getSpec(), CONFIG);
  }

  @Test
  void everySpellingOfAnAwsEndpointIsOneBucket() throws Exception {
    String none = OWNERSHIP.key(desired(at("a", "x", null, null)));
    for (String endpoint : List.of("https://s3.amazonaws.com", "https://s3.us-east-1.amazonaws.com/",
        "https://s3.dualstack.eu-west-1.amazonaws.com", "https://s3-fips.us-east-2.amazonaws.com",
        "http://S3.AMAZONAWS.COM")) {
      assertEquals(none, OWNERSHIP.key(desired(at("a", "x", null, endpoint))), endpoint);
    }
    assertEquals("aws/shared", none);
    assertEquals("http://127.0.0.1:7480/shared", OWNERSHIP.key(desired(at("a", "x", null, "http://127.0.0.1:7480/"))));
  }

  @Test
  void theOldestResourceOwnsTheBucketAndTheOthersAreTold() throws Exception {
    BucketProtection older = at("team", "first", "2026-11-30T10:00:00Z", null);
    BucketProtection newer = at("team", "second", "2026-11-30T10:00:01Z", "https://s3.amazonaws.com");
    List<BucketProtection> both = List.of(newer, older);
    assertEquals(Optional.empty(), OWNERSHIP.conflict(older, desired(older), both));
    Verdict conflict = OWNERSHIP.conflict(newer, desired(newer), both).orElseThrow();
    assertEquals(Reason.Conflict, conflict.reason());
    assertTrue(conflict.message().startsWith("BucketProtection team/first (older) already manages bucket shared"),
        conflict.message());
  }

  @Test
  void anInvalidResourceIsNeverIndexedSoItCannotOwn() {
    BucketProtection invalid = at("team", "typo", "2026-11-30T09:00:00Z", null);
    invalid.getSpec().setVersioning("enabled");
    assertEquals(List.of(), OWNERSHIP.indexKeys(invalid));
  }
}
