package io.bucketprotection.operator.observe;

import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.spec.ObserverIdentity;
import io.bucketprotection.operator.s3.S3Credentials;
import io.bucketprotection.operator.s3.S3Endpoints;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretResolver;
import io.bucketprotection.operator.secrets.SecretSource;
import java.net.URI;

/**
 * Who signs: the account's observer for everything S3 does not demand of root, the root keys for
 * the rest (and for everything when the account names no observer). Root keys are read here,
 * just in time, past every cache; the {@link Signer} that holds them lives as long as the caller
 * keeps it, which is one reconcile.
 */
public final class Signers {

  public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
  private static final String[] ROOT_KEYS = {ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN};
  private static final boolean[] ROOT_KEYS_REQUIRED = {true, true, false};

  private final SecretResolver secrets;
  private final String defaultRegion;

  /** @param defaultRegion where STS is asked for role sessions when neither account nor resource names a region */
  public Signers(SecretResolver secrets, String defaultRegion) {
    this.secrets = secrets;
    this.defaultRegion = defaultRegion;
  }

  /** How an account is named in messages and metrics; inline credentials belong to no account. */
  public static String accountLabel(AccountId account) {
    return account == null ? "inline credentials" : account.toString();
  }

  /**
   * The identity for reads, listings and writes that need no code.
   *
   * @param endpoint the resolved endpoint (null: AWS)
   * @param credentials the root keys, used only when {@code observer} is null
   */
  public Signer reader(ObserverIdentity observer, SecretSource credentials, URI endpoint, String region,
      AccountId account) throws SecretProblem {
    String label = accountLabel(account);
    if (observer == null) {
      return root(credentials, label);
    }
    if (observer instanceof ObserverIdentity.Keys keys) {
      return new Signer.Keys(keys(secrets.read(keys.secret(), keys.accessKeyIdKey()),
          secrets.read(keys.secret(), keys.secretAccessKeyKey()), null, keys.secret()), Signer.Role.OBSERVER, label,
          tellable(keys.secret(), label));
    }
    if (observer instanceof ObserverIdentity.AssumedRole role) {
      // STS of the account's own server when that is not AWS (RadosGW serves it at the S3 endpoint).
      URI sts = endpoint == null || S3Endpoints.isAws(endpoint, defaultRegion) ? null : endpoint;
      return new Signer.AssumedRole(role.roleArn(), role.externalId(), sts, region, label);
    }
    return new Signer.OperatorChain(label);
  }

  /**
   * The root keys, read now with one GET (or one GetSecretValue) and cached nowhere.
   *
   * @throws SecretProblem also when the account has no root keys at all
   */
  public Signer root(SecretSource credentials, String accountLabel) throws SecretProblem {
    if (credentials == null) {
      throw new SecretProblem(SecretProblem.Kind.SECRET_NOT_FOUND, accountLabel + " names no root keys"
          + " (spec.credentials)");
    }
    String[] values = secrets.readUncached(credentials, ROOT_KEYS, ROOT_KEYS_REQUIRED);
    return new Signer.Keys(keys(values[0], values[1], values[2], credentials), Signer.Role.ROOT, accountLabel,
        tellable(credentials, accountLabel));
  }

  /**
   * Keys that no S3 server could accept are a problem with the Secret, named as such before any
   * request: blank, too long, or holding anything but printable ASCII (a control character in a
   * key would end up in a request header). The message never quotes a value.
   */
  private static S3Credentials keys(String accessKeyId, String secretAccessKey, String sessionToken,
      SecretSource source) throws SecretProblem {
    if (accessKeyId == null || accessKeyId.isBlank() || secretAccessKey == null || secretAccessKey.isBlank()) {
      throw new SecretProblem(SecretProblem.Kind.INVALID, source.describe() + " holds a blank access key id or"
          + " secret access key");
    }
    String token = sessionToken == null || sessionToken.isBlank() ? null : sessionToken;
    shape(accessKeyId, MAX_KEY, ACCESS_KEY_ID, source);
    shape(secretAccessKey, MAX_KEY, SECRET_ACCESS_KEY, source);
    if (token != null) {
      shape(token, MAX_SESSION_TOKEN, SESSION_TOKEN, source);
    }
    return new S3Credentials(accessKeyId, secretAccessKey, token);
  }

  /** Access key ids and secret keys are 16 to 128 characters on AWS (40 on RadosGW); room for other servers. */
  private static final int MAX_KEY = 256;
  /** STS session tokens run to a few KiB. */
  private static final int MAX_SESSION_TOKEN = 16_384;

  private static void shape(String value, int max, String name, SecretSource source) throws SecretProblem {
    if (value.length() > max) {
      throw new SecretProblem(SecretProblem.Kind.INVALID, source.describe() + ": its " + name + " is longer than "
          + max + " characters; put the key itself there");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new SecretProblem(SecretProblem.Kind.INVALID, source.describe() + ": its " + name + " holds a character"
            + " that is not printable ASCII (a space, a control character or a non-ASCII letter); S3 keys never do");
      }
    }
  }

  /** Where keys came from, as a tenant may be told: an admin's (a ClusterS3Account's) Secret is never named. */
  private static String tellable(SecretSource source, String accountLabel) {
    return accountLabel.startsWith(AccountId.Kind.ClusterS3Account + " ") ? null : source.describe();
  }

  /** The purpose of a credentials read, as {@link FailureVerdicts#fromSecret} words it. */
  public static String purpose(Signer.Role role) {
    return role == Signer.Role.ROOT ? FailureVerdicts.ROOT_KEYS : "the observer credentials";
  }
}
