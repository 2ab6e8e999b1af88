package io.bucketprotection.operator.spec;

/**
 * Names an account object.
 *
 * @param namespace the S3Account's namespace; null for a ClusterS3Account
 */
public record AccountId(Kind kind, String namespace, String name) {

  /** The two account kinds. */
  public enum Kind { ClusterS3Account, S3Account }

  /** The ClusterS3Account a resource with neither accountRef nor inline credentials uses. */
  public static final AccountId DEFAULT = new AccountId(Kind.ClusterS3Account, null, "default");

  public static AccountId cluster(String name) {
    return new AccountId(Kind.ClusterS3Account, null, name);
  }

  public static AccountId namespaced(String namespace, String name) {
    return new AccountId(Kind.S3Account, namespace, name);
  }

  /** "ClusterS3Account default", "S3Account team-a/backups": for messages. */
  @Override
  public String toString() {
    return kind + " " + (namespace == null ? "" : namespace + "/") + name;
  }
}
