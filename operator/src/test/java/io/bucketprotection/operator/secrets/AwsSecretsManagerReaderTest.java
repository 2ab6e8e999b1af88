package io.bucketprotection.operator.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.testsupport.FakeSecretsManagerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real AWS SDK Secrets Manager client against a local server speaking its JSON protocol. */
class AwsSecretsManagerReaderTest {

  private static FakeSecretsManagerServer server;
  private static AwsSecretsManagerReader reader;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("aws.accessKeyId", "OPERATORIDENTITY0001");
    System.setProperty("aws.secretAccessKey", "operator-identity-secret-key-0123456789");
    server = new FakeSecretsManagerServer();
    reader = new AwsSecretsManagerReader("eu-central-1", server.endpoint());
  }

  @AfterAll
  static void stop() {
    reader.close();
    server.close();
  }

  @Test
  void readsTheCurrentSecretStringWithASignedRequest() throws Exception {
    server.putSecret("prod/root-mfa", "{\"seed\":\"JBSWY3DPEHPK3PXP\"}");
    assertEquals("{\"seed\":\"JBSWY3DPEHPK3PXP\"}", reader.read("prod/root-mfa", null));
    FakeSecretsManagerServer.Request request = server.requests().stream()
        .filter(r -> "prod/root-mfa".equals(r.body().path("SecretId").asText())).findFirst().orElseThrow();
    assertEquals("secretsmanager.GetSecretValue", request.target());
    assertEquals("application/x-amz-json-1.1", request.contentType());
    assertEquals("AWSCURRENT", request.body().path("VersionStage").asText());
    assertTrue(request.authorization().startsWith("AWS4-HMAC-SHA256 Credential=OPERATORIDENTITY0001/"),
        request.authorization());
    assertEquals("secretsmanager", FakeSecretsManagerServer.signedService(request.authorization()));
    assertEquals("eu-central-1", FakeSecretsManagerServer.signedRegion(request.authorization()));
  }

  @Test
  void aRegionAwsDoesNotHaveIsRefusedBeforeAnyRequest() {
    String arn = "arn:aws:secretsmanager:attacker-example-com:123456789012:secret:root-keys";
    server.putSecret(arn, "x");
    int before = server.requests().size();
    SecretProblem problem = assertThrows(SecretProblem.class, () -> reader.read(arn, null));
    assertEquals(SecretProblem.Kind.INVALID, problem.kind());
    assertTrue(problem.getMessage().contains("'attacker-example-com' is not an AWS region"), problem.getMessage());
    assertEquals(SecretProblem.Kind.INVALID, assertThrows(SecretProblem.class,
        () -> reader.read("root-keys", "mars-north-1")).kind());
    assertEquals(before, server.requests().size(), "no request was sent");
  }

  @Test
  void anArnNamesItsRegionAndAnExplicitRegionWins() throws Exception {
    String arn = "arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:root-keys-AbCdEf";
    server.putSecret(arn, "x");
    reader.read(arn, null);
    reader.read(arn, "us-west-2");
    var signed = server.requests().stream().filter(r -> arn.equals(r.body().path("SecretId").asText()))
        .map(r -> FakeSecretsManagerServer.signedRegion(r.authorization())).toList();
    assertEquals(java.util.List.of("ap-southeast-2", "us-west-2"), signed);
  }

  @ParameterizedTest
  @CsvSource({
      "ResourceNotFoundException, SECRET_NOT_FOUND, does not exist",
      "AccessDeniedException, ACCESS_DENIED, secretsmanager:GetSecretValue",
      "DecryptionFailure, ACCESS_DENIED, kms:Decrypt",
      "InvalidRequestException, INVALID, refused the request"})
  void mapsEachErrorShape(String errorType, SecretProblem.Kind kind, String hint) {
    String id = "broken-" + errorType;
    server.failWith(id, errorType);
    SecretProblem problem = assertThrows(SecretProblem.class, () -> reader.read(id, null));
    assertEquals(kind, problem.kind());
    assertTrue(problem.getMessage().contains(hint), problem.getMessage());
    assertTrue(problem.getMessage().contains(id));
  }

  @Test
  void aMissingSecretIsNotFoundAndAnUnreachableServiceIsTransient() throws Exception {
    assertEquals(SecretProblem.Kind.SECRET_NOT_FOUND,
        assertThrows(SecretProblem.class, () -> reader.read("nobody-made-this", null)).kind());
    try (AwsSecretsManagerReader nowhere = new AwsSecretsManagerReader("us-east-1",
        java.net.URI.create("http://127.0.0.1:9"))) {
      SecretProblem problem = assertThrows(SecretProblem.class, () -> nowhere.read("x", null));
      assertEquals(SecretProblem.Kind.UNAVAILABLE, problem.kind());
      assertFalse(problem.getMessage().contains("operator-identity-secret-key"));
    }
  }
}
