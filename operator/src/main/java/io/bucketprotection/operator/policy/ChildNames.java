package io.bucketprotection.operator.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of a policy's child for a bucket: the bucket name ('.' as '-', cut to 52 characters),
 * '-', and 10 hex digits of SHA-256 of "policy/bucket". At most 63 characters, a valid
 * Kubernetes name, the same on every run; two buckets share it only if they agree on their first
 * 52 characters and on 40 bits of hash, and the plan refuses that case rather than mixing them up.
 */
public final class ChildNames {

  static final int MAX_LENGTH = 63;
  private static final int HASH_HEX = 10;
  private static final int PREFIX = MAX_LENGTH - HASH_HEX - 1;

  private ChildNames() {
  }

  public static String of(String policy, String bucket) {
    String prefix = bucket.replace('.', '-');
    if (prefix.length() > PREFIX) {
      prefix = prefix.substring(0, PREFIX);
    }
    return prefix + "-" + hash(policy + "/" + bucket);
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_HEX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
