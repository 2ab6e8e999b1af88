package io.bucketprotection.operator.mfa;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One change that asks for a code a person types ({@link PersonCodes}).
 *
 * @param requester "namespace/name" of the BucketProtection: its place in line is kept
 * @param describe what the change does, for the holder's status ("bucket b: MFA Delete ...")
 * @param id {@link #changeId}: what a code typed for this change names
 * @param weakens it weakens protection: only a code that names it signs it
 */
public record CodeChange(String requester, String describe, String id, boolean weakens) {

  /** Hex characters of a change's id: 40 bits, so that ids of the changes waiting at once never collide by chance. */
  public static final int ID_LENGTH = 10;

  /**
   * The id of a change, as a person names it in {@code <code>@<id>}: the first 10 hex characters
   * of SHA-256 over what it is for and what it does. A new generation of the spec, another bucket
   * state observed, another device: another id.
   *
   * @param before the bucket as observed ("versioning Enabled, MFA Delete Disabled")
   * @param after the bucket as the change leaves it
   */
  public static String changeId(String uid, long generation, String bucket, String before, String after,
      String serial) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] text = String.join("\0", uid, Long.toString(generation), bucket, before + " -> " + after, serial)
          .getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(digest.digest(text)).substring(0, ID_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
