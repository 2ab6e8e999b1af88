package io.bucketprotection.operator.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SecretResolverTest {

  @Test
  void aJsonSecretIsReadAtItsKeyAndAPlainOneIsTheValue() throws Exception {
    assertEquals("JBSWY3DP", SecretResolver.fieldOf("{\"seed\": \"JBSWY3DP\", \"note\": \"x\"}", "seed", "s"));
    assertEquals("JBSWY3DP", SecretResolver.fieldOf("  JBSWY3DP\n", null, "s"));
  }

  @Test
  void malformedOrIncompleteSecretsAreInvalidAndTheirContentIsNeverQuoted() {
    String secret = "{\"seed\": \"TOPSECRETSEED\", ";
    SecretProblem broken = assertThrows(SecretProblem.class, () -> SecretResolver.fieldOf(secret, "seed", "s"));
    assertEquals(SecretProblem.Kind.INVALID, broken.kind());
    assertFalse(broken.getMessage().contains("TOPSECRET"));

    SecretProblem missing = assertThrows(SecretProblem.class,
        () -> SecretResolver.fieldOf("{\"other\":\"TOPSECRETSEED\"}", "seed", "s"));
    assertEquals(SecretProblem.Kind.KEY_MISSING, missing.kind());
    assertFalse(missing.getMessage().contains("TOPSECRET"));

    assertThrows(SecretProblem.class, () -> SecretResolver.fieldOf("{\"seed\":\"x\"}", null, "s"));
    assertThrows(SecretProblem.class, () -> SecretResolver.fieldOf("plain", "seed", "s"));
    assertThrows(SecretProblem.class, () -> SecretResolver.fieldOf("{\"seed\": 12}", "seed", "s"));
  }
}
