package io.bucketprotection.operator.s3;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Static access keys for one bucket. {@link #toString()} never shows the secret key, and
 * {@link #fingerprint()} lets clients be cached per key pair without keeping the key in a map key.
 */
public record S3Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {

  public S3Credentials {
    if (accessKeyId == null || accessKeyId.isBlank() || secretAccessKey == null || secretAccessKey.isBlank()) {
      throw new IllegalArgumentException("access key id and secret access key are required");
    }
  }

  /** SHA-256 over all parts: equal for equal keys, and useless for recovering them. */
  public String fingerprint() {
    return digest(accessKeyId, secretAccessKey, sessionToken == null ? "" : sessionToken);
  }

  /** SHA-256 over the parts (NUL-separated), in hex: tells values apart without keeping them. */
  public static String digest(String... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        digest.update(part.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Temporary (STS session) keys: AWS refuses MFA with them. */
  public boolean temporary() {
    return sessionToken != null;
  }

  @Override
  public String toString() {
    return "S3Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=<redacted>"
        + (sessionToken == null ? "" : ", sessionToken=<redacted>") + "]";
  }
}
