package io.bucketprotection.operator.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.testsupport.Accounts;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** spec.mfaDevices: 1 to 8 devices, each serial once, never beside spec.mfa, all of one AWS account. */
class MfaPoolValidationTest {

  private static final OperatorConfig AWS = OperatorConfig.fromEnvironment(Map.of());

  private static MfaSpec device(String account, int i) {
    return Accounts.mfa("arn:aws:iam::" + account + ":mfa/bpo-" + i, "mfa-" + i, 30);
  }

  private static ClusterS3Account pool(List<MfaSpec> devices) {
    ClusterS3Account account = Accounts.cluster("prod", List.of("*"));
    account.getSpec().setCredentials(Accounts.secretRef("root-keys"));
    account.getSpec().setObserver(Accounts.operatorObserver());
    account.getSpec().setMfaDevices(devices);
    return account;
  }

  private static String refused(ClusterS3Account account) {
    return assertThrows(InvalidSpecException.class, () -> AccountValidator.validate(account, AWS)).getMessage();
  }

  @Test
  void aPoolIsTheAccountsDevicesInSpecOrderAndTheFirstIsItsMfa() throws Exception {
    AccountSettings settings = AccountValidator.validate(pool(List.of(device("123456789012", 1),
        device("123456789012", 2))), AWS).settings();
    assertEquals(List.of("arn:aws:iam::123456789012:mfa/bpo-1", "arn:aws:iam::123456789012:mfa/bpo-2"),
        settings.mfaDevices().stream().map(AccountSettings.MfaSettings::serialNumber).toList());
    assertEquals(settings.mfaDevices().get(0), settings.mfa());
    assertEquals("123456789012", settings.expectedBucketOwner());
  }

  @Test
  void bothFormsAtOnceAreRefused() {
    ClusterS3Account account = pool(List.of(device("123456789012", 1)));
    account.getSpec().setMfa(device("123456789012", 2));
    assertTrue(refused(account).contains("spec.mfa and spec.mfaDevices both name MFA devices"));
  }

  @Test
  void aSerialListedTwiceNineDevicesOrNoneAreRefused() {
    assertTrue(refused(pool(List.of(device("123456789012", 1), device("123456789012", 1))))
        .contains("spec.mfaDevices[1].serialNumber names a device listed before it"));
    assertTrue(refused(pool(IntStream.range(0, 9).mapToObj(i -> device("123456789012", i)).toList()))
        .contains("1 to 8 devices"));
    assertTrue(refused(pool(List.of())).contains("1 to 8 devices"));
  }

  @Test
  void everyDeviceOfAPoolBelongsToOneAccountAtAnyEndpoint() throws Exception {
    String message = refused(pool(List.of(device("123456789012", 1), device("210987654321", 2))));
    assertTrue(message.contains("devices of 2 AWS accounts (123456789012, 210987654321)"), message);
    // Elsewhere too, so the ownership proof holds for all of a pool's devices or for none.
    OperatorConfig radosgw = OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:7480"));
    ClusterS3Account mixed = pool(List.of(device("123456789012", 1), device("210987654321", 2)));
    assertThrows(InvalidSpecException.class, () -> AccountValidator.validate(mixed, radosgw));
    ClusterS3Account hardware = pool(List.of(device("123456789012", 1), Accounts.mfa("GAHT12345678", "mfa-h", 30)));
    assertEquals(2, AccountValidator.validate(hardware, radosgw).settings().mfaDevices().size(),
        "a hardware serial names no account");
  }

  @Test
  void eachDeviceIsCheckedWithItsOwnPath() {
    MfaSpec spaced = Accounts.mfa("arn:aws:iam::123456789012:mfa/a b", "mfa-x", 30);
    assertTrue(refused(pool(List.of(device("123456789012", 1), spaced)))
        .contains("spec.mfaDevices[1].serialNumber must be the device's ARN or serial, without spaces"));
  }
}
