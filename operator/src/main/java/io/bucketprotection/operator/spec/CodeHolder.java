package io.bucketprotection.operator.spec;

import java.util.Optional;

/**
 * The object a person annotates with a code for an MFA device whose seed nobody stores: the
 * account that names the device, or, for an inline device, the BucketProtection itself. A code is
 * taken only from this object, and only for changes that use this object's device.
 *
 * @param kind ClusterS3Account, S3Account or BucketProtection
 * @param namespace null for a ClusterS3Account
 */
public record CodeHolder(String kind, String namespace, String name) {

  /** The annotation a person sets to a 6-digit code, or to {@code <code>@<change id>}. */
  public static final String ANNOTATION = "bucketprotection.io/mfa-code";

  public static CodeHolder of(AccountId account) {
    return new CodeHolder(account.kind().name(), account.namespace(), account.name());
  }

  public static CodeHolder resource(String namespace, String name) {
    return new CodeHolder("BucketProtection", namespace, name);
  }

  /** "ClusterS3Account/root", "BucketProtection/team/logs": a key for maps. */
  public String key() {
    return kind + "/" + (namespace == null ? "" : namespace + "/") + name;
  }

  /** The holder whose {@link #key()} is {@code key}, if it is one. */
  public static Optional<CodeHolder> fromKey(String key) {
    String[] parts = key.split("/", -1);
    if (parts.length == 2) {
      return Optional.of(new CodeHolder(parts[0], null, parts[1]));
    }
    if (parts.length == 3) {
      return Optional.of(new CodeHolder(parts[0], parts[1], parts[2]));
    }
    return Optional.empty();
  }

  /** The command that supplies a code for the change {@code changeId}, with the code left to the person. */
  public String annotateCommand(String changeId) {
    return command("<6-digit code>@" + changeId);
  }

  /** The command that supplies a code for the change next in line, with the code left to the person. */
  public String annotateCommand() {
    return command("<6-digit code>");
  }

  private String command(String value) {
    String resource = switch (kind) {
      case "ClusterS3Account" -> "clusters3account";
      case "S3Account" -> "s3account";
      default -> "bp";
    };
    return "kubectl " + (namespace == null ? "" : "-n " + namespace + " ") + "annotate " + resource + " " + name
        + " " + ANNOTATION + "=" + value + " --overwrite";
  }

  @Override
  public String toString() {
    return kind + " " + (namespace == null ? "" : namespace + "/") + name;
  }
}
