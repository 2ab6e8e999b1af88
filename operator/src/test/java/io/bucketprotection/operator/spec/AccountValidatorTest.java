package io.bucketprotection.operator.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AssumeRoleSpec;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.ObserverSpec;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.testsupport.Accounts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The account rules of the observer issue: who signs, and whose buckets a code may be spent on. */
class AccountValidatorTest {

  private static final OperatorConfig AWS = OperatorConfig.fromEnvironment(Map.of());
  private static final OperatorConfig RADOSGW = OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3",
      "http://127.0.0.1:7480"));
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/root-device";

  private static ClusterS3Account rootAccount(String owner) {
    ClusterS3Account account = Accounts.cluster("prod", List.of("*"));
    account.getSpec().setCredentials(Accounts.secretRef("root-keys"));
    account.getSpec().setObserver(Accounts.operatorObserver());
    account.getSpec().setMfa(new MfaSpec(SERIAL, null, 30));
    account.getSpec().setExpectedBucketOwner(owner);
    return account;
  }

  @Test
  void onAwsTheOwnerIsTheAccountInTheDevicesArnSoOnlyItsBucketsCostACode() throws Exception {
    assertEquals("123456789012", AccountValidator.validate(rootAccount(null), AWS).settings().expectedBucketOwner());
    assertEquals("123456789012", AccountValidator.validate(rootAccount("123456789012"), AWS).settings()
        .expectedBucketOwner());
    InvalidSpecException wrong = assertThrows(InvalidSpecException.class,
        () -> AccountValidator.validate(rootAccount("999999999999"), AWS));
    assertTrue(wrong.getMessage().contains("belongs to account 123456789012"), wrong.getMessage());
  }

  @Test
  void offAwsALabSerialThatLooksLikeAnArnNamesNoOwner() throws Exception {
    assertNull(AccountValidator.validate(rootAccount(null), RADOSGW).settings().expectedBucketOwner());
    ClusterS3Account explicit = rootAccount(null);
    explicit.getSpec().setEndpoint("http://ceph.example:7480");
    assertNull(AccountValidator.validate(explicit, AWS).settings().expectedBucketOwner());
  }

  @Test
  void aHardwareTokenSerialNamesNoAccount() throws Exception {
    ClusterS3Account token = rootAccount(null);
    token.getSpec().setMfa(new MfaSpec("GAHT12345678", null, 30));
    assertNull(AccountValidator.validate(token, AWS).settings().expectedBucketOwner());
  }

  @Test
  void theDeprecatedOperatorIdentityCredentialsAreAnObserverAndNoRootKeys() throws Exception {
    ClusterS3Account account = Accounts.cluster("read-only", List.of("*"));
    account.getSpec().setCredentials(Accounts.operatorIdentity());
    AccountSettings settings = AccountValidator.validate(account, AWS).settings();
    assertInstanceOf(ObserverIdentity.OperatorChain.class, settings.observer());
    assertNull(settings.credentials());
    account.getSpec().setObserver(Accounts.operatorObserver());
    assertThrows(InvalidSpecException.class, () -> AccountValidator.validate(account, AWS), "both at once");
  }

  @Test
  void anAccountNeedsRootKeysOrAnObserverAndATenantOnlyItsOwnSecrets() {
    ClusterS3Account neither = Accounts.cluster("empty", List.of("*"));
    assertTrue(assertThrows(InvalidSpecException.class, () -> AccountValidator.validate(neither, AWS)).getMessage()
        .contains("spec needs credentials"));
    for (ObserverSpec borrowed : List.of(Accounts.operatorObserver(), role())) {
      S3Account tenant = Accounts.namespaced("team", "own", List.of("*"), "root-keys");
      tenant.getSpec().setObserver(borrowed);
      assertTrue(assertThrows(InvalidSpecException.class, () -> AccountValidator.validate(tenant, AWS)).getMessage()
          .contains("an admin's to lend"));
    }
    S3Account tenant = Accounts.namespaced("team", "own", List.of("*"), "root-keys");
    tenant.getSpec().setObserver(Accounts.observerSecret("reader"));
    ObserverIdentity.Keys keys = assertInstanceOf(ObserverIdentity.Keys.class, assertDoesNotThrow(tenant).observer());
    assertEquals("team", keys.secret().namespace(), "a tenant's observer keys come from its own namespace");
  }

  @Test
  void aRoleArnAndAnExternalIdAreCheckedLikeStsChecksThem() {
    ClusterS3Account account = rootAccount(null);
    ObserverSpec bad = new ObserverSpec();
    bad.setAssumeRole(new AssumeRoleSpec("arn:aws:iam::123456789012:user/not-a-role", null));
    account.getSpec().setObserver(bad);
    assertThrows(InvalidSpecException.class, () -> AccountValidator.validate(account, AWS));
    bad.setAssumeRole(new AssumeRoleSpec("arn:aws:iam::123456789012:role/observer", "x"));
    assertThrows(InvalidSpecException.class, () -> AccountValidator.validate(account, AWS), "external id too short");
    bad.setAssumeRole(new AssumeRoleSpec("arn:aws:iam:::role/radosgw-role", "bucket-protection"));
    assertEquals(new ObserverIdentity.AssumedRole("arn:aws:iam:::role/radosgw-role", "bucket-protection"),
        assertDoesNotThrow(account).observer());
  }

  private static ObserverSpec role() {
    ObserverSpec role = new ObserverSpec();
    role.setAssumeRole(new AssumeRoleSpec("arn:aws:iam::123456789012:role/admin-observer", null));
    return role;
  }

  private static AccountSettings assertDoesNotThrow(Object account) {
    try {
      return account instanceof ClusterS3Account cluster ? AccountValidator.validate(cluster, AWS).settings()
          : AccountValidator.validate((S3Account) account, AWS).settings();
    } catch (InvalidSpecException e) {
      throw new AssertionError("refused: " + e.getMessage(), e);
    }
  }
}
